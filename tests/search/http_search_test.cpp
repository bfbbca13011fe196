// package_search and package_autocomplete over real HTTP against the started `datamap serve`.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "tests/support/eventually.h"
#include "tests/support/test_server.h"

using namespace datamap::testing;

namespace {

using Clock = std::chrono::steady_clock;

std::string error_type(const HttpReply& r) {
  rapidjson::Document d;
  d.Parse(r.body.c_str(), r.body.size());
  if (!d.IsObject() || !d.HasMember("error") || !d["error"].IsObject() ||
      !d["error"].HasMember("__type"))
    return "";
  return d["error"]["__type"].GetString();
}

class SearchApi : public ::testing::Test {
 protected:
  SearchApi() : http(server.url()) {}

  void SetUp() override {
    sysadmin = server.add_user("sysadmin", {"--sysadmin"});
    ok("organization_create", R"({"name":"seoul","title":"서울특별시"})", sysadmin);
    ok("organization_create", R"({"name":"busan","title":"부산광역시"})", sysadmin);
    ok("group_create", R"({"name":"transport","title":"교통물류"})", sysadmin);
    member_seoul = server.add_user("member_seoul", {"--org", "seoul", "--role", "member"});
    member_busan = server.add_user("member_busan", {"--org", "busan", "--role", "member"});
  }

  rapidjson::Document ok(const std::string& action, const std::string& body,
                         const std::string& token = "") {
    HttpReply r = http.action(action, body, token);
    EXPECT_EQ(r.status, 200) << action << " " << body << " -> " << r.body;
    return r.json();
  }

  std::string create(const std::string& name, const std::string& title, const std::string& org,
                     const std::string& extra = "") {
    auto doc = ok("package_create", R"({"name":")" + name + R"(","title":")" + title +
                                        R"(","owner_org":")" + org + "\"" + extra + "}",
                  sysadmin);
    return doc["result"]["id"].GetString();
  }

  rapidjson::Document search(const std::string& body, const std::string& token = "") {
    return ok("package_search", body, token);
  }
  std::int64_t count(const std::string& body, const std::string& token = "") {
    auto d = search(body, token);
    return d["result"]["count"].GetInt64();
  }

  TestServer server;
  HttpClient http;
  std::string sysadmin, member_seoul, member_busan;
};

}  // namespace

TEST_F(SearchApi, CreatedDatasetIsSearchableAtOnceAndDeletedOneVanishes) {
  create("seoul-parking", "서울시 공영주차장 위치", "seoul");
  // Written to be searchable within a second; the deadline only keeps a loaded machine from
  // failing the test.
  EXPECT_TRUE(eventually([&] { return count(R"({"q":"주차장을"})") == 1; }, 5));
  ok("package_delete", R"({"id":"seoul-parking"})", sysadmin);
  EXPECT_TRUE(eventually([&] { return count(R"({"q":"주차장"})") == 0; }, 5));
}

TEST_F(SearchApi, ResultsAreFullPackagesWithHighlightFacetsAndSort) {
  create("busan-bus", "부산 시내버스 노선", "busan",
         R"(,"notes":"부산 시내버스 노선과 정류소","tags":[{"name":"버스"}],"groups":[{"name":"transport"}],"resources":[{"url":"http://x/a.csv","format":"CSV"}])");
  create("seoul-bike", "서울 공공자전거 대여소", "seoul", R"(,"tags":[{"name":"자전거"}])");
  create("seoul-bus", "서울 버스 정류소", "seoul", R"(,"tags":[{"name":"버스"}])");
  ASSERT_TRUE(eventually([&] { return count("{}") == 3; }));

  auto d = search(R"({"q":"버스","facet.field":"[\"organization\",\"tags\",\"res_format\"]"})");
  const auto& res = d["result"];
  EXPECT_EQ(res["count"].GetInt64(), 2);
  EXPECT_STREQ(res["sort"].GetString(), "score desc, metadata_modified desc");
  const auto& first = res["results"][0];
  EXPECT_TRUE(first.HasMember("organization") && first["organization"].IsObject());
  EXPECT_TRUE(first.HasMember("resources"));
  EXPECT_TRUE(first.HasMember("highlight"));
  EXPECT_NE(std::string(first["highlight"].GetString()).find("<em>"), std::string::npos);
  const auto& orgs = res["search_facets"]["organization"]["items"];
  ASSERT_EQ(orgs.Size(), 2u);
  EXPECT_EQ(orgs[0]["count"].GetInt64(), 1);
  EXPECT_EQ(res["search_facets"]["tags"]["items"][0]["count"].GetInt64(), 2);
  EXPECT_EQ(res["facets"]["res_format"]["CSV"].GetInt64(), 1);

  // fq, sort, paging
  EXPECT_EQ(count(R"({"fq":"organization:seoul"})"), 2);
  EXPECT_EQ(count(R"({"fq":"organization:seoul -tags:버스"})"), 1);
  EXPECT_EQ(count(R"({"fq":"tags:버스 AND res_format:CSV"})"), 1);
  EXPECT_EQ(count(R"({"fq":"metadata_modified:[2000-01-01T00:00:00Z TO *]"})"), 3);
  auto sorted = search(R"({"sort":"title_string asc","rows":2})");
  EXPECT_STREQ(sorted["result"]["results"][0]["name"].GetString(), "busan-bus");
  ASSERT_TRUE(sorted["result"].HasMember("next_cursor"));
  auto page2 = search(std::string(R"({"sort":"title_string asc","rows":2,"cursor":")") +
                      sorted["result"]["next_cursor"].GetString() + "\"}");
  ASSERT_EQ(page2["result"]["results"].Size(), 1u);
  EXPECT_STREQ(page2["result"]["results"][0]["name"].GetString(), "seoul-bus");
  auto start1 = search(R"({"sort":"title_string asc","rows":1,"start":1})");
  EXPECT_STREQ(start1["result"]["results"][0]["name"].GetString(), "seoul-bike");

  // GET with the query string works like POST
  auto get = http.get("/api/3/action/package_search?q=" + url_encode("자전거") +
                      "&facet.field=" + url_encode("[\"tags\"]"));
  EXPECT_EQ(get.status, 200) << get.body;
  EXPECT_EQ(get.json()["result"]["count"].GetInt64(), 1);
}

TEST_F(SearchApi, SynonymsAndAutocomplete) {
  create("seoul-bike", "서울 공공자전거 대여소", "seoul");
  create("fine-dust", "대기오염 측정 정보", "busan", R"(,"notes":"미세먼지 농도")");
  ASSERT_TRUE(eventually([&] { return count("{}") == 2; }));
  EXPECT_EQ(count(R"({"q":"bicycle"})"), 1);
  EXPECT_EQ(count(R"({"q":"fine dust"})"), 1);
  auto ac = ok("package_autocomplete", R"({"q":"공공자"})");
  ASSERT_EQ(ac["result"].Size(), 1u);
  EXPECT_STREQ(ac["result"][0]["name"].GetString(), "seoul-bike");
  EXPECT_STREQ(ac["result"][0]["match_field"].GetString(), "title");
  // One wrong jamo: the corrected word is searched too (issue 18) and offered.
  auto typo = search(R"({"q":"대여쇼"})");
  EXPECT_EQ(typo["result"]["count"].GetInt64(), 1);
  EXPECT_STREQ(typo["result"]["suggestion"].GetString(), "대여소");
}

TEST_F(SearchApi, EnglishAndEverydayWordsFindKoreanTitles) {
  create("vet", "세종특별자치시 동물병원 현황", "seoul");
  create("disabled", "계룡시 장애인 복지시설", "busan");
  create("elderly", "노인 복지시설 현황", "busan");
  ASSERT_TRUE(eventually([&] { return count("{}") == 3; }));
  // English through the English -> Korean dictionary and romanisation (issue 18).
  auto en = search(R"({"q":"Sejong veterinary hospital"})");
  ASSERT_GE(en["result"]["count"].GetInt64(), 1);
  EXPECT_STREQ(en["result"]["results"][0]["name"].GetString(), "vet");
  // 장애우, a word no title uses, reaches 장애인 through the related words learnt from the
  // catalog (data/search/related.txt): only the one dataset with both ideas.
  auto para = search(R"({"q":"장애우 복지시설"})");
  ASSERT_EQ(para["result"]["count"].GetInt64(), 1);
  EXPECT_STREQ(para["result"]["results"][0]["name"].GetString(), "disabled");
}

TEST_F(SearchApi, RomanisedNamesFindTitleWordsTheVocabularyLacks) {
  // 궁을가 and 주왕산 are in no vocabulary (data/search/vocabulary.txt): only the title's own
  // romanisation, indexed with it, lets an English query spell them (issue 18).
  create("gasa", "담양군 궁을가 원문", "seoul");
  create("asmr", "국립공원 자연치유 동영상 주왕산국립공원", "seoul");
  create("other", "담양군 가사문학 현황", "busan");
  create("district", "해운대구 관광지 현황", "busan");
  create("zone", "관광지 구역 현황", "busan");
  ASSERT_TRUE(eventually([&] { return count("{}") == 5; }));
  auto gasa = search(R"({"q":"Gungeulga"})");
  ASSERT_EQ(gasa["result"]["count"].GetInt64(), 1);
  EXPECT_STREQ(gasa["result"]["results"][0]["name"].GetString(), "gasa");
  auto park = search(R"({"q":"Juwangsan national park"})");
  ASSERT_GE(park["result"]["count"].GetInt64(), 1);
  EXPECT_STREQ(park["result"]["results"][0]["name"].GetString(), "asmr");
  // A name written with its unit after a hyphen is one romanised word (해운대구).
  auto gu = search(R"({"q":"Haeundae-gu"})");
  ASSERT_EQ(gu["result"]["count"].GetInt64(), 1);
  EXPECT_STREQ(gu["result"]["results"][0]["name"].GetString(), "district");
  // The English name of the local government: District Office says what 구 already does, and
  // is not searched as 구역 (zone, district).
  auto office = search(R"({"q":"Haeundae District Office"})");
  ASSERT_EQ(office["result"]["count"].GetInt64(), 1);
  EXPECT_STREQ(office["result"]["results"][0]["name"].GetString(), "district");
}

TEST_F(SearchApi, PrivateDatasetsOnlyForMembersWhoAskForThem) {
  create("secret", "내부 주차장 자료", "seoul", R"(,"private":true)");
  create("open", "공개 주차장 자료", "seoul");
  ASSERT_TRUE(eventually([&] { return count(R"({"include_private":true})", sysadmin) == 2; }));
  EXPECT_EQ(count(R"({"q":"주차장"})"), 1);
  EXPECT_EQ(count(R"({"q":"주차장","include_private":true})"), 1);  // anonymous
  EXPECT_EQ(count(R"({"q":"주차장"})", member_seoul), 1);          // not asked for
  EXPECT_EQ(count(R"({"q":"주차장","include_private":true})", member_seoul), 2);
  EXPECT_EQ(count(R"({"q":"주차장","include_private":true})", member_busan), 1);
  EXPECT_EQ(count(R"({"fq":"capacity:private","include_private":true})", sysadmin), 1);
}

TEST_F(SearchApi, FacetCountsAgreeWithTheStore) {
  auto numbered = [](std::string prefix, int i) { return prefix.append(std::to_string(i)); };
  for (int i = 0; i < 7; ++i) {
    create(numbered("s", i), numbered("서울 자료 ", i), "seoul",
           i % 2 ? R"(,"groups":[{"name":"transport"}])" : "");
  }
  for (int i = 0; i < 4; ++i) create(numbered("b", i), numbered("부산 자료 ", i), "busan");
  ASSERT_TRUE(eventually([&] { return count("{}") == 11; }));
  auto d = search(R"({"facet.field":["organization","groups"],"rows":0})");
  std::map<std::string, std::int64_t> facet;
  for (const auto& item : d["result"]["search_facets"]["organization"]["items"].GetArray()) {
    facet[item["name"].GetString()] = item["count"].GetInt64();
  }
  for (const char* org : {"seoul", "busan"}) {
    auto show = ok("organization_show", std::string(R"({"id":")") + org + "\"}");
    EXPECT_EQ(facet[org], show["result"]["package_count"].GetInt64()) << org;
  }
  auto group = ok("group_show", R"({"id":"transport"})");
  EXPECT_EQ(d["result"]["search_facets"]["groups"]["items"][0]["count"].GetInt64(),
            group["result"]["package_count"].GetInt64());
}

TEST_F(SearchApi, HostileQueriesAre400SearchQueryErrors) {
  std::string many = "{\"q\":\"";
  for (int i = 0; i < 10000; ++i) {
    many.append("w");
    many.append(std::to_string(i));
    many.append(" ");
  }
  many.append("\"}");
  const std::vector<std::string> bodies = {
      R"({"q":"\"unbalanced"})",
      R"({"q":"(a OR b"})",
      R"({"fq":"tags:[a TO"})",
      R"({"fq":"colour:red"})",
      R"({"rows":-1})",
      R"({"rows":1001})",
      R"({"rows":"ten"})",
      R"({"start":1000000000000})",
      R"({"sort":"password desc"})",
      R"({"facet.field":"not json"})",
      R"({"facet.field":["secret"]})",
      R"({"cursor":"zzzz"})",
      R"({"fq":"metadata_modified:[yesterday TO *]"})",
      many,
  };
  for (const auto& body : bodies) {
    const auto t0 = Clock::now();
    HttpReply r = http.action("package_search", body);
    EXPECT_EQ(r.status, 400) << body.substr(0, 80) << " -> " << r.body.substr(0, 200);
    EXPECT_EQ(error_type(r), "Search Query Error") << body.substr(0, 80);
    EXPECT_LT(Clock::now() - t0, std::chrono::seconds(10)) << "hang on " << body.substr(0, 80);
  }
  // invalid UTF-8 in a GET query string
  HttpReply bad = http.get("/api/3/action/package_search?q=%FF%FEbus");
  EXPECT_EQ(bad.status, 400) << bad.body;
  // the server is still fine
  EXPECT_EQ(http.action("package_search", "{}").status, 200);
}
