// The index survives a crash: `datamap serve` killed with SIGKILL while its indexer is catching
// up with a freshly imported catalog resumes from the revision it last committed after restart,
// and ends with exactly the catalog's datasets (none lost, none twice).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "catalog/store.h"
#include "search/service.h"
#include "tests/support/test_server.h"

using namespace datamap;
using namespace datamap::testing;

namespace {

// A data.go.kr list (the real header) with `rows` made-up datasets.
void write_list(const std::string& path, int rows) {
  std::ofstream out(path);
  out << "목록키,목록유형,목록명,목록설명,조회수,분류체계,기관코드,기관명,국가중점여부,표준데이터여부,"
         "목록 등록일,목록 수정일,목록 URL\n";
  const char* topics[] = {"주차장", "버스정류소", "공공자전거", "미세먼지", "도서관", "약국"};
  const char* orgs[][2] = {{"6110000", "서울특별시"}, {"6260000", "부산광역시"}, {"1741000", "행정안전부"}};
  for (int i = 0; i < rows; ++i) {
    const char* topic = topics[i % 6];
    const auto* org = orgs[i % 3];
    out << (17000000 + i) << ",FILE," << org[1] << "_" << topic << " 현황 " << i << ","
        << topic << " 위치와 운영 정보 " << i << "," << (i * 7) % 1000 << ",교통물류 - 도로,"
        << org[0] << "," << org[1] << ",N,N,2020-01-01,2022-06-30,https://www.data.go.kr/data/"
        << (17000000 + i) << "/fileData.do\n";
  }
}

std::int64_t search_count(TestServer& server, const std::string& body) {
  HttpReply r = server.client().action("package_search", body);
  if (r.status != 200) return -1;
  return r.json()["result"]["count"].GetInt64();
}

}  // namespace

TEST(SearchCrash, SigkillWhileIndexingThenRestartEndsWithTheCatalogsCount) {
  TempDir dir;
  const int rows = 4000;
  write_list(dir.file("list.csv"), rows);
  // --no-index: the server's indexer, not the import, is to be caught mid-way.
  CliResult imported = run_datamap(
      {"import", "--no-index", "--data", dir.file("data"), dir.file("list.csv")});
  ASSERT_EQ(imported.exit_code, 0) << imported.errors;

  TestServer::Options options;
  options.data_dir = dir.file("data");
  TestServer server(options);  // returns when the API answers; the indexer is catching up
  server.kill_hard();

  std::int64_t head = 0, applied_at_crash = 0, catalog_count = 0;
  {
    auto store = catalog::open_sqlite_store(dir.file("data") + "/catalog.db");
    head = store->head_revision();
    catalog_count = store->count_datasets();
    search::SearchOptions o;
    o.index_dir = dir.file("data") + "/index";
    search::SearchService index(*store, o);  // opened, not started: reads what was committed
    applied_at_crash = index.applied_revision();
  }
  ASSERT_EQ(catalog_count, rows);
  if (applied_at_crash >= head) {
    GTEST_LOG_(INFO) << "the indexer had finished before the kill; recovery is still checked";
  }

  server.start();
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  std::int64_t count = -1;
  while (std::chrono::steady_clock::now() < until) {
    count = search_count(server, "{}");
    if (count == catalog_count) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(count, catalog_count) << server.log();
  // none twice: every topic's datasets are there exactly once
  EXPECT_EQ(search_count(server, R"({"q":"공공자전거"})"), rows / 6 + (rows % 6 > 2 ? 1 : 0));
  EXPECT_EQ(search_count(server, R"({"fq":"organization:org-6110000"})") +
                search_count(server, R"({"fq":"organization:org-6260000"})") +
                search_count(server, R"({"fq":"organization:org-1741000"})"),
            catalog_count);
}

namespace {

// What the index holds, read without starting its indexer: (datasets, applied revision).
std::pair<std::int64_t, std::int64_t> index_state(const std::string& data_dir,
                                                  std::int64_t& head) {
  auto store = catalog::open_sqlite_store(data_dir + "/catalog.db");
  head = store->head_revision();
  search::SearchOptions o;
  o.index_dir = data_dir + "/index";
  search::SearchService index(*store, o);
  return {index.document_count(), index.applied_revision()};
}

}  // namespace

// The first search after `datamap import` sees every imported dataset: the import brings the
// index up to date before it returns (a fresh index rebuilt in bulk, a later small import
// applied from the change log), so a server started next answers from a complete index.
TEST(ImportIndex, ImportReturnsWithTheSearchIndexUpToDate) {
  TempDir dir;
  write_list(dir.file("list.csv"), 3000);
  CliResult first = run_datamap({"import", "--data", dir.file("data"), dir.file("list.csv")});
  ASSERT_EQ(first.exit_code, 0) << first.errors;
  EXPECT_NE(first.output.find("search index: 3000 datasets"), std::string::npos) << first.output;
  std::int64_t head = 0;
  auto [docs, applied] = index_state(dir.file("data"), head);
  EXPECT_EQ(docs, 3000);
  EXPECT_EQ(applied, head);

  write_list(dir.file("more.csv"), 3100);  // the same 3,000 and 100 new ones
  CliResult second = run_datamap({"import", "--data", dir.file("data"), dir.file("more.csv")});
  ASSERT_EQ(second.exit_code, 0) << second.errors;
  auto [docs2, applied2] = index_state(dir.file("data"), head);
  EXPECT_EQ(docs2, 3100);
  EXPECT_EQ(applied2, head);

  // With --no-index the index is left behind for the server.
  write_list(dir.file("most.csv"), 3200);
  CliResult third = run_datamap(
      {"import", "--no-index", "--data", dir.file("data"), dir.file("most.csv")});
  ASSERT_EQ(third.exit_code, 0) << third.errors;
  auto [docs3, applied3] = index_state(dir.file("data"), head);
  EXPECT_EQ(docs3, 3100);
  EXPECT_LT(applied3, head);
}

// While the server's indexer catches up with a catalog imported with --no-index, status_show
// says how many changes it has still to apply, and the search page tells its readers whenever
// that is large. (Read in the order page → status: a count still large after the page was drawn
// was large while it was drawn.)
TEST(ImportIndex, TheSearchPageSaysWhileTheIndexIsCatchingUp) {
  TempDir dir;
  write_list(dir.file("list.csv"), 6000);
  CliResult imported = run_datamap(
      {"import", "--no-index", "--data", dir.file("data"), dir.file("list.csv")});
  ASSERT_EQ(imported.exit_code, 0) << imported.errors;
  TestServer::Options options;
  options.data_dir = dir.file("data");
  TestServer server(options);
  for (int i = 0; i < 600; ++i) {
    HttpReply page = server.client().get("/dataset?q=%EC%A3%BC%EC%B0%A8%EC%9E%A5");
    ASSERT_EQ(page.status, 200);
    bool notice = page.body.find("검색 색인을 만드는 중입니다") != std::string::npos;
    auto status = server.client().action("status_show", "{}").json();
    std::int64_t pending = status["result"]["search_pending_changes"].GetInt64();
    EXPECT_EQ(pending, std::max<std::int64_t>(0, status["result"]["revision"].GetInt64() -
                                                     status["result"]["search_revision"].GetInt64()));
    if (pending >= 100) {
      EXPECT_TRUE(notice) << pending << " changes pending and no notice";
    }
    if (pending == 0) {
      HttpReply done = server.client().get("/dataset?q=%EC%A3%BC%EC%B0%A8%EC%9E%A5");
      EXPECT_EQ(done.body.find("검색 색인을 만드는 중입니다"), std::string::npos);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL() << "the index never caught up";
}
