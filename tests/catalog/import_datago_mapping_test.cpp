// The data.go.kr list CSV -> records, without a store: the real 2022 list, the 36-column layout,
// column order, and rows that must be rejected with a reason.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/import/csv_reader.h"
#include "catalog/import/datago_reader.h"
#include "catalog/import/encoding.h"
#include "catalog/package_json.h"
#include "tests/catalog/import_fixtures.h"

namespace datamap::catalog::importer {
namespace {

std::vector<Record> read_csv(std::string_view text) {
  std::vector<Record> out;
  read_datago_csv(text, ReadContext{}, [&](Record&& r) { out.push_back(std::move(r)); });
  return out;
}

const Record* by_key(const std::vector<Record>& records, std::string_view key) {
  for (const auto& r : records)
    if (r.dataset.source_key == key) return &r;
  return nullptr;
}

std::string extra(const Dataset& d, std::string_view key) {
  for (const auto& [k, v] : d.extras)
    if (k == key) return v;
  return "<absent>";
}

// The current portal layout, in the order the README lists its 36 columns.
const char* const k36Header =
    "목록키,목록유형,목록명,파일데이터명,분류체계,제공기관코드,제공기관,관리 부서명,"
    "관리부서 전화번호,보유근거,수집방법,업데이트 주기,차기 등록 예정일,매체유형,전체행,"
    "확장자(데이터포맷),키워드,다운로드_활용신청건수,등록일,수정일,데이터 한계,제공형태,설명,"
    "기타 유의사항,공간범위,시간범위,비용부과유무,비용부과기준 및 단위,이용허락범위,API 유형,"
    "신청가능 트래픽,심의 유형,조회수,목록 URL,국가중점여부,표준데이터여부";

std::string file_36_columns() {
  std::string rows[] = {
      "15012345,FILE,서울특별시_공영주차장 정보,서울특별시 공영주차장 현황,교통물류 - 도로,"
      "6110000,서울특별시,교통정책과,`02-2133-2222,주차장법,기관 자체 수집,연간,2025-12-31,"
      "텍스트,1234,\"CSV,JSON\",\"주차장, 공영주차장,서울 ,주차장\",\"1,024\",2019-05-10,"
      "2024-03-02,,파일,\"서울시 공영주차장의 위치와 요금.\r\n\r\n주말 요금은 "
      "\"\"별도\"\"입니다.\","
      "출처 표시,서울특별시,2019-2024,무료,,이용허락범위 제한 없음,,,자동승인,4567,"
      "https://www.data.go.kr/data/15012345/fileData.do,Y,N",
      "15099999,API,한국도로공사_교통량 조회,,교통물류 - 도로,B551001,한국도로공사,교통데이터팀,"
      "`054-811-0000,,,실시간,수시,,,XML/JSON,\"고속도로 , 교통량\",77,2020.01.15,20240105,,,"
      "\"요청 시 JSON\nor XML\",,전국,,무료,,공공누리 제2유형,REST,1000,,88,"
      "https://www.data.go.kr/data/15099999/openapi.do,N,N",
      "15077777,STD,전국도시공원정보표준데이터,,환경기상,1741000,행정안전부,공공데이터정책과,,,,"
      "분기,2024-09-30,,,CSV,도시공원,5,2016-06-01,2024-06-30,,,전국 도시공원,,,,,,"
      "기관 자체 이용조건,,,,10,https://www.data.go.kr/data/15077777/standard.do,N,Y",
  };
  std::string text = "\xEF\xBB\xBF" + std::string(k36Header) + "\r\n";
  for (const auto& row : rows) text += row + "\r\n";
  return text;
}

TEST(ImportDatagoMapping, The2022ListMapsEveryRowByHeaderName) {
  auto records = read_csv(testing::datago_2022_text());
  ASSERT_EQ(records.size(), 61359u);
  std::set<std::string> names, orgs, groups;
  for (const auto& r : records) {
    ASSERT_TRUE(r.errors.empty()) << r.where << ": " << describe(r.errors);
    names.insert(r.dataset.name);
    ASSERT_TRUE(r.organization.has_value()) << r.where;
    orgs.insert(r.organization->code);
    for (const auto& g : r.dataset.groups) groups.insert(g);
  }
  EXPECT_EQ(names.size(), 61359u);
  EXPECT_EQ(orgs.size(), 992u);
  EXPECT_EQ(groups.size(), 16u);
  EXPECT_EQ(groups.count("transport-logistics"), 1u);
  EXPECT_EQ(std::count_if(groups.begin(), groups.end(),
                          [](const std::string& g) { return g.rfind("category-", 0) == 0; }),
            0);

  const Record* r = by_key(records, "15000000");
  ASSERT_NE(r, nullptr);
  const Dataset& d = r->dataset;
  EXPECT_EQ(d.id, stable_id("datago", "15000000"));
  EXPECT_EQ(d.name, "datago-15000000");
  EXPECT_EQ(d.source, "datago");
  EXPECT_EQ(d.title, "농림수산식품교육문화정보원_기관조사가격서비스");
  EXPECT_EQ(d.type, "api");
  EXPECT_EQ(d.views, 2983);
  EXPECT_EQ(d.issued, "2012-12-06");
  EXPECT_EQ(d.modified, "2018-12-04");
  EXPECT_EQ(d.url, "https://www.data.go.kr/data/15000000/openapi.do");
  EXPECT_FALSE(d.national_priority);
  EXPECT_FALSE(d.standard_dataset);
  EXPECT_NE(d.notes.find("가락 도매시장"), std::string::npos);
  EXPECT_EQ(d.groups, std::vector<std::string>{"transport-logistics"});
  ASSERT_EQ(r->groups.size(), 1u);
  EXPECT_EQ(r->groups[0].title, "교통물류");
  ASSERT_TRUE(r->organization);
  EXPECT_EQ(r->organization->code, "B552895");
  EXPECT_EQ(r->organization->title, "농림수산식품교육문화정보원");
  EXPECT_EQ(r->organization->name, "org-b552895");
  EXPECT_EQ(d.owner_org, r->organization->id);
  EXPECT_TRUE(d.extras.empty());  // all 13 columns of 2022 have a model field
  EXPECT_EQ(r->line, 2u);
}

TEST(ImportDatagoMapping, The36ColumnLayoutMapsToTheModelAndKeepsTheRestInExtras) {
  auto records = read_csv(file_36_columns().substr(3));  // the importer strips the BOM first
  ASSERT_EQ(records.size(), 3u);
  for (const auto& r : records) ASSERT_TRUE(r.errors.empty()) << describe(r.errors);

  const Dataset& d = records[0].dataset;
  EXPECT_EQ(d.type, "file");
  EXPECT_EQ(d.title, "서울특별시_공영주차장 정보");
  EXPECT_EQ(d.notes, "서울시 공영주차장의 위치와 요금.\n\n주말 요금은 \"별도\"입니다.");
  EXPECT_EQ(d.groups, std::vector<std::string>{"transport-logistics"});
  EXPECT_EQ(d.category_sub, "도로");
  EXPECT_EQ(records[0].organization->code, "6110000");
  EXPECT_EQ(records[0].organization->title, "서울특별시");
  EXPECT_EQ(d.maintainer, "교통정책과");
  EXPECT_EQ(d.maintainer_phone, "02-2133-2222");  // backtick gone
  EXPECT_EQ(d.frequency, "연간");
  EXPECT_EQ(d.next_update, "2025-12-31");
  EXPECT_EQ(d.tags, (std::vector<std::string>{"주차장", "공영주차장", "서울"}));
  ASSERT_EQ(d.resources.size(), 2u);
  EXPECT_EQ(d.resources[0].format, "CSV");
  EXPECT_EQ(d.resources[1].format, "JSON");
  EXPECT_EQ(d.resources[0].name, "서울특별시 공영주차장 현황");
  EXPECT_EQ(d.downloads, 1024);
  EXPECT_EQ(d.views, 4567);
  EXPECT_EQ(d.issued, "2019-05-10");
  EXPECT_EQ(d.modified, "2024-03-02");
  EXPECT_EQ(d.spatial, "서울특별시");
  EXPECT_EQ(d.temporal, "2019-2024");
  EXPECT_EQ(d.license_id, "unrestricted");
  EXPECT_EQ(extra(d, "이용허락범위"), "<absent>");  // mapped, so not repeated
  EXPECT_TRUE(d.national_priority);
  EXPECT_FALSE(d.standard_dataset);
  // Columns without a model field, under their Korean header.
  EXPECT_EQ(extra(d, "보유근거"), "주차장법");
  EXPECT_EQ(extra(d, "수집방법"), "기관 자체 수집");
  EXPECT_EQ(extra(d, "매체유형"), "텍스트");
  EXPECT_EQ(extra(d, "전체행"), "1234");
  EXPECT_EQ(extra(d, "제공형태"), "파일");
  EXPECT_EQ(extra(d, "기타 유의사항"), "출처 표시");
  EXPECT_EQ(extra(d, "비용부과유무"), "무료");
  EXPECT_EQ(extra(d, "심의 유형"), "자동승인");
  EXPECT_EQ(extra(d, "파일데이터명"), "서울특별시 공영주차장 현황");
  EXPECT_EQ(extra(d, "데이터 한계"), "<absent>");  // empty values carry nothing

  const Dataset& api = records[1].dataset;
  EXPECT_EQ(api.type, "api");
  EXPECT_EQ(api.license_id, "KOGL-2");
  EXPECT_EQ(api.maintainer_phone, "054-811-0000");
  EXPECT_EQ(api.issued, "2020-01-15");
  EXPECT_EQ(api.modified, "2024-01-05");
  EXPECT_EQ(api.next_update, "");
  EXPECT_EQ(extra(api, "차기 등록 예정일"), "수시");  // free text is kept, not rejected
  EXPECT_EQ(api.tags, (std::vector<std::string>{"고속도로", "교통량"}));
  ASSERT_EQ(api.resources.size(), 2u);
  EXPECT_EQ(api.resources[1].format, "JSON");
  EXPECT_EQ(api.notes, "요청 시 JSON\nor XML");
  EXPECT_EQ(extra(api, "API 유형"), "REST");
  EXPECT_EQ(extra(api, "신청가능 트래픽"), "1000");
  EXPECT_EQ(records[1].line, 5u);  // row 1 spans lines 2-4

  const Dataset& std_ds = records[2].dataset;
  EXPECT_EQ(std_ds.type, "standard");
  EXPECT_TRUE(std_ds.standard_dataset);
  EXPECT_EQ(std_ds.groups, std::vector<std::string>{"environment-weather"});
  EXPECT_EQ(std_ds.category_sub, "");
  EXPECT_EQ(std_ds.license_id, "");
  EXPECT_EQ(extra(std_ds, "이용허락범위"), "기관 자체 이용조건");
}

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

TEST(ImportDatagoMapping, ColumnOrderDoesNotMatter) {
  std::string text = testing::datago_2022_head(200);
  std::vector<std::vector<std::string>> rows;
  CsvReader csv(text);
  CsvRecord rec;
  while (csv.next(rec)) rows.push_back(rec.fields);
  std::string reversed;
  for (auto& row : rows) {
    std::reverse(row.begin(), row.end());
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) reversed += ',';
      reversed += csv_field(row[i]);
    }
    reversed += "\n";
  }
  auto a = read_csv(text), b = read_csv(reversed);
  ASSERT_EQ(a.size(), 200u);
  ASSERT_EQ(b.size(), 200u);
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(package_to_json(a[i].dataset), package_to_json(b[i].dataset)) << i;
}

TEST(ImportDatagoMapping, DecomposedHangulIsStoredComposed) {
  // "서울" as macOS writes it (NFD jamo).
  std::string nfd = "\xE1\x84\x89\xE1\x85\xA5\xE1\x84\x8B\xE1\x85\xAE\xE1\x86\xAF";
  auto records = read_csv("목록키,목록명\n1," + nfd + "\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].dataset.title, "서울");
}

TEST(ImportDatagoMapping, KeywordsAreTagsUpToTheValidatorsHundredCharacters) {
  // 47 Korean characters (141 bytes) is a valid tag; 101 characters is not, and the source
  // field is kept whole in extras so nothing is lost.
  std::string k47, k101;
  for (int i = 0; i < 47; ++i) k47 += "가";
  for (int i = 0; i < 101; ++i) k101 += "나";
  auto records = read_csv("목록키,목록명,키워드\n1,제목,\"" + k47 + ",짧은\"\n2,제목,\"" + k101 + ",짧은\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].dataset.tags, (std::vector<std::string>{k47, "짧은"}));
  EXPECT_EQ(extra(records[0].dataset, "키워드"), "<absent>");
  EXPECT_EQ(records[1].dataset.tags, (std::vector<std::string>{"짧은"}));
  EXPECT_EQ(extra(records[1].dataset, "키워드"), k101 + ",짧은");
}

TEST(ImportDatagoMapping, BadRowsCarryTheirLineAndReason) {
  std::string text =
      "목록키,목록유형,목록명,조회수,국가중점여부,목록 등록일\n"
      "1,FILE,좋은 행,10,N,2020-01-01\n"               // line 2: fine
      ",FILE,키 없는 행,10,N,2020-01-01\n"             // line 3: no 목록키
      "3,FILE,열이 모자란 행\n"                        // line 4: 3 fields of 6
      "4,FILE,국가중점 이상,10,X,2020-01-01\n"         // line 5: Y/N
      "5,FILE,날짜 이상,10,N,2020-13-45\n"             // line 6: date
      "6,FILE,\xFF\xFE 깨진 글자,10,N,2020-01-01\n"    // line 7: invalid UTF-8
      "7,FILE,조회수 이상,many,N,2020-01-01\n"         // line 8: count
      "8,FILE,\"닫히지 않은 따옴표,10,N,2020-01-01\n"  // line 9: quoting
      "9,FILE,마지막 좋은 행,10,N,2020-01-01\n";       // line 10: fine
  auto records = read_csv(text);
  ASSERT_EQ(records.size(), 9u);
  auto reason = [&](std::size_t line) {
    for (const auto& r : records)
      if (r.line == line) return describe(r.errors);
    return std::string("<no record>");
  };
  EXPECT_EQ(reason(2), "");
  EXPECT_NE(reason(3).find("목록키: Missing value"), std::string::npos) << reason(3);
  EXPECT_NE(reason(4).find("expected 6 fields, found 3"), std::string::npos) << reason(4);
  EXPECT_NE(reason(5).find("국가중점여부: Must be Y or N"), std::string::npos) << reason(5);
  EXPECT_NE(reason(6).find("목록 등록일: Date format incorrect"), std::string::npos) << reason(6);
  EXPECT_NE(reason(7).find("목록명: invalid UTF-8"), std::string::npos) << reason(7);
  EXPECT_NE(reason(8).find("조회수: Must be a whole number"), std::string::npos) << reason(8);
  EXPECT_NE(reason(9).find("csv: unterminated quoted field"), std::string::npos) << reason(9);
  EXPECT_EQ(reason(10), "");
}

TEST(ImportDatagoMapping, AFileWithoutAKeyColumnIsRefusedAsAWhole) {
  EXPECT_THROW(read_csv("name,title\n1,x\n"), BadRequest);
  EXPECT_THROW(read_csv(""), BadRequest);
}

TEST(ImportDatagoMapping, DatesInThePortalsFormsBecomeIso) {
  EXPECT_EQ(normalize_date("2012-12-06"), "2012-12-06");
  EXPECT_EQ(normalize_date("2012.12.06"), "2012-12-06");
  EXPECT_EQ(normalize_date("2021. 6. 4."), "2021-06-04");
  EXPECT_EQ(normalize_date("2012/1/6"), "2012-01-06");
  EXPECT_EQ(normalize_date("20121206"), "2012-12-06");
  EXPECT_EQ(normalize_date("2012-12-06 10:30:00"), "2012-12-06 10:30:00");
  EXPECT_EQ(normalize_date("2012.12.06 10:30"), "2012-12-06T10:30");
  EXPECT_EQ(normalize_date("수시"), "");
  EXPECT_EQ(normalize_date("2012-13-01"), "");
}

TEST(ImportDatagoMapping, CategoriesHaveStableAsciiGroupNames) {
  EXPECT_EQ(datago_group_name("공공행정"), "public-administration");
  EXPECT_EQ(datago_group_name(" 통일외교안보 "), "unification-diplomacy-security");
  std::string unknown = datago_group_name("우주항공");
  EXPECT_EQ(unknown.rfind("category-", 0), 0u);
  EXPECT_EQ(unknown, datago_group_name("우주항공"));
}

}  // namespace
}  // namespace datamap::catalog::importer
