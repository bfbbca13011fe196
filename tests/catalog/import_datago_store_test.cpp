// The data.go.kr list imported into a real SQLite store: the full 2022 list, re-import,
// a changed row, CP949, the 36-column layout and hostile rows.
#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/import/importer.h"
#include "catalog/store.h"
#include "tests/catalog/import_fixtures.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog::importer {
namespace {

std::string extra(const Dataset& d, std::string_view key) {
  for (const auto& [k, v] : d.extras)
    if (k == key) return v;
  return "<absent>";
}

std::string rejections(const ImportSummary& s) {
  std::string out;
  for (const auto& r : s.rejected) out += r.where + " [" + r.ref + "] " + r.reason + "\n";
  return out;
}

TEST(ImportDatagoStore, TheFull2022ListImportsAndReimportsWithoutChanges) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  ImportSummary first = import_bytes(*store, testing::datago_2022_text());
  EXPECT_EQ(first.format, "data.go.kr list CSV");
  EXPECT_EQ(first.encoding, "UTF-8");
  EXPECT_EQ(first.added, 61359u) << rejections(first);
  EXPECT_EQ(first.updated, 0u);
  EXPECT_TRUE(first.rejected.empty()) << rejections(first);
  EXPECT_EQ(store->count_datasets(), 61359);
  EXPECT_EQ(store->organizations().size(), 992u);
  EXPECT_EQ(store->groups().size(), 16u);

  // The row users look up first: by its 목록키, with its agency and its category.
  auto d = store->dataset("15000000");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->title, "농림수산식품교육문화정보원_기관조사가격서비스");
  EXPECT_EQ(d->name, "datago-15000000");
  EXPECT_EQ(d->type, "api");
  EXPECT_EQ(d->issued, "2012-12-06");
  auto org = store->organization(d->owner_org);
  ASSERT_TRUE(org);
  EXPECT_EQ(org->title, "농림수산식품교육문화정보원");
  EXPECT_EQ(org->code, "B552895");
  EXPECT_EQ(org->name, "org-b552895");
  ASSERT_EQ(d->groups.size(), 1u);
  auto group = store->group(d->groups[0]);
  ASSERT_TRUE(group);
  EXPECT_EQ(group->title, "교통물류");
  EXPECT_EQ(group->name, "transport-logistics");

  // Re-importing the same file changes nothing: no writes, no change-log rows.
  const std::int64_t head = store->head_revision();
  ImportSummary second = import_bytes(*store, testing::datago_2022_text());
  EXPECT_EQ(second.added, 0u);
  EXPECT_EQ(second.updated, 0u);
  EXPECT_EQ(second.unchanged, 61359u);
  EXPECT_TRUE(second.rejected.empty()) << rejections(second);
  EXPECT_EQ(store->head_revision(), head);
}

TEST(ImportDatagoStore, AChangedRowUpdatesOnlyItsDataset) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  std::string text = testing::datago_2022_head(300);
  ImportSummary first = import_bytes(*store, text);
  ASSERT_EQ(first.added, 300u) << rejections(first);
  const std::int64_t head = store->head_revision();

  std::string changed = text;
  const std::string old_title = "행정안전부_인빌쇼핑정보조회서비스";
  std::size_t at = changed.find(old_title);
  ASSERT_NE(at, std::string::npos);
  changed.replace(at, old_title.size(), "행정안전부_인빌쇼핑 상품정보 서비스");
  ImportSummary second = import_bytes(*store, changed);
  EXPECT_EQ(second.added, 0u);
  EXPECT_EQ(second.updated, 1u);
  EXPECT_EQ(second.unchanged, 299u);
  EXPECT_EQ(store->dataset("15000014")->title, "행정안전부_인빌쇼핑 상품정보 서비스");
  EXPECT_EQ(store->head_revision(), head + 1);
  auto changes = store->changes_since(head, 10);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, "update");
  EXPECT_EQ(changes[0].id, store->dataset("15000014")->id);
}

TEST(ImportDatagoStore, ACp949CopyImportsAsTheSameDatasets) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  std::string utf8 = testing::datago_2022_cp949_safe_head(500);
  ImportSummary cp949 = import_bytes(*store, testing::to_cp949(utf8));
  EXPECT_EQ(cp949.encoding, "CP949");
  EXPECT_EQ(cp949.added, 500u) << rejections(cp949);
  EXPECT_EQ(store->dataset("15000000")->title, "농림수산식품교육문화정보원_기관조사가격서비스");
  // The same rows in UTF-8 (with a BOM this time) are the same datasets, byte for byte.
  ImportSummary again = import_bytes(*store, "\xEF\xBB\xBF" + utf8);
  EXPECT_EQ(again.encoding, "UTF-8 (BOM)");
  EXPECT_EQ(again.unchanged, 500u);
  EXPECT_EQ(again.added + again.updated, 0u);
}

TEST(ImportDatagoStore, ARowWithBytesCp949CannotDecodeIsRejectedAlone) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  std::string cp949 = testing::to_cp949(testing::datago_2022_cp949_safe_head(50));
  // Damage the title of the row on line 3 with a lead byte followed by an invalid trail byte.
  std::size_t row = cp949.find("\n15000014,API,");
  ASSERT_NE(row, std::string::npos);
  cp949.insert(row + 15, "\xC8\x0B");
  ImportSummary s = import_bytes(*store, cp949);
  EXPECT_EQ(s.encoding, "CP949");
  EXPECT_EQ(s.added, 49u);
  ASSERT_EQ(s.rejected.size(), 1u) << s.rejected.size();
  EXPECT_EQ(s.rejected[0].line, 3u);
  EXPECT_NE(s.rejected[0].reason.find("목록명: invalid CP949 text"), std::string::npos)
      << s.rejected[0].reason;
  EXPECT_FALSE(store->dataset("15000014"));
}

TEST(ImportDatagoStore, The36ColumnLayoutWithMultiLineFieldsImports) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  std::string text =
      "\xEF\xBB\xBF"
      "목록키,목록유형,목록명,파일데이터명,분류체계,제공기관코드,제공기관,관리 부서명,"
      "관리부서 전화번호,보유근거,수집방법,업데이트 주기,차기 등록 예정일,매체유형,전체행,"
      "확장자(데이터포맷),키워드,다운로드_활용신청건수,등록일,수정일,데이터 한계,제공형태,설명,"
      "기타 유의사항,공간범위,시간범위,비용부과유무,비용부과기준 및 단위,이용허락범위,API 유형,"
      "신청가능 트래픽,심의 유형,조회수,목록 URL,국가중점여부,표준데이터여부\r\n"
      "15012345,FILE,서울특별시_공영주차장 정보,공영주차장 현황,교통물류 - 도로,6110000,"
      "서울특별시,교통정책과,`02-2133-2222,주차장법,기관 자체 수집,연간,2025-12-31,텍스트,1234,"
      "\"CSV,JSON\",\"주차장,공영주차장\",12,2019-05-10,2024-03-02,,파일,\"첫 줄\r\n둘째 줄\","
      ",서울특별시,,무료,,공공누리 제1유형,,,자동승인,4567,"
      "https://www.data.go.kr/data/15012345/fileData.do,N,N\r\n";
  ImportSummary s = import_bytes(*store, text);
  EXPECT_EQ(s.encoding, "UTF-8 (BOM)");
  ASSERT_EQ(s.added, 1u) << rejections(s);
  auto d = store->dataset("15012345");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->notes, "첫 줄\n둘째 줄");
  EXPECT_EQ(d->maintainer_phone, "02-2133-2222");
  EXPECT_EQ(d->license_id, "KOGL-1");
  EXPECT_EQ(d->category_sub, "도로");
  EXPECT_EQ(d->tags, (std::vector<std::string>{"주차장", "공영주차장"}));
  ASSERT_EQ(d->resources.size(), 2u);
  EXPECT_EQ(d->resources[1].format, "JSON");
  EXPECT_EQ(extra(*d, "보유근거"), "주차장법");
  EXPECT_EQ(store->organization(d->owner_org)->code, "6110000");
  EXPECT_EQ(store->tags("", 10).size(), 2u);
  EXPECT_EQ(import_bytes(*store, text).unchanged, 1u);
}

TEST(ImportDatagoStore, HostileRowsAreRejectedWithReasonsAndTheRestImported) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  std::string header = testing::datago_2022_head(0);
  std::string good = testing::datago_2022_head(3).substr(header.size());
  std::string text =
      header + good +
      "20000001,FILE,\"따옴표가 닫히지 않은 행,설명,1,공공행정,1741000,행정안전부,N,N,"
      "2020-01-01,2020-01-02,https://www.data.go.kr/data/20000001/fileData.do\n"
      "20000002,FILE,\xC0\xAF\xFF 깨진 UTF-8,설명,1,공공행정,1741000,행정안전부,N,N,"
      "2020-01-01,2020-01-02,https://www.data.go.kr/data/20000002/fileData.do\n"
      ",FILE,목록키 없는 행,설명,1,공공행정,1741000,행정안전부,N,N,2020-01-01,"
      "2020-01-02,https://www.data.go.kr/data/x/fileData.do\n"
      "20000004,FILE,열 개수가 틀린 행,설명,1,공공행정\n"
      "20000005,FILE,주소가 아닌 URL,설명,1,공공행정,1741000,행정안전부,N,N,"
      "2020-01-01,2020-01-02,javascript:alert(1)\n"
      "20000006,FILE,,제목 없는 행,1,공공행정,1741000,행정안전부,N,N,2020-01-01,"
      "2020-01-02,https://www.data.go.kr/data/20000006/fileData.do\n"
      "15000000,API,중복된 목록키,설명,1,교통물류,B552895,농림수산식품교육문화정보원,"
      "N,N,2012-12-06,2018-12-04,https://www.data.go.kr/data/15000000/openapi.do\n"
      "20000008,FILE,마지막 정상 행,설명,7,공공행정,1741000,행정안전부,N,N,"
      "2020-01-01,2020-01-02,https://www.data.go.kr/data/20000008/fileData.do\n";
  ImportSummary s = import_bytes(*store, text);
  EXPECT_EQ(s.encoding, "UTF-8");           // one damaged row does not make the file CP949
  EXPECT_EQ(s.added, 4u) << rejections(s);  // 3 good rows + the last one
  ASSERT_EQ(s.rejected.size(), 7u) << rejections(s);
  auto reason_at = [&](std::size_t line) {
    for (const auto& r : s.rejected)
      if (r.line == line) return r.reason;
    return std::string("<not rejected>");
  };
  EXPECT_NE(reason_at(5).find("unterminated"), std::string::npos) << rejections(s);
  EXPECT_NE(reason_at(6).find("invalid UTF-8"), std::string::npos) << rejections(s);
  EXPECT_NE(reason_at(7).find("목록키: Missing value"), std::string::npos) << rejections(s);
  EXPECT_NE(reason_at(8).find("expected 13 fields, found 6"), std::string::npos);
  EXPECT_NE(reason_at(9).find("url:"), std::string::npos) << rejections(s);
  EXPECT_NE(reason_at(10).find("title: Missing value"), std::string::npos) << rejections(s);
  EXPECT_NE(reason_at(11).find("duplicate"), std::string::npos) << rejections(s);

  EXPECT_EQ(store->count_datasets(), 4);
  EXPECT_TRUE(store->dataset("20000008"));
  for (const char* key : {"20000001", "20000002", "20000004", "20000005", "20000006"})
    EXPECT_FALSE(store->dataset(key)) << key;  // nothing half-written
  // The first 15000000 row won, the duplicate did not overwrite it.
  EXPECT_EQ(store->dataset("15000000")->title, "농림수산식품교육문화정보원_기관조사가격서비스");
}

TEST(ImportDatagoStore, ANameTakenByAnotherDatasetRejectsOnlyThatRow) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  store->write([](Transaction& tx) {
    Dataset squatter;
    squatter.id = "not-from-the-list";
    squatter.name = "datago-15000017";  // the name row 15000017 will want
    squatter.title = "Someone else's dataset";
    tx.insert_dataset(squatter);
  });
  ImportSummary s = import_bytes(*store, testing::datago_2022_head(50));
  EXPECT_EQ(s.added, 49u);
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].ref, "15000017");
  EXPECT_NE(s.rejected[0].reason.find("name: That URL is already in use."), std::string::npos)
      << s.rejected[0].reason;
  EXPECT_EQ(store->count_datasets(), 50);  // 49 imported + the squatter, in the same batch
}

TEST(ImportDatagoStore, AnAgencyAlreadyRegisteredWithItsCodeIsReused) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  store->write([](Transaction& tx) {
    Organization o;
    o.id = "epis-registered-by-hand";
    o.name = "epis";
    o.title = "농림수산식품교육문화정보원";
    o.code = "B552895";
    tx.put_organization(o);
  });
  ImportSummary s = import_bytes(*store, testing::datago_2022_head(3));
  ASSERT_EQ(s.added, 3u);
  EXPECT_EQ(store->dataset("15000000")->owner_org, "epis-registered-by-hand");
  EXPECT_FALSE(store->organization("org-b552895"));  // no second copy of the agency
  EXPECT_EQ(store->organizations().size(), 3u);
}

// An org admin may rename their organization; naming it after the organization an import would
// create for another agency's 기관코드 must not bring that agency's datasets to it.
TEST(ImportDatagoStore, AnOrganizationMerelyNamedAfterACodeDoesNotReceiveItsDatasets) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  store->write([](Transaction& tx) {
    Organization o;
    o.id = "squatter";
    o.name = "org-b552895";
    o.title = "다른 기관";
    tx.put_organization(o);
  });
  ImportSummary s = import_bytes(*store, testing::datago_2022_head(3));
  EXPECT_FALSE(s.rejected.empty());
  EXPECT_FALSE(store->dataset("15000000"));
  store->for_each_dataset([](const Dataset& d) { EXPECT_NE(d.owner_org, "squatter") << d.name; });
}

TEST(ImportDatagoStore, BatchSizeDoesNotChangeTheResult) {
  testing::TempDir a, b;
  auto one = open_sqlite_store(a.file("catalog.db"));
  auto many = open_sqlite_store(b.file("catalog.db"));
  std::string text = testing::datago_2022_head(120);
  ImportOptions single;
  single.batch_size = 1;
  ImportOptions batched;
  batched.batch_size = 50;
  EXPECT_EQ(import_bytes(*one, text, single).added, 120u);
  EXPECT_EQ(import_bytes(*many, text, batched).added, 120u);
  std::vector<std::string> names_a = one->dataset_names(0, 1000);
  EXPECT_EQ(names_a, many->dataset_names(0, 1000));
  EXPECT_EQ(names_a.size(), 120u);
}

TEST(ImportDatagoStore, UnknownContentIsRefusedAsAWhole) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  EXPECT_THROW(import_bytes(*store, "<html><body>Not Found</body></html>"), BadRequest);
  EXPECT_THROW(import_bytes(*store, "name,title\nx,y\n"), BadRequest);
  EXPECT_THROW(import_bytes(*store, testing::fixture("cdc-data.json.2024-09")), BadRequest);
  EXPECT_EQ(store->head_revision(), 0);
}

}  // namespace
}  // namespace datamap::catalog::importer
