// The index following a catalog (an in-memory store here), and searches against it.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

#include <xapian.h>

#include "catalog/errors.h"
#include "search/schema.h"
#include "search/service.h"
#include "tests/search/memory_store.h"
#include "tests/support/temp_dir.h"

using namespace datamap;
using namespace datamap::search;

namespace {

catalog::Dataset make(const std::string& id, const std::string& title, const std::string& notes,
                      const std::string& org = "org-seoul") {
  catalog::Dataset d;
  d.id = id;
  d.name = "ds-" + id;
  d.title = title;
  d.notes = notes;
  d.owner_org = org;
  return d;
}

std::string field(const SearchHit& hit, const char* name) {
  rapidjson::Document doc;
  doc.Parse(hit.package_json.c_str());
  return doc[name].GetString();
}

// The count of one value in facet `i` of a response (0 when the value is not listed).
std::int64_t facet_count(const SearchResponse& r, std::size_t i, const std::string& name) {
  for (const auto& item : r.facets.at(i).items) {
    if (item.name == name) return item.count;
  }
  return 0;
}

std::vector<std::string> ids(const SearchResponse& r) {
  std::vector<std::string> out;
  for (const auto& h : r.results) out.push_back(field(h, "id"));
  return out;
}

class SearchServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog::Organization seoul{"org-seoul", "seoul", "서울특별시", "", "6110000", "", "", "active"};
    catalog::Organization busan{"org-busan", "busan", "부산광역시", "", "6260000", "", "", "active"};
    store.put_org(seoul);
    store.put_org(busan);
    auto a = make("a", "서울특별시_공영주차장 현황", "서울시 공영주차장의 위치와 요금 정보를 제공합니다.");
    a.tags = {"주차", "교통"};
    a.groups = {"교통물류"};
    a.views = 500;
    a.metadata_modified = "2023-05-01T10:00:00.000000";
    a.resources.push_back(catalog::Resource{});
    a.resources.back().format = "CSV";
    auto b = make("b", "부산광역시_시내버스 노선정보", "부산 시내버스 노선과 정류소 정보", "org-busan");
    b.tags = {"버스", "교통"};
    b.groups = {"교통물류"};
    b.views = 900;
    b.metadata_modified = "2021-03-01T10:00:00.000000";
    b.resources.push_back(catalog::Resource{});
    b.resources.back().format = "JSON";
    auto c = make("c", "공공자전거 대여소 정보", "따릉이 대여소 위치", "org-seoul");
    c.tags = {"자전거"};
    c.groups = {"교통물류"};
    c.views = 100;
    c.national_priority = true;
    c.metadata_modified = "2024-07-01T10:00:00.000000";
    auto d = make("d", "대기오염 측정정보", "미세먼지(PM10) 및 초미세먼지 농도 측정 자료", "org-busan");
    d.tags = {"환경"};
    d.groups = {"환경기상"};
    d.views = 300;
    d.metadata_modified = "2022-01-15T00:00:00.000000";
    for (auto* x : {&a, &b, &c, &d}) store.put(*x);
  }

  SearchService& service() {
    if (!svc) {
      SearchOptions o;
      o.index_dir = dir.file("index");
      svc = std::make_unique<SearchService>(store, o);
      svc->catch_up();
    }
    return *svc;
  }

  SearchResponse search(const std::string& q, const std::string& fq = "") {
    SearchRequest r;
    r.q = q;
    r.fq = fq;
    return service().search(r);
  }

  datamap::testing::TempDir dir;
  datamap::testing::MemoryStore store;
  std::unique_ptr<SearchService> svc;
};

}  // namespace

TEST_F(SearchServiceTest, InflectedKoreanFindsTheSameDatasets) {
  for (const char* q : {"주차장", "주차장을", "주차장은", "주차장에서"}) {
    auto r = search(q);
    EXPECT_EQ(ids(r), std::vector<std::string>{"a"}) << q;
  }
}

TEST_F(SearchServiceTest, CompoundWordsAreFoundByTheirParts) {
  EXPECT_EQ(ids(search("자전거")), std::vector<std::string>{"c"});
  EXPECT_EQ(ids(search("버스")), std::vector<std::string>{"b"});
}

TEST_F(SearchServiceTest, RunTogetherTitlesAreFoundByTheirWords) {
  // Standard datasets' titles are one long compound, some with an alternative in brackets.
  store.put(make("e", "전국야영(캠핑)장표준데이터", "공공데이터 제공 표준데이터 속성정보"));
  store.put(make("f", "전국자전거대여소표준데이터", "공공데이터 제공 표준데이터 속성정보"));
  EXPECT_EQ(ids(search("캠핑장")), std::vector<std::string>{"e"});
  EXPECT_EQ(ids(search("야영장을")), std::vector<std::string>{"e"});
  auto r = ids(search("자전거 대여소"));
  ASSERT_EQ(r.size(), 2u);  // f and the fixture's 공공자전거 대여소 정보
  EXPECT_TRUE(std::find(r.begin(), r.end(), "f") != r.end());
}

TEST_F(SearchServiceTest, QuestionSentencesWork) {
  EXPECT_EQ(ids(search("부산 버스 노선 데이터를 찾고 싶어요"))[0], "b");
}

TEST_F(SearchServiceTest, EnglishSynonymsReachKoreanDatasets) {
  EXPECT_EQ(ids(search("bike")), std::vector<std::string>{"c"});
  EXPECT_EQ(ids(search("parking")), std::vector<std::string>{"a"});
  EXPECT_EQ(ids(search("fine dust")), std::vector<std::string>{"d"});
  EXPECT_EQ(ids(search("pm10")), std::vector<std::string>{"d"});
}

TEST_F(SearchServiceTest, EmptyQueryListsEverythingNewestFirst) {
  auto r = search("");
  EXPECT_EQ(r.count, 4);
  EXPECT_EQ(ids(r), (std::vector<std::string>{"c", "a", "d", "b"}));
  EXPECT_EQ(r.sort, "score desc, metadata_modified desc");
}

TEST_F(SearchServiceTest, FacetsCountEveryMatch) {
  SearchRequest r;
  r.facet_fields = {"organization", "tags", "res_format", "groups"};
  auto res = service().search(r);
  ASSERT_EQ(res.facets.size(), 4u);
  EXPECT_EQ(res.facets[0].field, "organization");
  ASSERT_EQ(res.facets[0].items.size(), 2u);
  EXPECT_EQ(res.facets[0].items[0].count, 2);
  EXPECT_TRUE(res.facets[0].items[0].display_name == "부산광역시" ||
              res.facets[0].items[0].display_name == "서울특별시");
  EXPECT_EQ(res.facets[1].items[0].name, "교통");
  EXPECT_EQ(res.facets[1].items[0].count, 2);
  EXPECT_EQ(res.facets[3].items[0].name, "교통물류");
  EXPECT_EQ(res.facets[3].items[0].count, 3);
  r.facet_limit = 1;
  EXPECT_EQ(service().search(r).facets[1].items.size(), 1u);
}

TEST_F(SearchServiceTest, FacetsFollowChangesAfterTheFirstSearch) {
  // Facet values are counted from an in-memory table read at the first search (doc_table.h):
  // updates, deletes, new datasets and an organization's new title must all reach it.
  SearchRequest r;
  r.facet_fields = {"organization", "tags", "res_format"};
  auto before = service().search(r);
  EXPECT_EQ(facet_count(before, 1, "교통"), 2);
  EXPECT_EQ(facet_count(before, 2, "JSON"), 1);

  auto a = *store.dataset("a");
  a.owner_org = "org-busan";
  a.tags = {"주차", "관광"};
  a.resources.back().format = "XLSX";
  store.put(a);
  store.remove("b");
  auto e = make("e", "부산 관광지 주차장", "", "org-busan");
  e.tags = {"관광"};
  store.put(e);
  store.put_org({"org-busan", "busan", "부산시청", "", "", "", "", "active"});
  service().catch_up();

  auto after = service().search(r);
  EXPECT_EQ(after.count, 4);
  EXPECT_EQ(facet_count(after, 0, "busan"), 3);  // a, d, e
  EXPECT_EQ(facet_count(after, 0, "seoul"), 1);  // c
  EXPECT_EQ(after.facets[0].items[0].display_name, "부산시청");
  EXPECT_EQ(facet_count(after, 1, "관광"), 2);
  EXPECT_EQ(facet_count(after, 1, "교통"), 0);  // b deleted, a lost the tag
  EXPECT_EQ(facet_count(after, 2, "XLSX"), 1);
  EXPECT_EQ(facet_count(after, 2, "CSV"), 0);
  EXPECT_EQ(facet_count(after, 2, "JSON"), 0);
}

TEST_F(SearchServiceTest, EarlyStoppingKeepsTheBestPageBeforeAndAfterAParallelReindex) {
  // Ranked pages come from a match that stops once no other document can reach the page, with
  // a popularity bound that falls as the match advances (doc_table.h). Sixty datasets with the
  // same text and different views, created in scattered order: the page must be exactly the
  // most viewed ones, before and after a reindex (three shards here) renumbers them.
  std::vector<std::pair<std::int64_t, std::string>> by_views;
  for (int i = 0; i < 60; ++i) {
    std::string id = "p";  // (not "p" + to_string: GCC 12 warns falsely on it)
    id += std::to_string(i);
    auto d = make(id, "zzparking 현황", "zzparking 위치");
    const int rank = (i * 37) % 60;  // a permutation of 0..59
    d.views = static_cast<std::int64_t>(10 * std::pow(1.2, rank));
    store.put(d);
    by_views.emplace_back(-d.views, d.id);
  }
  std::sort(by_views.begin(), by_views.end());
  std::vector<std::string> best, next;
  for (int i = 0; i < 10; ++i) best.push_back(by_views[i].second);
  for (int i = 10; i < 20; ++i) next.push_back(by_views[i].second);

  SearchOptions o;
  o.index_dir = dir.file("index");
  o.reindex_shards = 3;
  svc = std::make_unique<SearchService>(store, o);
  svc->catch_up();
  SearchRequest r;
  r.q = "zzparking";
  r.facet_fields = {"organization"};
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "indexed in creation order" : "after the reindex");
    r.start = 0;
    auto page = svc->search(r);
    EXPECT_EQ(page.count, 60);
    EXPECT_EQ(ids(page), best);
    EXPECT_EQ(facet_count(page, 0, "seoul"), 60);
    r.start = 10;
    EXPECT_EQ(ids(svc->search(r)), next);
    if (pass == 0) svc->reindex();
  }
  EXPECT_EQ(svc->document_count(), 64);
}

TEST_F(SearchServiceTest, AReindexInManySmallRunsAnswersAsOneRunDoes) {
  // A reindex within a small memory budget writes many small databases (runs) from two shards
  // and joins them: every answer — page order, counts, facets, spelling — must be the one a
  // single run gives, documents numbered most viewed first across the run boundaries.
  const char* words[] = {"주차장", "버스", "자전거", "미세먼지", "관광", "날씨", "도서관", "병원"};
  for (int i = 0; i < 150; ++i) {
    std::string id = "r";
    id += std::to_string(i);
    std::string title = words[i % 8];
    title += " 현황 ";
    title += words[(i * 3 + 1) % 8];
    auto d = make(id, title, std::string(words[(i * 5 + 2) % 8]) + " 정보 자료",
                  i % 3 == 0 ? "org-busan" : "org-seoul");
    d.tags = {words[i % 5], words[(i + 2) % 7]};
    d.groups = {i % 2 == 0 ? "교통물류" : "환경기상"};
    d.views = (i * 7919) % 1000;  // scattered: runs cut the popularity order, not creation order
    d.resources.push_back(catalog::Resource{});
    d.resources.back().format = i % 4 == 0 ? "CSV" : "JSON";
    if (i % 25 == 0) d.state = "deleted";
    store.put(d);
  }
  auto answers = [&](const SearchOptions& o) {
    svc.reset();
    svc = std::make_unique<SearchService>(store, o);
    svc->reindex();
    std::vector<std::string> out;
    for (const char* q :
         {"", "주차장", "버스 현황", "도서관 정보", "병원 자료", "관광 날씨", "주차장울"}) {
      for (const char* fq : {"", "organization:busan", "res_format:csv", "tags:버스"}) {
        for (int start : {0, 10, 40}) {
          SearchRequest r;
          r.q = q;
          r.fq = fq;
          r.start = start;
          r.facet_fields = {"organization", "tags", "res_format", "groups"};
          const auto res = svc->search(r);
          std::string line = std::string(q) + "|" + fq + "|" + std::to_string(start) + " count " +
                             std::to_string(res.count) + " [" + res.suggestion + "]";
          for (const auto& id : ids(res)) line += " " + id;
          for (const auto& f : res.facets) {
            for (const auto& item : f.items)
              line += " " + item.name + "=" + std::to_string(item.count);
          }
          out.push_back(line);
        }
      }
    }
    out.push_back("documents " + std::to_string(svc->document_count()));
    // The numbering itself (ranked pages stop early on it: doc_table.h), most viewed first.
    Xapian::Database db(dir.file("index") + "/current");
    std::string order = "by docid:";
    for (Xapian::docid did = 1; did <= db.get_lastdocid(); ++did) {
      order += " " + db.get_document(did).get_value(schema::kIdValue);
    }
    out.push_back(order);
    return out;
  };
  SearchOptions one;
  one.index_dir = dir.file("index");
  one.reindex_shards = 1;
  one.reindex_run_documents = 1000;  // all in one run
  const auto expected = answers(one);
  EXPECT_EQ(expected[expected.size() - 2], "documents 148");  // 4 of the fixture + 150 - 6 deleted

  SearchOptions many = one;
  many.reindex_shards = 2;
  many.reindex_run_documents = 7;  // 23 runs, taken by two shards in turn
  const auto got = answers(many);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], expected[i]);

  // The runs are scratch: only the live generation remains.
  std::size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.file("index"))) {
    EXPECT_EQ(e.path().filename().string().find(".part-"), std::string::npos) << e.path();
    ++entries;
  }
  EXPECT_EQ(entries, 2u);  // the stub and one generation
}

// Every document of `db` as text: its id, stored package dict, values and terms with their
// weights and positions, sorted by id (the docids of two indexes may differ).
std::vector<std::string> documents_of(const std::string& index_dir) {
  Xapian::Database db(index_dir + "/current");
  std::vector<std::string> out;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    const Xapian::Document doc = db.get_document(*it);
    std::string text = doc.get_value(schema::kIdValue) + "\n" + doc.get_data() + "\n";
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
      text += std::to_string(v.get_valueno()) + "=" + *v + "\n";
    }
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      text += *t + " " + std::to_string(t.get_wdf());
      for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
        text += " @" + std::to_string(*p);
      }
      text += "\n";
    }
    out.push_back(std::move(text));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(SearchServiceTest, BulkBatchesIndexWhatTheLivePathIndexes) {
  // A follower far behind (a harvest, an import) applies bulk batches: datasets read in one
  // pass, documents built on a second thread, one commit per bulk batch. Its index must hold
  // exactly the documents the batch-by-batch live path writes: none dropped, duplicated or
  // mangled, through creates, updates, purges, state changes and an organization rename.
  const char* words[] = {"주차장", "버스", "자전거", "미세먼지", "관광", "날씨", "도서관", "병원"};
  auto write_catalog = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      auto d = make("h" + std::to_string(i),
                    std::string(words[i % 8]) + " 현황 " + words[(i * 3 + 1) % 8],
                    std::string(words[(i * 5 + 2) % 8]) + " 정보 자료",
                    i % 3 == 0 ? "org-busan" : "org-seoul");
      d.tags = {words[i % 5]};
      d.groups = {i % 2 == 0 ? "교통물류" : "환경기상"};
      d.views = i * 13 % 700;
      d.resources.push_back(catalog::Resource{});
      d.resources.back().format = i % 4 == 0 ? "CSV" : "JSON";
      store.put(d);
    }
  };
  write_catalog(0, 300);
  for (int i = 0; i < 300; i += 7) {  // updates of datasets created in the same run of changes
    auto d = *store.dataset("h" + std::to_string(i));
    d.title += " 개정";
    if (i % 2 == 0) d.state = "draft";
    store.put(d);
  }
  for (int i = 5; i < 300; i += 11) store.remove("h" + std::to_string(i));  // stay, as deleted
  for (int i = 9; i < 300; i += 13) store.purge("h" + std::to_string(i));
  store.put_org({"org-busan", "busan", "부산시청", "", "", "", "", "active"});

  SearchOptions live;
  live.index_dir = dir.file("live");
  live.batch_size = 10;
  live.bulk_batch_size = 0;  // every batch 10 changes, one thread
  SearchOptions bulk = live;
  bulk.index_dir = dir.file("bulk");
  bulk.bulk_batch_size = 128;  // more than 10 pending: bulk batches of up to 128
  SearchService by_batch(store, live);
  SearchService in_bulk(store, bulk);
  // Half the catalog, then the rest: bulk batches on top of an index that already has documents.
  ASSERT_EQ(by_batch.catch_up(), store.head_revision());
  ASSERT_EQ(in_bulk.catch_up(), store.head_revision());
  write_catalog(300, 520);
  ASSERT_EQ(by_batch.catch_up(), store.head_revision());
  ASSERT_EQ(in_bulk.catch_up(), store.head_revision());

  const auto expected = documents_of(live.index_dir);
  const auto got = documents_of(bulk.index_dir);
  EXPECT_EQ(expected.size(), 4u + 520u - 23u);  // the fixture's 4 + 520 - 23 purged
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], expected[i]);
  for (const char* q : {"", "주차장", "버스 현황", "부산시청", "도서관 개정", "병원 자료"}) {
    SearchRequest r;
    r.q = q;
    r.rows = 1000;  // every match: equal scores may come in another docid order
    r.facet_fields = {"organization", "tags"};
    const auto a = by_batch.search(r);
    const auto b = in_bulk.search(r);
    EXPECT_GT(a.count, 0) << q;
    EXPECT_EQ(b.count, a.count) << q;
    auto sorted = [](std::vector<std::string> v) {
      std::sort(v.begin(), v.end());
      return v;
    };
    EXPECT_EQ(sorted(ids(b)), sorted(ids(a))) << q;
  }
  EXPECT_EQ(in_bulk.document_count(), by_batch.document_count());
}

TEST_F(SearchServiceTest, GroupsComeWithTheirTitles) {
  store.put_group(catalog::Group{"grp-1", "교통물류", "교통 및 물류", "버스, 철도, 주차", ""});
  SearchRequest r;
  r.q = "자전거";
  r.facet_fields = {"groups"};
  auto res = service().search(r);
  ASSERT_EQ(res.results.size(), 1u);
  rapidjson::Document pkg;
  pkg.Parse(res.results[0].package_json.c_str());
  ASSERT_EQ(pkg["groups"].Size(), 1u);
  EXPECT_STREQ(pkg["groups"][0]["name"].GetString(), "교통물류");
  EXPECT_STREQ(pkg["groups"][0]["title"].GetString(), "교통 및 물류");
  EXPECT_STREQ(pkg["groups"][0]["display_name"].GetString(), "교통 및 물류");
  EXPECT_STREQ(pkg["groups"][0]["id"].GetString(), "grp-1");
  ASSERT_EQ(res.facets[0].items.size(), 1u);
  EXPECT_EQ(res.facets[0].items[0].name, "교통물류");
  EXPECT_EQ(res.facets[0].items[0].display_name, "교통 및 물류");
  // fq still takes the group's name
  EXPECT_EQ(search("", "groups:교통물류").count, 3);

  // A renamed group reaches its datasets' stored dicts and the facet.
  store.put_group(catalog::Group{"grp-1", "교통물류", "교통·물류", "", ""});
  service().catch_up();
  res = service().search(r);
  pkg.Parse(res.results[0].package_json.c_str());
  EXPECT_STREQ(pkg["groups"][0]["title"].GetString(), "교통·물류");
  EXPECT_EQ(res.facets[0].items[0].display_name, "교통·물류");
  EXPECT_EQ(res.facets[0].items[0].count, 1);
}

TEST_F(SearchServiceTest, FilterQueries) {
  EXPECT_EQ(search("", "organization:busan").count, 2);
  EXPECT_EQ(search("", "organization:busan -tags:환경").count, 1);
  EXPECT_EQ(search("", "res_format:csv").count, 1);
  EXPECT_EQ(search("", "tags:교통 AND organization:seoul").count, 1);
  EXPECT_EQ(search("", "tags:(버스 OR 자전거)").count, 2);
  EXPECT_EQ(search("", "national_priority:true").count, 1);
  EXPECT_EQ(search("", "metadata_modified:[2022-01-01T00:00:00Z TO *]").count, 3);
  EXPECT_EQ(search("", "metadata_modified:[* TO 2022-01-15]").count, 2);
  EXPECT_EQ(search("", "views:[300 TO 900}").count, 2);
  EXPECT_EQ(search("교통", "organization:\"seoul\"").count, 2);
  EXPECT_EQ(search("tags:버스").count, 1);  // CKAN clients put fields in q too
}

TEST_F(SearchServiceTest, Sorts) {
  SearchRequest r;
  r.sort = "views desc";
  EXPECT_EQ(ids(service().search(r)), (std::vector<std::string>{"b", "a", "d", "c"}));
  r.sort = "title_string asc";
  EXPECT_EQ(ids(service().search(r)), (std::vector<std::string>{"c", "d", "b", "a"}));
  r.sort = "metadata_modified asc";
  EXPECT_EQ(ids(service().search(r))[0], "b");
  r.sort = "colour desc";
  EXPECT_THROW(service().search(r), BadRequest);
}

TEST_F(SearchServiceTest, PagingAndCursors) {
  SearchRequest r;
  r.rows = 3;
  r.sort = "views desc";
  auto p1 = service().search(r);
  EXPECT_EQ(p1.count, 4);
  ASSERT_EQ(p1.results.size(), 3u);
  ASSERT_FALSE(p1.next_cursor.empty());
  r.cursor = p1.next_cursor;
  auto p2 = service().search(r);
  EXPECT_EQ(ids(p2), std::vector<std::string>{"c"});
  EXPECT_TRUE(p2.next_cursor.empty());
  r.cursor.clear();
  r.start = 2;
  r.rows = 10;
  EXPECT_EQ(ids(service().search(r)), (std::vector<std::string>{"d", "c"}));
  // relevance order pages with an offset cursor
  SearchRequest q;
  q.q = "교통";
  q.rows = 2;
  auto s1 = service().search(q);
  ASSERT_FALSE(s1.next_cursor.empty());
  q.cursor = s1.next_cursor;
  auto s2 = service().search(q);
  EXPECT_EQ(s2.results.size(), 1u);
}

TEST_F(SearchServiceTest, PrivateDatasetsOnlyForTheirOrganization) {
  auto p = make("p", "비공개 주차장 내부자료", "내부", "org-busan");
  p.is_private = true;
  store.put(p);
  service().catch_up();
  EXPECT_EQ(search("주차장").count, 1);
  SearchRequest r;
  r.q = "주차장";
  r.private_org_ids = {"org-seoul"};
  EXPECT_EQ(service().search(r).count, 1);
  r.private_org_ids = {"org-busan"};
  EXPECT_EQ(service().search(r).count, 2);
  r.private_org_ids.clear();
  r.all_private = true;
  EXPECT_EQ(service().search(r).count, 2);
}

TEST_F(SearchServiceTest, UpdatesAndDeletesFollowTheChangeLog) {
  EXPECT_EQ(search("주차장").count, 1);
  store.remove("a");
  auto b = *store.dataset("b");
  b.title = "부산 공영주차장 안내";
  store.put(b);
  EXPECT_EQ(service().catch_up(), store.head_revision());
  EXPECT_EQ(ids(search("주차장")), std::vector<std::string>{"b"});
  EXPECT_EQ(service().document_count(), 3);
}

TEST_F(SearchServiceTest, DeletedDatasetsStayIndexedForThoseWhoAskThroughAReindex) {
  store.remove("a");
  auto b = *store.dataset("b");
  b.state = "draft";
  store.put(b);
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "followed from the change log" : "after a reindex");
    if (pass == 0) {
      EXPECT_EQ(service().catch_up(), store.head_revision());
    } else {
      service().reindex();
    }
    SearchRequest r;
    r.all_editable = true;
    EXPECT_EQ(service().search(r).count, 2);  // not asked: neither
    r.include_deleted = true;
    EXPECT_EQ(ids(service().search(r)).size(), 3u);
    r.include_drafts = true;
    EXPECT_EQ(service().search(r).count, 4);
    r.all_editable = false;  // asked, but allowed to edit none of them
    EXPECT_EQ(service().search(r).count, 2);
    r.editable_org_ids = {"org-busan"};  // b's editors
    EXPECT_EQ(service().search(r).count, 3);
    EXPECT_EQ(service().document_count(), 2);
  }
}

TEST_F(SearchServiceTest, OrganizationRenameReachesItsDatasets) {
  service();
  SearchRequest first;
  first.facet_fields = {"organization"};
  ASSERT_EQ(service().search(first).facets[0].items.size(), 2u);  // facets read before the rename
  store.put_org({"org-busan", "busan", "부산시청", "", "", "", "", "active"});
  service().catch_up();
  SearchRequest r;
  r.facet_fields = {"organization"};
  r.fq = "organization:busan";
  auto res = service().search(r);
  ASSERT_EQ(res.facets[0].items.size(), 1u);
  EXPECT_EQ(res.facets[0].items[0].display_name, "부산시청");
  EXPECT_EQ(search("부산시청").count, 2);
}

TEST_F(SearchServiceTest, BackgroundIndexerPicksUpWrites) {
  service().start();
  store.put(make("n", "새로운 캠핑장 목록", "야영장"));
  service().notify();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (search("캠핑장").count == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(search("캠핑장").count, 1);
  service().stop();
}

TEST_F(SearchServiceTest, ResumesFromTheStoredRevisionAfterReopen) {
  service();
  const auto rev = svc->applied_revision();
  EXPECT_EQ(rev, store.head_revision());
  svc.reset();
  store.put(make("late", "나중에 들어온 도서관 자료", ""));
  SearchOptions o;
  o.index_dir = dir.file("index");
  SearchService again(store, o);
  EXPECT_EQ(again.applied_revision(), rev);  // nothing re-applied on open
  again.catch_up();
  EXPECT_EQ(again.document_count(), 5);
}

TEST_F(SearchServiceTest, AnIndexOfAnOlderSchemaIsRebuiltInTheBackground) {
  // An index left by an older build (after an upgrade): stamped with another schema version and
  // missing a document. The background indexer must rebuild it, not stop following the catalog.
  service();
  svc.reset();
  int generations = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.file("index"))) {
    if (e.path().filename().string().rfind("gen-", 0) != 0) continue;
    ++generations;
    Xapian::WritableDatabase old(e.path().string(), Xapian::DB_OPEN);
    old.set_metadata(schema::kSchemaKey, "0");
    old.delete_document(*old.postlist_begin(""));  // the first document
    old.commit();
  }
  ASSERT_EQ(generations, 1);
  SearchOptions o;
  o.index_dir = dir.file("index");
  SearchService upgraded(store, o);
  EXPECT_EQ(upgraded.document_count(), 3);  // the old index still answers meanwhile
  upgraded.start();
  store.put(make("new", "업그레이드 뒤에 등록한 도서관 자료", ""));
  upgraded.notify();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (upgraded.document_count() != 5 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(upgraded.document_count(), 5);
  SearchRequest r;
  r.q = "도서관";
  EXPECT_EQ(upgraded.search(r).count, 1);
  upgraded.stop();
}

TEST_F(SearchServiceTest, ReindexSwapsWhileSearchesRun) {
  service();
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!done) {
      SearchRequest r;
      if (service().search(r).count != 4) ++bad;
    }
  });
  std::vector<ReindexProgress> seen;
  service().reindex([&](const ReindexProgress& p) { seen.push_back(p); });
  service().reindex();
  done = true;
  reader.join();
  EXPECT_EQ(bad, 0);
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(seen.back().finished);
  EXPECT_EQ(seen.back().done, 4);
  EXPECT_EQ(search("주차장").count, 1);
  EXPECT_EQ(svc->applied_revision(), store.head_revision());
}

TEST_F(SearchServiceTest, ConcurrentSearchesShareNoXapianObjects) {
  // Xapian objects are not thread-safe. Browsing (no q, no fq) and a sysadmin's view of private
  // datasets both match everything: copying Xapian's one static MatchAll query from several
  // threads at once once crashed the server under load.
  service();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1500; ++i) {
        SearchRequest r;
        r.all_private = (i + t) % 2 == 0;
        r.facet_fields = {"organization"};
        if (i % 3 == 0) r.fq = "-tags:없는태그";
        if (service().search(r).count != 4) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, 0);
}

TEST_F(SearchServiceTest, QuotedPhraseInTheTitleRanksFirst) {
  // The same words, one title in the quoted order; "apart" is indexed first, so it would win
  // the tie without the phrase boost.
  auto apart = make("apart", "전망 노을 명소", "");
  auto together = make("together", "노을 전망 명소", "");
  store.put(apart);
  store.put(together);
  EXPECT_EQ(ids(search("\"노을 전망\"")).front(), "together");
}

TEST_F(SearchServiceTest, HighlightShowsWhyItMatched) {
  auto r = search("주차장");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_NE(r.results[0].highlight.find("<em>공영주차장의</em>"), std::string::npos)
      << r.results[0].highlight;
}

TEST_F(SearchServiceTest, AutocompleteOnTitlePrefixes) {
  service();
  SearchRequest vis;
  auto items = svc->autocomplete("공공자", 10, vis);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].title, "공공자전거 대여소 정보");
  EXPECT_EQ(svc->autocomplete("부산광역시 시내", 10, vis).size(), 1u);
  EXPECT_TRUE(svc->autocomplete("없는말", 10, vis).empty());
}

TEST_F(SearchServiceTest, SpellingSuggestionWhenNothingFound) {
  auto r = search("공공자전가 우주선");  // nothing has both; any-word finds the corrected one
  EXPECT_EQ(r.suggestion, "공공자전거 우주선");
}

TEST_F(SearchServiceTest, AJamoTypoStillFindsTheWordAndSuggestsIt) {
  // One wrong jamo (ㅛ for ㅗ, ㅏ for ㅓ): the corrected word is searched too, and offered.
  auto r = search("대여쇼");
  EXPECT_EQ(ids(r), std::vector<std::string>{"c"});
  EXPECT_EQ(r.suggestion, "대여소");
  r = search("자전가 대여소");
  EXPECT_EQ(ids(r), std::vector<std::string>{"c"});
  EXPECT_EQ(r.suggestion, "자전거 대여소");
  // A correctly typed query gets no suggestion.
  EXPECT_EQ(search("자전거 대여소").suggestion, "");
}

TEST_F(SearchServiceTest, EnglishReachesKoreanThroughStandardWordsAndRomanisation) {
  store.put(make("g", "시립도서관 소장자료 현황", "도서 목록", "org-seoul"));
  EXPECT_EQ(ids(search("library")), std::vector<std::string>{"g"});  // 도서관 <-> Library
  EXPECT_EQ(ids(search("Busan bus"))[0], "b");                       // Busan -> 부산
}

TEST_F(SearchServiceTest, EverydayEnglishReachesKoreanThroughTheDictionary) {
  // data/search/english.txt: words neither the standard words nor the curated synonyms name
  // (veterinary, asbestos).
  store.put(make("g", "세종특별자치시 동물병원 현황", "동물병원 목록", "org-seoul"));
  store.put(make("h", "석면 건축물 현황", "석면 조사 대상 건축물", "org-seoul"));
  EXPECT_EQ(ids(search("veterinary hospital")), std::vector<std::string>{"g"});
  EXPECT_EQ(ids(search("asbestos buildings")), std::vector<std::string>{"h"});
  EXPECT_EQ(ids(search("Sejong veterinary"))[0], "g");  // Sejong -> 세종(특별자치시)
}

TEST_F(SearchServiceTest, AgenciesAreFoundByTheirEnglishNamesAndAcronyms) {
  // data/search/english_agencies.txt: titles name the publisher in Korean only.
  store.put(make("g", "한국마사회_경주마 상세정보", "경주마 목록", "org-seoul"));
  store.put(make("h", "농촌진흥청_농업기술 동영상", "영농 기술", "org-seoul"));
  EXPECT_EQ(ids(search("Korea Racing Authority")), std::vector<std::string>{"g"});
  EXPECT_EQ(ids(search("RDA")), std::vector<std::string>{"h"});
  EXPECT_EQ(ids(search("rural development administration video")), std::vector<std::string>{"h"});
}

TEST_F(SearchServiceTest, HostileRequestsAreQueryErrors) {
  auto expect_error = [&](SearchRequest r) {
    try {
      service().search(r);
      ADD_FAILURE() << "accepted q=" << r.q.substr(0, 40) << " fq=" << r.fq;
    } catch (const BadRequest& e) {
      EXPECT_EQ(e.type(), "Search Query Error");
    }
  };
  SearchRequest r;
  r.rows = -1;
  expect_error(r);
  r = {};
  r.rows = 1001;
  expect_error(r);
  r = {};
  r.start = 1000000000000;
  expect_error(r);
  r = {};
  r.fq = "colour:red";
  expect_error(r);
  r = {};
  r.q = "\"주차장";
  expect_error(r);
  r = {};
  r.q = "bad \xff\xfe utf8";
  expect_error(r);
  r = {};
  std::string many;
  for (int i = 0; i < 10000; ++i) {
    many.append(1, 'w');
    many.append(std::to_string(i));
    many.append(1, ' ');
  }
  r.q = many;
  expect_error(r);
  r = {};
  r.facet_fields = {"password"};
  expect_error(r);
  r = {};
  r.cursor = "zz";
  expect_error(r);
}

TEST_F(SearchServiceTest, WordsTitlesDoNotUseReachTitlesThroughRelatedWords) {
  // data/search/related.txt, learnt from the 2022 list's own text: 장애우 (an everyday word no
  // title uses) -> 장애. Without the reading no dataset has both words, and the fallback lists
  // every 복지시설 alike.
  store.put(
      make("g", "충청남도 계룡시_장애인 복지시설", "장애인 복지시설의 종류와 이름", "org-seoul"));
  store.put(make("h", "노인 복지시설 현황", "노인 복지시설 목록", "org-seoul"));
  EXPECT_EQ(ids(search("장애우 복지시설")), std::vector<std::string>{"g"});
  SearchOptions o;
  o.index_dir = dir.file("index-without");
  o.readings.related_words = false;
  SearchService without(store, o);
  without.catch_up();
  SearchRequest r;
  r.q = "장애우 복지시설";
  EXPECT_EQ(ids(without.search(r)).size(), 2u);
}
