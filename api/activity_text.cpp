#include "api/activity_text.h"

#include "catalog/text.h"

namespace datamap::api {
namespace {

struct Label {
  std::string_view type, ko, en;
};

constexpr Label kLabels[] = {
    {"new package", "새 데이터", "New dataset"},
    {"changed package", "데이터 변경", "Dataset changed"},
    {"deleted package", "데이터 삭제", "Dataset deleted"},
    {"new organization", "새 기관", "New organization"},
    {"changed organization", "기관 변경", "Organization changed"},
    {"deleted organization", "기관 삭제", "Organization deleted"},
    {"new datarequest", "새 제공신청", "New data request"},
    {"changed datarequest", "제공신청 진행", "Data request updated"},
    {"closed datarequest", "제공신청 종료", "Data request closed"},
    {"new datarequest comment", "제공신청 댓글", "Comment on a data request"},
    {"datarequest votes", "제공신청 공감", "Votes for a data request"},
    {"new issue report", "새 오류신고", "New error report"},
    {"changed issue report", "오류신고 접수", "Error report accepted"},
    {"closed issue report", "오류신고 처리 완료", "Error report answered"},
};

std::string member(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject()) return "";
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : std::string();
}

}  // namespace

std::string_view activity_label(std::string_view activity_type, bool english) {
  for (const Label& l : kLabels)
    if (l.type == activity_type) return english ? l.en : l.ko;
  return activity_type;
}

ActivitySubject activity_subject(const rapidjson::Value& data) {
  static const rapidjson::Value kNone(rapidjson::kObjectType);
  auto object = [&](const char* key) -> const rapidjson::Value& {
    if (!data.IsObject()) return kNone;
    auto it = data.FindMember(key);
    return it != data.MemberEnd() ? it->value : kNone;
  };
  if (const auto& r = object("datarequest"); r.IsObject() && r.MemberCount() > 0)
    return {member(r, "title"), "/requests/" + catalog::url_encode(member(r, "id"))};
  if (const auto& r = object("issue_report"); r.IsObject() && r.MemberCount() > 0) {
    std::string title = member(r, "package_title");
    if (title.empty()) title = member(r, "package_name");
    return {title, "/reports/" + catalog::url_encode(member(r, "id"))};
  }
  const bool is_org = data.IsObject() && data.HasMember("group");
  const auto& o = object(is_org ? "group" : "package");
  std::string title = member(o, "title");
  if (title.empty()) title = member(o, "name");
  return {title,
          (is_org ? "/organization/" : "/dataset/") + catalog::url_encode(member(o, "name"))};
}

}  // namespace datamap::api
