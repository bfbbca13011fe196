#include "api/portal/reasons.h"

#include "api/portal/action_client.h"

namespace datamap::api::portal {

std::string_view reason_kind_label(Lang lang, const std::string& kind) {
  if (kind == "term") return tr(lang, "공통표준용어", "Shared standard term");
  if (kind == "keyword") return tr(lang, "공통 키워드", "Shared keyword");
  if (kind == "agency") return tr(lang, "같은 기관", "Same agency");
  if (kind == "category") return tr(lang, "같은 분류", "Same category");
  if (kind == "explicit") return tr(lang, "명시된 관계", "Declared relation");
  return tr(lang, "관계", "Relation");
}

void reason_list(Html& h, Lang lang, const rapidjson::Value& item) {
  const rapidjson::Value* reasons = json_array(item, "reasons");
  if (!reasons || reasons->Empty()) return;
  h << "<ul class=\"reasons\">";
  for (const auto& r : reasons->GetArray()) {
    h << "<li class=\"reason reason-" << json_str(r, "kind") << "\">"
      << reason_kind_label(lang, json_str(r, "kind"));
    if (std::string v = json_str(r, "value"); !v.empty()) h << ": <strong>" << v << "</strong>";
    h << "</li>";
  }
  h << "</ul>";
}

}  // namespace datamap::api::portal
