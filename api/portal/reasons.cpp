#include "api/portal/reasons.h"

#include "api/portal/action_client.h"

namespace datamap::api::portal {

std::string_view reason_kind_label(Lang lang, const std::string& kind) {
  if (kind == "term") return tr(lang, "공통표준용어", "Shared standard term");
  if (kind == "keyword") return tr(lang, "공통 키워드", "Shared keyword");
  if (kind == "agency") return tr(lang, "같은 기관", "Same agency");
  if (kind == "category") return tr(lang, "같은 분류", "Same category");
  if (kind == "explicit") return tr(lang, "명시된 관계", "Declared relation");
  if (kind == "joinable") return tr(lang, "결합 가능", "Joinable");
  if (kind == "near") return tr(lang, "가까이 있음", "Nearby");
  return tr(lang, "관계", "Relation");
}

void reason_text(Html& h, Lang lang, const rapidjson::Value& r) {
  h << reason_kind_label(lang, json_str(r, "kind"));
  auto guessed = r.FindMember("guessed");
  if (guessed != r.MemberEnd() && guessed->value.IsTrue()) h << tr(lang, " (추정)", " (guess)");
  if (auto join = r.FindMember("join"); join != r.MemberEnd() && join->value.IsObject()) {
    // The measured figures, in the reader's words.
    const auto& j = join->value;
    auto pct = [&](const char* key) {
      return std::to_string(int(json_num(j, key, 0) * 100 + 0.5)) + "%";
    };
    h << ": <strong>" << json_str(j, "on") << "</strong> (" << json_str(j, "column") << " ↔ "
      << json_str(j, "other_column") << ") — " << tr(lang, "공유 값 ", "shared values ")
      << std::to_string(std::int64_t(json_num(j, "shared_values", 0)))
      << tr(lang, "개, 이 데이터 행의 ", ", ") << pct("rows_matched")
      << tr(lang, "·상대 데이터 행의 ", " of this dataset's rows and ") << pct("other_rows_matched")
      << tr(lang, "가 결합됨", " of the other's match")
      << (json_str(j, "method") == "exact" ? tr(lang, " (정확히 셈)", " (exact)")
                                           : tr(lang, " (MinHash 추정)", " (MinHash estimate)"));
  } else if (auto near = r.FindMember("near"); near != r.MemberEnd() && near->value.IsObject()) {
    const auto& n = near->value;
    auto pct = [&](const char* part, const char* whole) {
      double w = json_num(n, whole, 0);
      return std::to_string(int(w > 0 ? json_num(n, part, 0) / w * 100 + 0.5 : 0)) + "%";
    };
    h << ": " << tr(lang, "이 데이터 지점의 ", "") << "<strong>" << pct("points_near", "points")
      << "</strong>" << tr(lang, "·상대 데이터 지점의 ", " of this dataset's points and ")
      << "<strong>" << pct("other_points_near", "other_points") << "</strong>"
      << tr(lang, "가 서로 ", " of the other's lie within ")
      << std::to_string(std::int64_t(json_num(n, "within_m", 0)))
      << tr(lang, "m 안에 있음", " m of each other");
  } else if (std::string v = json_str(r, "value"); !v.empty()) {
    h << ": <strong>" << v << "</strong>";
  }
}

std::string join_preview_url(const rapidjson::Value& r) {
  std::string kind = json_str(r, "kind");
  if (kind == "joinable") {
    const rapidjson::Value* j = json_member(r, "join");
    if (!j || json_str(*j, "resource").empty() || json_str(*j, "other_resource").empty()) return "";
    return Url("/join")
        .add("left", json_str(*j, "resource"))
        .add("right", json_str(*j, "other_resource"))
        .add("on", json_str(*j, "column"))
        .add("other_on", json_str(*j, "other_column"))
        .str();
  }
  if (kind == "near") {
    const rapidjson::Value* n = json_member(r, "near");
    if (!n) return "";
    return Url("/join")
        .add("left", json_str(*n, "resource"))
        .add("right", json_str(*n, "other_resource"))
        .add("within", std::to_string(std::int64_t(json_num(*n, "within_m", 300))))
        .str();
  }
  return "";
}

void reason_list(Html& h, Lang lang, const rapidjson::Value& item) {
  const rapidjson::Value* reasons = json_array(item, "reasons");
  if (!reasons || reasons->Empty()) return;
  h << "<ul class=\"reasons\">";
  for (const auto& r : reasons->GetArray()) {
    h << "<li class=\"reason reason-" << json_str(r, "kind") << "\">";
    reason_text(h, lang, r);
    h << "</li>";
  }
  h << "</ul>";
}

}  // namespace datamap::api::portal
