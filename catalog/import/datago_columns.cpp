#include "catalog/import/datago_columns.h"

#include <unordered_map>

#include "catalog/ids.h"
#include "catalog/text.h"

namespace datamap::catalog::importer {
namespace {

std::string header_key(std::string_view header) {
  std::string out;
  for (char c : to_lower_ascii(trim(header)))
    if (c != ' ' && c != '\t') out.push_back(c);
  return out;
}

}  // namespace

DatagoField datago_field(std::string_view header) {
  using F = DatagoField;
  static const std::unordered_map<std::string, F> kFields = [] {
    std::unordered_map<std::string, F> m;
    for (auto [name, field] : std::initializer_list<std::pair<const char*, F>>{
             {"목록키", F::key},
             {"목록유형", F::type},
             {"목록명", F::title},
             {"설명", F::notes},
             {"목록설명", F::notes},
             {"조회수", F::views},
             {"분류체계", F::category},
             {"제공기관코드", F::org_code},
             {"기관코드", F::org_code},
             {"제공기관", F::org_name},
             {"기관명", F::org_name},
             {"제공기관명", F::org_name},
             {"국가중점여부", F::national_priority},
             {"국가중점데이터여부", F::national_priority},
             {"표준데이터여부", F::standard_dataset},
             {"등록일", F::issued},
             {"목록등록일", F::issued},
             {"수정일", F::modified},
             {"목록수정일", F::modified},
             {"목록url", F::url},
             {"url", F::url},
             {"관리부서명", F::maintainer},
             {"관리부서전화번호", F::maintainer_phone},
             {"업데이트주기", F::frequency},
             {"차기등록예정일", F::next_update},
             {"확장자(데이터포맷)", F::formats},
             {"확장자", F::formats},
             {"데이터포맷", F::formats},
             {"키워드", F::keywords},
             {"다운로드_활용신청건수", F::downloads},
             {"다운로드(활용신청)건수", F::downloads},
             {"공간범위", F::spatial},
             {"시간범위", F::temporal},
             {"이용허락범위", F::license},
             {"파일데이터명", F::file_name},
         })
      m.emplace(header_key(name), field);
    return m;
  }();
  auto it = kFields.find(header_key(header));
  return it == kFields.end() ? F::extra : it->second;
}

std::string datago_group_name(std::string_view category_title) {
  // data.go.kr's 16 main categories (분류체계). Names are part of URLs: never change one.
  static const std::unordered_map<std::string, std::string> kGroups = {
      {"공공행정", "public-administration"},
      {"과학기술", "science-technology"},
      {"교육", "education"},
      {"교통물류", "transport-logistics"},
      {"국토관리", "land-management"},
      {"농축수산", "agriculture-fisheries"},
      {"문화관광", "culture-tourism"},
      {"법률", "law"},
      {"보건의료", "health-medical"},
      {"사회복지", "social-welfare"},
      {"산업고용", "industry-employment"},
      {"식품건강", "food-health"},
      {"재난안전", "disaster-safety"},
      {"재정금융", "finance"},
      {"통일외교안보", "unification-diplomacy-security"},
      {"환경기상", "environment-weather"},
  };
  std::string title(trim(category_title));
  auto it = kGroups.find(title);
  if (it != kGroups.end()) return it->second;
  return "category-" + sha256_hex(title).substr(0, 12);
}

}  // namespace datamap::catalog::importer
