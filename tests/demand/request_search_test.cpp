// Data requests searched as datasets are (search/request_index.h), over real HTTP: particles,
// compound words, the English standard words and jamo typos find a request; the index follows
// creates, updates and closes; a request never comes out of package_search, and a private
// dataset never comes out of the duplicate check; hostile queries get a precise 400. And unmet
// demand on the map: datamap_overview's counts, recomputed here from the requests the test made.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/api_world.h"
#include "tests/graph/map_http.h"

namespace datamap::testing {
namespace {

std::string str(const rapidjson::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

struct SearchWorld : ApiWorld {
  std::string citizen = server.add_user("citizen");

  std::string request(const std::string& title, const std::string& org = "agency-a",
                      const std::string& description = "설명") {
    auto doc = ok("datarequest_create",
                  R"({"title":")" + title + R"(","description":")" + description +
                      R"(","organization":")" + org + R"("})",
                  citizen);
    return str(doc["result"], "id");
  }
  // The ids datarequest_search answers for `body`, best first.
  std::vector<std::string> found(const std::string& body) {
    auto doc = ok("datarequest_search", body);
    std::vector<std::string> ids;
    for (const auto& r : doc["result"]["results"].GetArray()) ids.push_back(str(r, "id"));
    EXPECT_EQ(doc["result"]["count"].GetInt64(), static_cast<std::int64_t>(ids.size()));
    return ids;
  }
  std::vector<std::string> found_q(const std::string& q) {
    return found(R"({"q":")" + q + R"("})");
  }
};

TEST(RequestSearch, KoreanAnalysisFindsARequestAsItFindsDatasets) {
  SearchWorld w;
  const std::string parking = w.request("전국 주차장 정보 개방 요청");
  const std::string meals = w.request("학교 급식 식단표", "agency-b", "초등학교 급식");
  // A particle glued to a compound (주차장정보를), the English standard word, a jamo typo.
  EXPECT_EQ(w.found_q("주차장정보를"), std::vector<std::string>{parking});
  EXPECT_EQ(w.found_q("parking"), std::vector<std::string>{parking});
  EXPECT_EQ(w.found_q("주차쟝"), std::vector<std::string>{parking});
  EXPECT_EQ(w.found_q("급식을"), std::vector<std::string>{meals});
  // Nothing has both words: the request with either comes, as package_search relaxes.
  EXPECT_EQ(w.found_q("급식 우주선"), std::vector<std::string>{meals});
  EXPECT_TRUE(w.found_q("우주선").empty());
  // Filters still apply to the matches.
  EXPECT_TRUE(w.found(R"({"q":"주차장","organization":"agency-b"})").empty());
  EXPECT_EQ(w.found(R"({"q":"주차장","status":"open"})"), std::vector<std::string>{parking});

  // The index follows an update of the title and the close.
  w.ok("datarequest_update", R"({"id":")" + parking + R"(","title":"전국 자전거 대여소 현황"})",
       w.citizen);
  EXPECT_TRUE(w.found_q("주차장").empty());
  EXPECT_EQ(w.found_q("자전거"), std::vector<std::string>{parking});
  w.ok("datarequest_close", R"({"id":")" + meals + R"(","outcome":"refused","reason":"not_held"})",
       w.editor_b);
  EXPECT_EQ(w.found(R"({"q":"급식","status":"refused"})"), std::vector<std::string>{meals});
  EXPECT_TRUE(w.found(R"({"q":"급식","status":"open"})").empty());

  // A request is never a package_search result, even for its own words.
  auto pkgs = w.ok("package_search", R"({"q":"자전거 대여소"})");
  for (const auto& p : pkgs["result"]["results"].GetArray()) EXPECT_NE(str(p, "id"), parking);

  // A hidden comment's words find nothing: comments are not searched.
  auto c = w.ok("datarequest_comment", R"({"id":")" + parking + R"(","comment":"비밀스러운 낙서"})",
                w.citizen);
  w.ok("datarequest_comment_hide", R"({"id":")" + str(c["result"], "id") + R"(","reason":"광고"})",
       w.admin_a);
  EXPECT_TRUE(w.found_q("낙서").empty());
}

TEST(RequestSearch, RanksTheCloserTitleFirstAndSortsOnRequest) {
  SearchWorld w;
  const std::string loose = w.request("도서관 위치", "agency-a", "주차장 요금도 알려주세요");
  const std::string close = w.request("공영주차장 요금 정보");
  auto ranked = w.found_q("주차장 요금");
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0], close);  // a title match outweighs one in the description
  auto oldest = w.found(R"({"q":"주차장 요금","sort":"created asc"})");
  EXPECT_EQ(oldest, (std::vector<std::string>{loose, close}));
  auto page = w.ok("datarequest_search", R"({"q":"주차장 요금","limit":1,"offset":1})");
  EXPECT_EQ(page["result"]["count"].GetInt64(), 2);
  ASSERT_EQ(page["result"]["results"].Size(), 1u);
  EXPECT_EQ(str(page["result"]["results"][0], "id"), loose);
}

// `datamap reindex` rebuilds the request index too: a lost index directory is whole again, and
// while a server holds the index the command says so instead of touching it.
TEST(RequestSearch, ReindexRebuildsTheRequestIndexAndLeavesARunningServersOneAlone) {
  SearchWorld w;
  const std::string parking = w.request("전국 주차장 정보 개방 요청");
  const std::string dir = w.server.data_dir();

  CliResult busy = run_datamap({"reindex", "--data", dir});
  EXPECT_EQ(busy.exit_code, 0) << busy.errors;
  EXPECT_NE(busy.errors.find("request index: not rebuilt"), std::string::npos) << busy.errors;
  EXPECT_NE(busy.errors.find("in use by another process"), std::string::npos) << busy.errors;

  w.server.stop();
  std::filesystem::remove_all(std::filesystem::path(dir) / "request-index");
  CliResult rebuilt = run_datamap({"reindex", "--data", dir});
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.errors;
  EXPECT_NE(rebuilt.output.find("request index: 1 data requests"), std::string::npos)
      << rebuilt.output;
  w.server.start();
  w.http = w.server.client();
  EXPECT_EQ(w.found_q("주차장"), std::vector<std::string>{parking});
}

TEST(RequestSearch, HostileQueriesGetAPreciseAnswer) {
  SearchWorld w;
  w.request("전국 주차장 정보 개방 요청");
  auto status = [&](const std::string& body) {
    return w.http.action("datarequest_search", body).status;
  };
  EXPECT_EQ(status(R"({"q":"\"주차장"})"), 400);  // unbalanced quote: Search Query Error
  EXPECT_EQ(status(R"({"q":"((((주차장"})"), 400);
  EXPECT_EQ(status(R"({"q":")" + std::string(201, 'a') + R"("})"), 409);
  EXPECT_EQ(status(R"({"q":["주차장"]})"), 409);
  EXPECT_EQ(status(R"({"q":"주차장","sort":"rank; DROP TABLE data_requests"})"), 409);
  // Query syntax is no way around the index: a field query finds nothing it should not.
  EXPECT_EQ(w.found_q("*:*").size(), 0u);
  EXPECT_EQ(w.found_q("주차장").size(), 1u);  // and the server is still answering
  // The list page says the query was not understood instead of failing.
  auto page = w.http.get("/requests?q=%22%EC%A3%BC%EC%B0%A8%EC%9E%A5");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("role=\"alert\""), std::string::npos);
}

TEST(RequestSearch, DuplicateCheckSuggestsRequestsAndOnlyDatasetsTheCallerMaySee) {
  SearchWorld w;
  const std::string parking = w.request("전국 주차장 정보 개방 요청");
  w.ok("package_create",
       R"({"name":"parking-open","title":"공영주차장 정보","owner_org":"agency-a"})", w.sysadmin);
  w.ok("package_create",
       R"({"name":"parking-secret","title":"주차장 정보 내부용","owner_org":"agency-a",)"
       R"("private":true})",
       w.sysadmin);
  // The draft title is read as a query: particles and spacing do not matter.
  auto typed = w.ok("datarequest_similar", R"({"title":"주차장정보를 개방해 주세요"})");
  ASSERT_GE(typed["result"]["requests"].Size(), 1u);
  EXPECT_EQ(str(typed["result"]["requests"][0], "id"), parking);
  // A title is text, not query syntax: brackets, quotes and colons are only punctuation.
  auto odd = w.ok("datarequest_similar", R"({"title":"[전국 (주차장 정보 title:개방 {요청"})");
  ASSERT_GE(odd["result"]["requests"].Size(), 1u);
  EXPECT_EQ(str(odd["result"]["requests"][0], "id"), parking);
  // Datasets come from package_search as the caller may see them (the index follows a moment
  // later): the public one, never the private one.
  std::set<std::string> datasets;
  for (int i = 0; i < 100 && !datasets.count("parking-open"); ++i) {
    auto s = w.ok("datarequest_similar", R"({"title":"주차장 정보"})");
    datasets.clear();
    for (const auto& d : s["result"]["datasets"].GetArray()) datasets.insert(str(d, "name"));
    if (!datasets.count("parking-open"))
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(datasets.count("parking-open"));
  EXPECT_FALSE(datasets.count("parking-secret"));
  // A closed request is not suggested: there is nothing left to vote for.
  w.ok("datarequest_close",
       R"({"id":")" + parking + R"(","outcome":"refused","reason":"not_held"})", w.editor_a);
  auto after = w.ok("datarequest_similar", R"({"title":"주차장 정보"})");
  EXPECT_EQ(after["result"]["requests"].Size(), 0u);
}

TEST(UnmetDemand, OverviewCountsOpenRequestsPerAgencyAndCategory) {
  SearchWorld w;
  w.ok("group_create", R"({"name":"environment","title":"환경기상"})",
       w.sysadmin);  // transport: ApiWorld's
  auto dataset = [&](const std::string& name, const std::string& org, const std::string& group) {
    w.ok("package_create",
         R"({"name":")" + name + R"(","title":")" + name + R"(","owner_org":")" + org +
             R"(","groups":[")" + group + R"("]})",
         w.sysadmin);
  };
  dataset("a-roads", "agency-a", "transport");
  dataset("a-buses", "agency-a", "transport");
  dataset("a-air", "agency-a", "environment");
  dataset("b-air", "agency-b", "environment");
  const std::string voter = w.server.add_user("voter");
  const std::string a1 = w.request("주차장 요청", "agency-a");
  const std::string a2 = w.request("버스 요청", "agency-a");
  const std::string b1 = w.request("대기 요청", "agency-b");
  const std::string b2 = w.request("측정소 요청", "agency-b");
  w.request("어디든 요청", "");
  for (const std::string& id : {a1, a2, b2})
    w.ok("datarequest_vote", R"({"id":")" + id + R"("})", voter);
  w.ok("datarequest_vote", R"({"id":")" + a1 + R"("})", w.editor_b);
  // b1 is answered with a dataset: demand met.
  w.ok("datarequest_close", R"({"id":")" + b1 + R"(","outcome":"provided","package_id":"b-air"})",
       w.editor_b);
  // datamap_stats' revision is the last map snapshot's, and request changes build none: the
  // last change is a dataset's, so "caught up" can be seen.
  dataset("a-trains", "agency-a", "transport");
  ASSERT_TRUE(graph::testing::map_caught_up(w.http));

  // The expected counts, from the requests as datarequest_list tells them.
  struct Count {
    std::int64_t requests = 0, votes = 0;
  };
  std::map<std::string, Count> per_agency;
  Count total;
  auto open = w.ok("datarequest_list", R"({"status":"open","limit":100})");
  for (const auto& r : open["result"]["results"].GetArray()) {
    const std::int64_t votes = r["votes"].GetInt64();
    total.requests += 1, total.votes += votes;
    if (r["organization"].IsObject()) {
      Count& c = per_agency["agency:" + str(r["organization"], "name")];
      c.requests += 1, c.votes += votes;
    }
  }
  ASSERT_EQ(total.requests, 4);
  // Each agency's main category (most of its datasets): agency-a transport, agency-b environment.
  std::map<std::string, Count> per_category = {
      {"category:transport", per_agency["agency:agency-a"]},
      {"category:environment", per_agency["agency:agency-b"]}};

  auto doc = w.ok("datamap_overview", R"({"levels":"category,agency"})");
  const auto& result = doc["result"];
  EXPECT_EQ(result["demand"]["requests"].GetInt64(), total.requests);
  EXPECT_EQ(result["demand"]["votes"].GetInt64(), total.votes);
  std::map<std::string, Count> cells;
  for (const auto& cat : result["categories"].GetArray()) {
    const std::string key = str(cat, "key");
    if (per_category.count(key)) {
      EXPECT_EQ(cat["demand"]["requests"].GetInt64(), per_category[key].requests) << key;
      EXPECT_EQ(cat["demand"]["votes"].GetInt64(), per_category[key].votes) << key;
    }
    for (const auto& ag : cat["agencies"].GetArray()) {
      Count& c = cells[str(ag, "key")];
      c.requests += ag["demand"]["requests"].GetInt64();
      c.votes += ag["demand"]["votes"].GetInt64();
    }
  }
  // Summed over the cells, each agency's demand is counted once.
  for (const auto& [key, want] : per_agency) {
    EXPECT_EQ(cells[key].requests, want.requests) << key;
    EXPECT_EQ(cells[key].votes, want.votes) << key;
  }
  auto flat = w.ok("datamap_overview", R"({"levels":"agency"})");
  for (const auto& ag : flat["result"]["agencies"].GetArray()) {
    const std::string key = str(ag, "key");
    EXPECT_EQ(ag["demand"]["requests"].GetInt64(), per_agency[key].requests) << key;
  }
}

}  // namespace
}  // namespace datamap::testing
