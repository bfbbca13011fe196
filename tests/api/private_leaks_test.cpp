// What a private dataset gives away to those who may not read it: nothing. Not its existence
// (404 exactly like a dataset that does not exist, on every action, page and format that takes a
// dataset), not its count (package_count of organizations and groups, facets), not the words of
// its title (spelling suggestions). Over real HTTP against a started server; agency-a's members
// see their own private datasets, editor_b (another agency) and anonymous callers do not.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "tests/api/api_world.h"
#include "tests/support/eventually.h"

namespace datamap::testing {
namespace {

// The reply with the name the caller sent swapped for a placeholder, so a private dataset's
// answer can be compared byte for byte with a missing one's.
std::string with_placeholder(std::string body, const std::string& sent) {
  for (std::size_t at; !sent.empty() && (at = body.find(sent)) != std::string::npos;)
    body.replace(at, sent.size(), "<ID>");
  return body;
}

class PrivateLeaks : public ::testing::Test {
 protected:
  ApiWorld w;
  std::string secret_id, resource_id;

  void SetUp() override {
    auto created = w.ok("package_create", R"({"name":"secret-plan","title":"Zorblax budget plan",
        "owner_org":"agency-a","private":true,"groups":[{"name":"transport"}],
        "resources":[{"url":"https://example.org/s.csv","format":"CSV"}]})",
                        w.sysadmin);
    secret_id = created["result"]["id"].GetString();
    resource_id = created["result"]["resources"][0]["id"].GetString();
  }
};

TEST_F(PrivateLeaks, APrivateDatasetIsNotFoundExactlyLikeAMissingOne) {
  // The same request for a dataset that never existed, by the same caller: the answers must
  // not differ (status, type, message), or the difference says the private one exists.
  struct Read {
    std::string action, body_of;  // body_of: "{id}" replaced by the reference
    bool write = false;           // anonymous writes are 403 (log in first) for both
  };
  const std::vector<Read> reads = {
      {"package_show", R"({"id":"{id}"})"},
      {"package_patch", R"({"id":"{id}","title":"taken"})", true},
      {"package_update", R"({"id":"{id}","title":"taken","owner_org":"agency-b"})", true},
      {"package_delete", R"({"id":"{id}"})", true},
      {"package_relationships_list", R"({"id":"{id}"})"},
      {"package_relationship_create", R"({"subject":"{id}","object":"{id}","type":"links_to"})",
       true},
      {"datamap_neighbors", R"({"id":"{id}"})"},
      {"datamap_related", R"({"id":"{id}"})"},
  };
  auto body = [](const std::string& tmpl, const std::string& ref) {
    std::string b = tmpl;
    for (std::size_t at; (at = b.find("{id}")) != std::string::npos;) b.replace(at, 4, ref);
    return b;
  };
  for (const std::string& who : {std::string(), w.editor_b}) {
    const char* name = who.empty() ? "anonymous" : "editor_b";
    for (const std::string& ref : {std::string("secret-plan"), secret_id}) {
      for (const auto& r : reads) {
        HttpReply hidden = w.http.action(r.action, body(r.body_of, ref), who);
        HttpReply missing = w.http.action(r.action, body(r.body_of, "no-such-plan"), who);
        EXPECT_EQ(hidden.status, r.write && who.empty() ? 403 : 404)
            << name << " " << r.action << ": " << hidden.body;
        EXPECT_EQ(with_placeholder(hidden.body, ref),
                  with_placeholder(missing.body, "no-such-plan"))
            << name << " " << r.action;
        EXPECT_EQ(hidden.body.find("Zorblax"), std::string::npos) << hidden.body;
        if (ref == secret_id) {  // asked by id, the name must not come back
          EXPECT_EQ(hidden.body.find("secret-plan"), std::string::npos) << hidden.body;
        }
      }
    }
    HttpReply res = w.http.action("resource_show", R"({"id":")" + resource_id + R"("})", who);
    HttpReply no_res = w.http.action("resource_show", R"({"id":"no-such-resource"})", who);
    EXPECT_EQ(res.status, 404) << name << ": " << res.body;
    EXPECT_EQ(with_placeholder(res.body, resource_id),
              with_placeholder(no_res.body, "no-such-resource"))
        << name;
    // The portal's page and the dataset's DCAT and schema.org documents.
    for (const std::string& suffix : {std::string(), std::string(".ttl"), std::string(".rdf"),
                                      std::string(".jsonld"), std::string(".schema.json")}) {
      Headers auth;
      if (!who.empty()) auth["Authorization"] = who;
      HttpReply page = w.http.get("/dataset/secret-plan" + suffix, auth);
      HttpReply none = w.http.get("/dataset/no-such-plan" + suffix, auth);
      EXPECT_EQ(page.status, 404) << name << " /dataset/secret-plan" << suffix << ": "
                                  << page.body.substr(0, 300);
      EXPECT_EQ(page.status, none.status) << suffix;
      EXPECT_EQ(page.body.find("Zorblax"), std::string::npos) << suffix;
      HttpReply by_id = w.http.get("/dataset/" + secret_id + suffix, auth);
      EXPECT_EQ(by_id.status, 404) << suffix;
      EXPECT_EQ(by_id.body.find("secret-plan"), std::string::npos) << suffix << by_id.body;
    }
    HttpReply turtle = w.http.get("/dataset/secret-plan", {{"Accept", "text/turtle"}});
    EXPECT_EQ(turtle.status, 404) << turtle.body;
  }
  // Members of agency-a still read it, everywhere.
  EXPECT_EQ(w.http.action("package_show", R"({"id":"secret-plan"})", w.member_a).status, 200);
  EXPECT_EQ(w.http.action("resource_show", R"({"id":")" + resource_id + R"("})", w.member_a).status,
            200);
  EXPECT_EQ(w.http.get("/dataset/secret-plan.ttl", {{"Authorization", w.member_a}}).status, 200);
  // A public dataset of another agency is still a 403 for a write (it exists for everyone).
  w.dataset("open-a", "agency-a");
  EXPECT_EQ(w.http.action("package_patch", R"({"id":"open-a","title":"x"})", w.editor_b).status,
            403);
}

// package_count as CKAN counts it: the datasets the caller can see.
TEST_F(PrivateLeaks, PackageCountsCountOnlyWhatTheCallerMaySee) {
  w.ok("package_create", R"({"name":"secret-two","title":"비공개 둘","owner_org":"agency-a",
      "private":true,"groups":[{"name":"transport"}]})",
       w.sysadmin);
  w.ok("package_create", R"({"name":"open-one","title":"공개 하나","owner_org":"agency-a",
      "groups":[{"name":"transport"}]})",
       w.sysadmin);
  struct Expect {
    std::string token;
    const char* who;
    std::int64_t count;
  };
  const std::vector<Expect> callers = {{"", "anonymous", 1},
                                       {w.editor_b, "editor_b", 1},
                                       {w.member_a, "member_a", 3},
                                       {w.sysadmin, "sysadmin", 3}};
  auto count_in = [](const rapidjson::Value& list, const char* name) -> std::int64_t {
    for (const auto& o : list.GetArray())
      if (std::string(o["name"].GetString()) == name) return o["package_count"].GetInt64();
    ADD_FAILURE() << name << " not listed";
    return -1;
  };
  for (const auto& c : callers) {
    auto org = w.ok("organization_show", R"({"id":"agency-a"})", c.token);
    EXPECT_EQ(org["result"]["package_count"].GetInt64(), c.count) << c.who;
    auto orgs = w.ok("organization_list", R"({"all_fields":true})", c.token);
    EXPECT_EQ(count_in(orgs["result"], "agency-a"), c.count) << c.who;
    auto group = w.ok("group_show", R"({"id":"transport"})", c.token);
    EXPECT_EQ(group["result"]["package_count"].GetInt64(), c.count) << c.who;
    auto groups = w.ok("group_list", R"({"all_fields":true})", c.token);
    EXPECT_EQ(count_in(groups["result"], "transport"), c.count) << c.who;
    // Sorting by the count must not rank by the hidden datasets either.
    auto sorted = w.ok("organization_list", R"({"sort":"package_count desc"})", c.token);
    if (c.count == 1) {  // agency-a (1 visible) and agency-b (0): a by count, then name
      EXPECT_STREQ(sorted["result"][0].GetString(), "agency-a") << c.who;
    }
  }
  // Facets come from the search, which applies the same rule.
  ASSERT_TRUE(eventually([&] {
    auto all = w.ok("package_search", R"({"include_private":true})", w.sysadmin);
    return all["result"]["count"].GetInt64() == 3;
  }));
  auto facets = w.ok("package_search", R"({"facet.field":"[\"organization\",\"groups\"]"})");
  EXPECT_EQ(facets["result"]["facets"]["organization"]["agency-a"].GetInt64(), 1);
  EXPECT_EQ(facets["result"]["facets"]["groups"]["transport"].GetInt64(), 1);
}

// The "did you mean" dictionary is shared by every caller: a word only a private title holds
// must never be suggested to someone who cannot read that dataset.
TEST_F(PrivateLeaks, SpellingSuggestionsNeverOfferAPrivateTitlesWords) {
  w.ok("package_create",
       R"({"name":"bike","title":"서울 공공자전거 대여소","owner_org":"agency-b"})", w.sysadmin);
  // Public first, then made private: its words were in the dictionary while it was public.
  w.ok("package_create", R"({"name":"turned","title":"Quuxifer station register",
      "owner_org":"agency-a"})",
       w.sysadmin);
  ASSERT_TRUE(eventually([&] {
    return w.ok("package_search", R"({"q":"quuxifer"})")["result"]["count"].GetInt64() == 1;
  }));
  w.ok("package_patch", R"({"id":"turned","private":true})", w.sysadmin);
  ASSERT_TRUE(eventually([&] {
    return w.ok("package_search", R"({"q":"quuxifer"})")["result"]["count"].GetInt64() == 0 &&
           w.ok("package_search", R"({"q":"zorblax","include_private":true})",
                w.sysadmin)["result"]["count"]
                   .GetInt64() == 1;
  }));
  for (const std::string& who : {std::string(), w.editor_b}) {
    for (const char* typo : {"zorblex", "quuxifar"}) {
      HttpReply r = w.http.action("package_search", std::string(R"({"q":")") + typo + "\"}", who);
      ASSERT_EQ(r.status, 200) << r.body;
      auto doc = r.json();
      EXPECT_EQ(doc["result"]["count"].GetInt64(), 0);
      EXPECT_FALSE(doc["result"].HasMember("suggestion"))
          << typo << " -> " << doc["result"]["suggestion"].GetString();
    }
    // The portal's search page shows the suggestion: not there either.
    HttpReply page =
        w.http.get("/dataset?q=zorblex", who.empty() ? Headers{} : Headers{{"Authorization", who}});
    EXPECT_EQ(page.body.find("zorblax"), std::string::npos);
  }
  // Suggestions from public titles still come.
  auto public_typo = w.ok("package_search", R"({"q":"대여쇼"})");
  ASSERT_TRUE(public_typo["result"].HasMember("suggestion")) << "no suggestion at all";
  EXPECT_STREQ(public_typo["result"]["suggestion"].GetString(), "대여소");
}

}  // namespace
}  // namespace datamap::testing
