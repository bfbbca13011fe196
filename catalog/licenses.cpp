#include "catalog/licenses.h"

#include "catalog/text.h"

namespace datamap::catalog {

const std::vector<License>& known_licenses() {
  static const std::vector<License> kLicenses = {
      {"notspecified", "License not specified", ""},
      {"KOGL-1", "공공누리 제1유형: 출처표시", "https://www.kogl.or.kr/info/licenseType1.do"},
      {"KOGL-2", "공공누리 제2유형: 출처표시 + 상업적 이용금지",
       "https://www.kogl.or.kr/info/licenseType2.do"},
      {"KOGL-3", "공공누리 제3유형: 출처표시 + 변경금지",
       "https://www.kogl.or.kr/info/licenseType3.do"},
      {"KOGL-4", "공공누리 제4유형: 출처표시 + 상업적 이용금지 + 변경금지",
       "https://www.kogl.or.kr/info/licenseType4.do"},
      {"unrestricted", "이용허락범위 제한 없음", ""},
      {"odc-pddl", "Open Data Commons Public Domain Dedication and License (PDDL)",
       "http://www.opendefinition.org/licenses/odc-pddl"},
      {"odc-odbl", "Open Data Commons Open Database License (ODbL)",
       "http://www.opendefinition.org/licenses/odc-odbl"},
      {"odc-by", "Open Data Commons Attribution License",
       "http://www.opendefinition.org/licenses/odc-by"},
      {"cc-zero", "Creative Commons CCZero", "http://www.opendefinition.org/licenses/cc-zero"},
      {"cc-by", "Creative Commons Attribution", "http://www.opendefinition.org/licenses/cc-by"},
      {"cc-by-sa", "Creative Commons Attribution Share-Alike",
       "http://www.opendefinition.org/licenses/cc-by-sa"},
      {"cc-nc", "Creative Commons Non-Commercial (Any)",
       "http://creativecommons.org/licenses/by-nc/2.0/"},
      {"gfdl", "GNU Free Documentation License",
       "http://www.opendefinition.org/licenses/gfdl"},
      {"other-open", "Other (Open)", ""},
      {"other-pd", "Other (Public Domain)", ""},
      {"other-at", "Other (Attribution)", ""},
      {"uk-ogl", "UK Open Government Licence (OGL)",
       "http://reference.data.gov.uk/id/open-government-licence"},
      {"other-nc", "Other (Non-Commercial)", ""},
      {"other-closed", "Other (Not Open)", ""},
  };
  return kLicenses;
}

std::string license_from_text(std::string_view text) {
  std::string t = to_lower_ascii(trim(text));
  if (t.empty()) return "";
  for (const auto& l : known_licenses())
    if (t == to_lower_ascii(l.id) || t == to_lower_ascii(l.title) || (!l.url.empty() && t == l.url))
      return l.id;
  auto has = [&](std::string_view needle) { return t.find(needle) != std::string::npos; };
  if (has("공공누리") || has("kogl")) {
    if (has("4") || has("제4")) return "KOGL-4";
    if (has("3")) return "KOGL-3";
    if (has("2")) return "KOGL-2";
    return "KOGL-1";
  }
  if (has("제한 없음") || has("제한없음")) return "unrestricted";
  if (has("cc0") || has("cc-zero") || has("publicdomain/zero")) return "cc-zero";
  if (has("by-sa")) return "cc-by-sa";
  if (has("by-nc")) return "cc-nc";
  if (has("cc-by") || has("cc by") || has("creativecommons.org/licenses/by/")) return "cc-by";
  if (has("odbl")) return "odc-odbl";
  if (has("pddl")) return "odc-pddl";
  if (has("public domain") || has("us-pd") || has("publicdomain")) return "other-pd";
  return "";
}

}  // namespace datamap::catalog
