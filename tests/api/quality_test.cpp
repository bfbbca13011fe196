// The metadata quality score over real HTTP (issue 15, docs/QUALITY.md): a dataset built to pass
// every indicator, and one variant per indicator that misses exactly it, give exactly the points
// the table documents; quality_show puts what to fix first; package_show and package_search carry
// the same summary; the quality_rating facet, filter and sort=quality work; the agency scoreboard
// counts what it should; bad input gets a precise 4xx.
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/api_world.h"
#include "tests/support/eventually.h"

namespace datamap::testing {
namespace {

// docs/QUALITY.md's points, written out here again on purpose: a change of the table must change
// this test too.
const std::map<std::string, int> kPoints = {{"keywords", 30},
                                            {"category", 30},
                                            {"spatial", 20},
                                            {"temporal", 20},
                                            {"description", 20},
                                            {"access_url", 50},
                                            {"download_url", 20},
                                            {"download_url_answers", 30},
                                            {"format", 20},
                                            {"media_type", 10},
                                            {"format_vocabulary", 10},
                                            {"non_proprietary", 20},
                                            {"machine_readable", 20},
                                            {"dcat_ap", 30},
                                            {"standard_terms", 20},
                                            {"license", 20},
                                            {"license_vocabulary", 10},
                                            {"access_rights", 10},
                                            {"access_rights_vocabulary", 5},
                                            {"contact_point", 20},
                                            {"publisher", 10},
                                            {"rights", 5},
                                            {"byte_size", 5},
                                            {"issued", 5},
                                            {"modified", 5},
                                            {"update_schedule", 20},
                                            {"data_error_rate", 30}};
// No link checks recorded and no loaded table validated: these wait, neither earned nor counted.
const std::set<std::string> kPending = {"access_url", "download_url_answers", "data_error_rate"};

// The members of a dataset that passes every indicator a link check does not decide; each test
// variant replaces some of them.
std::map<std::string, std::string> perfect_members() {
  return {
      {"title", R"("서울시 공영주차장 현황")"},
      {"owner_org", R"("agency-a")"},
      {"notes",
       R"("서울시가 운영하는 공영주차장의 위치, 주차면수, 요금과 운영시간을 담았습니다.")"},
      {"tags", R"(["주차장"])"},
      {"groups", R"(["transport"])"},
      {"spatial", R"("서울특별시")"},
      {"temporal", R"("2020-01-01/2022-12-31")"},
      {"license_id", R"("KOGL-1")"},
      {"maintainer", R"("교통정책과")"},
      {"maintainer_phone", R"("02-120")"},
      {"issued", R"("2020-01-01")"},
      {"modified", R"("2022-12-31")"},
      {"frequency", R"("연간")"},
      {"next_update", R"("2999-12-31")"},
      {"url", R"("https://example.org/parking")"},
      {"extras", R"({"access_rights":"PUBLIC","rights":"출처: 서울특별시"})"},
      {"resources",
       R"([{"name":"CSV","url":"https://example.org/p.csv","format":"CSV","mimetype":"text/csv","size":1234}])"},
      {"columns", R"([{"name":"주차장명","type":"text","standard_term":"주차장명"},
                      {"name":"주소","type":"text","standard_term":"소재지도로명주소"}])"},
  };
}

std::string body_of(const std::string& name, std::map<std::string, std::string> members) {
  std::string out = R"({"name":")" + name + "\"";
  for (const auto& [k, v] : members)
    if (!v.empty()) out += ",\"" + k + "\":" + v;
  return out + "}";
}

struct Shown {
  int score = -1, max = -1;
  std::string rating;
  bool overdue = false;
  std::vector<std::string> order;  // indicator ids as quality_show lists them
  std::map<std::string, std::string> outcome;
  std::map<std::string, int> points;
  std::map<std::string, std::string> fix;
};

Shown quality_show(ApiWorld& w, const std::string& id) {
  auto doc = w.ok("quality_show", R"({"id":")" + id + "\"}");
  Shown s;
  const auto& r = doc["result"];
  s.score = r["quality"]["score"].GetInt();
  s.max = r["quality"]["max"].GetInt();
  s.rating = r["quality"]["rating"].GetString();
  s.overdue = r["quality"]["overdue"].GetBool();
  for (const auto& i : r["indicators"].GetArray()) {
    std::string ind = i["id"].GetString();
    s.order.push_back(ind);
    s.outcome[ind] = i["outcome"].GetString();
    s.points[ind] = i["points"].GetInt();
    if (i.HasMember("fix")) s.fix[ind] = i["fix"].GetString();
  }
  return s;
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  v.Accept(writer);
  return out.GetString();
}

int possible() {
  int sum = 0;
  for (const auto& [id, p] : kPoints)
    if (!kPending.count(id)) sum += p;
  return sum;
}

class Quality : public ::testing::Test {
 protected:
  ApiWorld w;
};

TEST_F(Quality, ADatasetBuiltToPassEveryIndicatorEarnsEveryPointNotWaitingForALinkCheck) {
  w.ok("package_create", body_of("perfect", perfect_members()), w.sysadmin);
  Shown s = quality_show(w, "perfect");
  ASSERT_EQ(s.order.size(), kPoints.size());
  for (const auto& [id, p] : kPoints) {
    EXPECT_EQ(s.outcome[id], kPending.count(id) ? "pending" : "passed") << id;
    EXPECT_EQ(s.points[id], kPending.count(id) ? 0 : p) << id;
  }
  EXPECT_EQ(s.max, 385);
  EXPECT_EQ(s.score, 385);
  EXPECT_EQ(s.rating, "excellent");
  EXPECT_FALSE(s.overdue);
  EXPECT_TRUE(s.fix.empty());
}

// Each variant changes the perfect dataset so that exactly the listed indicators fail.
struct Variant {
  const char* name;
  std::map<std::string, std::string> change;  // member → new JSON value ("" = left out)
  std::set<std::string> fails;
};

TEST_F(Quality, EachIndicatorMissedCostsExactlyItsPoints) {
  const std::vector<Variant> variants = {
      {"no-tags", {{"tags", ""}}, {"keywords"}},
      {"no-groups", {{"groups", ""}}, {"category"}},
      {"no-spatial", {{"spatial", ""}}, {"spatial"}},
      {"no-temporal", {{"temporal", ""}}, {"temporal"}},
      {"notes-repeat-title", {{"notes", R"("서울시 공영주차장 현황.")"}}, {"description"}},
      {"no-notes", {{"notes", ""}}, {"description", "dcat_ap"}},
      {"no-resources",
       {{"resources", "[]"}},
       {"download_url", "download_url_answers", "format", "media_type", "format_vocabulary",
        "non_proprietary", "machine_readable", "byte_size"}},
      {"no-format",
       {{"resources", R"([{"url":"https://example.org/p","mimetype":"text/csv","size":1}])"}},
       {"format", "format_vocabulary", "non_proprietary", "machine_readable"}},
      {"no-mimetype",
       {{"resources", R"([{"url":"https://example.org/p.csv","format":"CSV","size":1}])"}},
       {"media_type"}},
      {"odd-format",
       {{"resources",
         R"([{"url":"https://example.org/p","format":"MYFMT","mimetype":"x/y","size":1}])"}},
       {"format_vocabulary", "non_proprietary", "machine_readable"}},
      {"xlsx-only",
       {{"resources",
         R"([{"url":"https://example.org/p.xlsx","format":"XLSX","mimetype":"application/vnd.ms-excel","size":1}])"}},
       {"non_proprietary"}},
      {"pdf-only",
       {{"resources",
         R"([{"url":"https://example.org/p.pdf","format":"PDF","mimetype":"application/pdf","size":1}])"}},
       {"machine_readable"}},
      {"no-standard-terms",
       {{"columns", R"([{"name":"a"},{"name":"b"},{"name":"c","standard_term":"주소"}])"}},
       {"standard_terms"}},
      {"no-license", {{"license_id", ""}}, {"license", "license_vocabulary"}},
      {"no-access-rights",
       {{"extras", R"({"rights":"출처: 서울특별시"})"}},
       {"access_rights", "access_rights_vocabulary"}},
      {"odd-access-rights",
       {{"extras", R"({"access_rights":"누구나","rights":"출처"})"}},
       {"access_rights_vocabulary"}},
      {"no-contact", {{"maintainer", ""}, {"maintainer_phone", ""}}, {"contact_point"}},
      {"no-rights", {{"extras", R"({"access_rights":"PUBLIC"})"}}, {"rights"}},
      {"no-size",
       {{"resources",
         R"([{"url":"https://example.org/p.csv","format":"CSV","mimetype":"text/csv"}])"}},
       {"byte_size"}},
      {"no-issued", {{"issued", ""}}, {"issued"}},
      {"no-modified", {{"modified", ""}}, {"modified"}},
      {"overdue", {{"next_update", R"("2001-01-01")"}}, {"update_schedule"}},
      {"no-next-date", {{"next_update", ""}}, {"update_schedule"}},
      {"no-frequency", {{"frequency", ""}}, {"update_schedule"}},
      {"as-needed", {{"frequency", R"("수시")"}, {"next_update", ""}}, {}},
  };
  for (const auto& v : variants) {
    auto members = perfect_members();
    for (const auto& [k, val] : v.change) members[k] = val;
    w.ok("package_create", body_of(v.name, members), w.sysadmin);
    Shown s = quality_show(w, v.name);
    int lost = 0;
    for (const auto& [id, p] : kPoints) {
      std::string want = kPending.count(id) ? "pending" : v.fails.count(id) ? "failed" : "passed";
      if (v.name == std::string("no-resources") && id == "download_url_answers") want = "failed";
      EXPECT_EQ(s.outcome[id], want) << v.name << ": " << id;
      if (s.outcome[id] == "failed") {
        EXPECT_EQ(s.points[id], 0) << v.name << ": " << id;
        EXPECT_FALSE(s.fix[id].empty()) << v.name << ": " << id << " says nothing to fix";
        if (!kPending.count(id)) lost += p;
      }
    }
    int max = possible() +
              (v.name == std::string("no-resources") ? kPoints.at("download_url_answers") : 0);
    EXPECT_EQ(s.max, max) << v.name;
    EXPECT_EQ(s.score, possible() - lost) << v.name;
    EXPECT_EQ(s.overdue, v.name == std::string("overdue")) << v.name;
  }
}

TEST_F(Quality, PublisherMissingWhenTheDatasetHasNoOrganization) {
  auto members = perfect_members();
  members["owner_org"] = "";
  w.ok("package_create", body_of("orphan", members), w.sysadmin);
  Shown s = quality_show(w, "orphan");
  EXPECT_EQ(s.outcome["publisher"], "failed");
  EXPECT_EQ(s.score, possible() - kPoints.at("publisher"));
}

TEST_F(Quality, QualityShowListsWhatToFixFirstByPointsLost) {
  auto members = perfect_members();
  members["issued"] = "";   // 5
  members["tags"] = "";     // 30
  members["spatial"] = "";  // 20
  w.ok("package_create", body_of("three-gaps", members), w.sysadmin);
  Shown s = quality_show(w, "three-gaps");
  ASSERT_GE(s.order.size(), 7u);
  EXPECT_EQ(s.order[0], "keywords");
  EXPECT_EQ(s.order[1], "spatial");
  EXPECT_EQ(s.order[2], "issued");
  // Then what waits for a link check or a validated table, then what passed.
  EXPECT_EQ(s.outcome[s.order[3]], "pending");
  EXPECT_EQ(s.outcome[s.order[4]], "pending");
  EXPECT_EQ(s.outcome[s.order[5]], "pending");
  EXPECT_EQ(s.outcome[s.order[6]], "passed");
  EXPECT_EQ(s.fix["keywords"], "키워드(태그)를 하나 이상 등록하세요.");
  // The dataset page says the same, most points first.
  HttpReply page = w.http.get("/dataset/three-gaps");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<h2 id=\"quality-h\">메타데이터 품질</h2>"), std::string::npos);
  EXPECT_NE(page.body.find("보완할 점 3가지"), std::string::npos);
  const auto keywords = page.body.find("키워드(태그)를 하나 이상 등록하세요.");
  const auto issued = page.body.find("등록일을 입력하세요.");
  EXPECT_NE(keywords, std::string::npos);
  EXPECT_LT(keywords, issued);
}

TEST_F(Quality, PackageShowCarriesTheSameSummaryAndItFollowsAnUpdate) {
  w.ok("package_create", body_of("follow", perfect_members()), w.sysadmin);
  auto shown = w.ok("package_show", R"({"id":"follow"})");
  const auto& q = shown["result"]["quality"];
  EXPECT_EQ(q["score"].GetInt(), 385);
  EXPECT_EQ(q["max"].GetInt(), 385);
  EXPECT_EQ(q["percent"].GetInt(), 100);
  EXPECT_STREQ(q["rating"].GetString(), "excellent");
  EXPECT_STREQ(q["rating_label"].GetString(), "우수");
  EXPECT_EQ(q["dimensions"]["findability"]["score"].GetInt(), 120);
  EXPECT_EQ(q["dimensions"]["accessibility"]["max"].GetInt(), 20);
  w.ok("package_patch", R"({"id":"follow","tags":[],"groups":[]})", w.sysadmin);
  auto after = w.ok("package_show", R"({"id":"follow"})");
  EXPECT_EQ(after["result"]["quality"]["score"].GetInt(), 385 - 60);
  EXPECT_EQ(quality_show(w, "follow").score, 385 - 60);
  // The dict sent back as package_show gave it: the score is not stored as an extra.
  auto sent_back = w.ok("package_update", to_json(after["result"]), w.sysadmin);
  for (const auto& e : sent_back["result"]["extras"].GetArray())
    EXPECT_STRNE(e["key"].GetString(), "quality");
  EXPECT_EQ(sent_back["result"]["quality"]["score"].GetInt(), 385 - 60);
}

TEST_F(Quality, BadInputIsAPrecise4xxAndThePrivateStayPrivate) {
  HttpReply missing = w.http.action("quality_show", "{}");
  EXPECT_EQ(missing.status, 409) << missing.body;
  EXPECT_NE(missing.body.find("\"id\""), std::string::npos) << missing.body;
  HttpReply unknown = w.http.action("quality_show", R"({"id":"no-such"})");
  EXPECT_EQ(unknown.status, 404);
  w.dataset("secret", "agency-a", true);
  EXPECT_EQ(w.http.action("quality_show", R"({"id":"secret"})").status, 404);
  EXPECT_EQ(w.http.action("quality_show", R"({"id":"secret"})", w.member_a).status, 200);
  // A deleted dataset is gone from quality_show (but for its editors) and from the scoreboard.
  w.dataset("deleted-soon", "agency-b");
  EXPECT_EQ(
      w.ok("organization_quality_show", R"({"id":"agency-b"})")["result"]["datasets"].GetInt(), 1);
  w.ok("package_delete", R"({"id":"deleted-soon"})", w.sysadmin);
  EXPECT_EQ(w.http.action("quality_show", R"({"id":"deleted-soon"})").status, 404);
  EXPECT_EQ(w.http.action("quality_show", R"({"id":"deleted-soon"})", w.editor_b).status, 200);
  EXPECT_EQ(
      w.ok("organization_quality_show", R"({"id":"agency-b"})")["result"]["datasets"].GetInt(), 0);
  EXPECT_EQ(w.http.action("organization_quality_show", R"({"id":"nobody"})").status, 404);
  HttpReply limit = w.http.action("organization_quality_show", R"({"id":"agency-a","limit":-1})");
  EXPECT_EQ(limit.status, 409) << limit.body;
  HttpReply sort = w.http.action("package_search", R"({"sort":"quality sideways"})");
  EXPECT_EQ(sort.status, 400) << sort.body;
  // A value no dataset has filters everything out; the server is fine.
  auto none = w.ok("package_search", R"({"fq":"quality_rating:splendid"})");
  EXPECT_EQ(none["result"]["count"].GetInt(), 0);
  EXPECT_EQ(w.http.action("status_show").status, 200);
}

TEST_F(Quality, ADatasetWithThousandsOfResourcesIsScored) {
  std::string res = "[";
  for (int i = 0; i < 2000; ++i)
    res += std::string(i ? "," : "") + R"({"url":"https://example.org/f)" + std::to_string(i) +
           R"(.csv","format":"CSV","mimetype":"text/csv","size":1})";
  res += "]";
  auto members = perfect_members();
  members["resources"] = res;
  w.ok("package_create", body_of("many", members), w.sysadmin);
  EXPECT_EQ(quality_show(w, "many").score, 385);
}

// The facet counts ratings, the filter keeps one, and sort=quality orders by score/max.
TEST_F(Quality, SearchFacetFilterAndSortByQuality) {
  w.ok("package_create", body_of("q-excellent", perfect_members()), w.sysadmin);
  auto medium = perfect_members();
  for (const char* m : {"tags", "groups", "spatial", "license_id"}) medium[m] = "";
  w.ok("package_create", body_of("q-good", medium), w.sysadmin);
  w.ok("package_create", R"({"name":"q-bad","title":"빈 데이터","owner_org":"agency-a"})",
       w.sysadmin);
  ASSERT_EQ(quality_show(w, "q-good").rating, "good");
  ASSERT_EQ(quality_show(w, "q-bad").rating, "bad");

  auto search = [&](const std::string& body) { return w.ok("package_search", body); };
  ASSERT_TRUE(eventually([&] { return search("{}")["result"]["count"].GetInt() == 3; }));
  auto facets = search(R"({"facet.field":["quality_rating"]})");
  std::map<std::string, int> counts;
  std::map<std::string, std::string> shown_as;
  for (const auto& i : facets["result"]["search_facets"]["quality_rating"]["items"].GetArray()) {
    counts[i["name"].GetString()] = i["count"].GetInt();
    shown_as[i["name"].GetString()] = i["display_name"].GetString();
  }
  EXPECT_EQ(counts, (std::map<std::string, int>{{"excellent", 1}, {"good", 1}, {"bad", 1}}));
  EXPECT_EQ(shown_as["good"], "양호");

  auto good = search(R"({"fq":"quality_rating:good"})");
  ASSERT_EQ(good["result"]["count"].GetInt(), 1);
  EXPECT_STREQ(good["result"]["results"][0]["name"].GetString(), "q-good");
  EXPECT_STREQ(good["result"]["results"][0]["quality"]["rating"].GetString(), "good");
  auto not_bad = search(R"({"fq":"-quality_rating:bad"})");
  EXPECT_EQ(not_bad["result"]["count"].GetInt(), 2);

  auto names = [&](const std::string& body) {
    std::vector<std::string> out;
    auto found = search(body);  // held: the loop reads into it
    for (const auto& r : found["result"]["results"].GetArray())
      out.push_back(r["name"].GetString());
    return out;
  };
  EXPECT_EQ(names(R"({"sort":"quality desc"})"),
            (std::vector<std::string>{"q-excellent", "q-good", "q-bad"}));
  EXPECT_EQ(names(R"({"sort":"quality asc"})"),
            (std::vector<std::string>{"q-bad", "q-good", "q-excellent"}));
  // A change re-indexes the dataset with its new score.
  w.ok("package_patch", body_of("q-bad", perfect_members()).replace(1, 0, R"("id":"q-bad",)"),
       w.sysadmin);
  EXPECT_TRUE(eventually([&] {
    return search(R"({"fq":"quality_rating:excellent"})")["result"]["count"].GetInt() == 2;
  }));
}

// The score is a small prior in ranking (search/schema.h kQualityPrior): between two equal text
// matches the better-described dataset comes first, but it never lifts a weaker text match.
TEST_F(Quality, RankingPrefersBetterMetadataOnlyBetweenEqualTextMatches) {
  // Other datasets, so that the query's word is rare as in a real catalog (in an index where
  // every dataset has it, a word tells nothing and only the priors would rank).
  for (int i = 0; i < 30; ++i) w.dataset("filler-" + std::to_string(i), "agency-b");
  // Same indexed text (title, notes, tags, category, resource name and format); the second one
  // also has everything that is scored but not indexed. Created second, it would lose a tie.
  const std::string same =
      R"("title":"공영주차장 현황","notes":"공영주차장의 위치와 요금을 담은 자료입니다.",)"
      R"("owner_org":"agency-a","tags":["주차장"],"groups":["transport"])";
  w.ok("package_create",
       R"({"name":"prior-a",)" + same +
           R"(,"resources":[{"name":"CSV","url":"https://example.org/a.csv","format":"CSV"}]})",
       w.sysadmin);
  w.ok("package_create",
       R"({"name":"prior-b",)" + same +
           R"(,"resources":[{"name":"CSV","url":"https://example.org/b.csv","format":"CSV",)"
           R"("mimetype":"text/csv","size":10}],"spatial":"서울특별시","temporal":"2022",)"
           R"("license_id":"KOGL-1","issued":"2020-01-01","modified":"2022-01-01",)"
           R"("maintainer_phone":"02-120","frequency":"연간","next_update":"2999-01-01",)"
           R"("extras":{"access_rights":"PUBLIC","rights":"출처표시"}})",
       w.sysadmin);
  // An excellent dataset that has the word only in its description.
  auto notes_only = perfect_members();
  notes_only["title"] = R"("서울시 교통 시설 현황")";
  notes_only["notes"] = R"("서울시 교통 시설과 공영주차장의 위치, 요금, 운영시간을 담았습니다.")";
  w.ok("package_create", body_of("prior-c", notes_only), w.sysadmin);
  ASSERT_GT(quality_show(w, "prior-b").score, quality_show(w, "prior-a").score);
  ASSERT_EQ(quality_show(w, "prior-c").rating, "excellent");
  std::vector<std::string> names;
  ASSERT_TRUE(eventually([&] {
    auto r = w.ok("package_search", R"({"q":"공영주차장"})");
    names.clear();
    for (const auto& p : r["result"]["results"].GetArray()) names.push_back(p["name"].GetString());
    return names.size() == 3 && w.ok("package_search", "{}")["result"]["count"].GetInt() == 33;
  }));
  EXPECT_EQ(names, (std::vector<std::string>{"prior-b", "prior-a", "prior-c"}));
}

TEST_F(Quality, OrganizationScoreboardCountsRanksAndListsTheWorstFirst) {
  w.ok("package_create", body_of("a-best", perfect_members()), w.sysadmin);
  auto late = perfect_members();
  late["next_update"] = R"("2001-01-01")";
  w.ok("package_create", body_of("a-late", late), w.sysadmin);
  w.ok("package_create", R"({"name":"a-worst","title":"빈 데이터","owner_org":"agency-a"})",
       w.sysadmin);
  w.dataset("a-private", "agency-a", true);  // private: not on the public scoreboard
  w.ok("package_create",
       body_of("b-best",
               [] {
                 auto m = perfect_members();
                 m["owner_org"] = R"("agency-b")";
                 return m;
               }()),
       w.sysadmin);

  auto board_reply = w.ok("organization_quality_show", R"({"id":"agency-a"})");
  auto board = board_reply["result"].GetObject();
  EXPECT_EQ(board["datasets"].GetInt(), 3);
  EXPECT_EQ(board["distribution"]["excellent"].GetInt(), 2);
  EXPECT_EQ(board["distribution"]["bad"].GetInt(), 1);
  EXPECT_EQ(board["overdue"].GetInt(), 1);
  EXPECT_EQ(board["rank"].GetInt(), 2);  // agency-b: one excellent dataset, a higher mean
  EXPECT_EQ(board["agencies_ranked"].GetInt(), 2);
  ASSERT_EQ(board["worst"].Size(), 3u);
  EXPECT_STREQ(board["worst"][0]["name"].GetString(), "a-worst");
  EXPECT_STREQ(board["worst"][1]["name"].GetString(), "a-late");
  EXPECT_TRUE(board["worst"][1]["overdue"].GetBool());
  EXPECT_STREQ(board["worst"][1]["fix"][0]["id"].GetString(), "update_schedule");
  // Nothing to reach it by (no landing page, no resource) loses the most points: 50.
  EXPECT_STREQ(board["worst"][0]["fix"][0]["id"].GetString(), "access_url");
  // The indicator every bad dataset fails is on the agency's list, with how many fail it.
  bool keywords = false;
  for (const auto& f : board["failing"].GetArray())
    if (f["id"] == "keywords") keywords = f["datasets"].GetInt() == 1;
  EXPECT_TRUE(keywords);

  auto overview_reply = w.ok("quality_overview", "{}");
  auto overview = overview_reply["result"].GetObject();
  EXPECT_EQ(overview["datasets"].GetInt(), 4);
  EXPECT_EQ(overview["overdue"].GetInt(), 1);
  ASSERT_EQ(overview["agencies"].Size(), 2u);
  EXPECT_STREQ(overview["agencies"][0]["name"].GetString(), "agency-b");
  EXPECT_EQ(overview["agencies"][0]["rank"].GetInt(), 1);
  EXPECT_STREQ(overview["agencies"][1]["name"].GetString(), "agency-a");

  // The scoreboard follows the catalog: a fix moves the dataset and the counts.
  w.ok("package_patch", R"({"id":"a-late","next_update":"2999-01-01"})", w.sysadmin);
  auto fixed = w.ok("organization_quality_show", R"({"id":"agency-a"})");
  EXPECT_EQ(fixed["result"]["overdue"].GetInt(), 0);
}

TEST_F(Quality, ScoreboardPagesAreServerRenderedKoreanFirstAndEscaped) {
  w.ok("package_create", body_of("p-best", perfect_members()), w.sysadmin);
  w.ok("package_create",
       R"({"name":"p-hostile","title":"<script>alert(1)</script>","owner_org":"agency-a"})",
       w.sysadmin);
  HttpReply overview = w.http.get("/quality");
  ASSERT_EQ(overview.status, 200) << overview.body;
  EXPECT_EQ(overview.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(overview.body.find("<h1>기관별 메타데이터 품질</h1>"), std::string::npos);
  EXPECT_NE(overview.body.find("href=\"/organization/agency-a/quality\">가 기관</a>"),
            std::string::npos);
  EXPECT_NE(overview.body.find("<th scope=\"col\">평균 점수</th>"), std::string::npos);

  HttpReply page = w.http.get("/organization/agency-a/quality");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("가 기관 메타데이터 품질</h1>"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(page.body.find("키워드(태그)를 하나 이상 등록하세요."), std::string::npos);
  // The worst dataset comes before the best one.
  EXPECT_LT(page.body.find("/dataset/p-hostile"), page.body.find("/dataset/p-best"));

  HttpReply english = w.http.get("/organization/agency-a/quality?lang=en");
  EXPECT_NE(english.body.find("Add at least one keyword (tag)."), std::string::npos);
  EXPECT_EQ(w.http.get("/organization/nobody/quality").status, 404);
  // The agency page links to its scoreboard.
  EXPECT_NE(w.http.get("/organization/agency-a").body.find("/organization/agency-a/quality"),
            std::string::npos);
}

TEST_F(Quality, ResultCardsShowTheRatingInWordsAndTheFacetInKorean) {
  w.ok("package_create", body_of("card", perfect_members()), w.sysadmin);
  ASSERT_TRUE(
      eventually([&] { return w.ok("package_search", "{}")["result"]["count"].GetInt() == 1; }));
  HttpReply r = w.http.get("/dataset?q=");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("badge-quality-excellent\">메타데이터 품질 우수 (100%)</span>"),
            std::string::npos);
  EXPECT_NE(r.body.find("<h3 id=\"facet-quality_rating\">메타데이터 품질</h3>"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"quality desc\""), std::string::npos);
  HttpReply filtered = w.http.get("/dataset?quality_rating=bad");
  EXPECT_EQ(filtered.status, 200);
  EXPECT_EQ(filtered.body.find("/dataset/card\""), std::string::npos);
}

}  // namespace
}  // namespace datamap::testing
