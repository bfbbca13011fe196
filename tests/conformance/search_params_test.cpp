// package_search's fl and facet.query, and the include_drafts / include_deleted flags.
#include "tests/conformance/conformance.h"

namespace datamap::testing {
namespace {

std::string str(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

TEST(SearchConformance, FlKeepsTheNamedFieldsAndFacetQueryCountsEachQuery) {
  ApiWorld w;
  create(
      w,
      R"({"name":"with-csv","owner_org":"agency-a","extras":[{"key":"담당부서","value":"교통과"}],
      "resources":[{"name":"a","url":"https://example.org/a.csv","format":"CSV"}]})");
  create(w, R"({"name":"with-pdf","owner_org":"agency-b",
      "resources":[{"name":"b","url":"https://example.org/b.pdf","format":"PDF"}]})");
  wait_for_search(w);

  // test_get.py::TestPackageSearch::test_fl: only those fields, extras by key.
  auto r = w.ok("package_search", R"({"fl":"name,담당부서","sort":"name asc"})");
  ASSERT_EQ(r["result"]["results"].Size(), 2u);
  const auto& first = r["result"]["results"][0];
  EXPECT_EQ(first.MemberCount(), 2u);
  EXPECT_EQ(str(first["name"]), "with-csv");
  EXPECT_EQ(str(first["담당부서"]), "교통과");
  EXPECT_EQ(r["result"]["results"][1].MemberCount(), 1u);  // no such extra: just the name
  auto listed = w.ok("package_search", R"({"fl":["id","name"],"rows":1})");
  EXPECT_TRUE(listed["result"]["results"][0].HasMember("id"));
  EXPECT_FALSE(listed["result"]["results"][0].HasMember("resources"));

  auto f = w.ok("package_search", R"({"facet.query":["res_format:CSV","organization:agency-b"]})");
  EXPECT_EQ(f["result"]["count"].GetInt(), 2);
  EXPECT_EQ(f["result"]["facet_queries"]["res_format:CSV"].GetInt(), 1);
  EXPECT_EQ(f["result"]["facet_queries"]["organization:agency-b"].GetInt(), 1);
  // Combined with fq: counted within the filtered results.
  auto within = w.ok("package_search",
                     R"({"fq":"organization:agency-a","facet.query":"[\"res_format:PDF\"]"})");
  EXPECT_EQ(within["result"]["facet_queries"]["res_format:PDF"].GetInt(), 0);

  // Bad input: a precise 400, the server still answering.
  EXPECT_EQ(w.http.action("package_search", R"({"fl":5})").status, 400);
  EXPECT_EQ(w.http.action("package_search", R"({"facet.query":"not json"})").status, 400);
  EXPECT_EQ(w.http.action("package_search", R"({"facet.query":["a:(unclosed"]})").status, 400);
  EXPECT_EQ(w.http
                .action("package_search",
                        R"({"facet.query":["a","b","c","d","e","f","g","h","i","j","k"]})")
                .status,
            400);

  // A deleted dataset leaves the results; include_deleted brings it back (for a sysadmin: who
  // else may, tests/conformance/search_visibility_test.cpp).
  w.ok("package_delete", R"({"id":"with-pdf"})", w.sysadmin);
  wait_for_search(w);
  EXPECT_EQ(w.ok("package_search", "{}", w.sysadmin)["result"]["count"].GetInt(), 1);
  auto flags =
      w.ok("package_search", R"({"include_drafts":true,"include_deleted":true})", w.sysadmin);
  EXPECT_EQ(flags["result"]["count"].GetInt(), 2);
}

}  // namespace
}  // namespace datamap::testing
