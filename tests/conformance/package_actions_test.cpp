// current_package_list_with_resources, package_revise, package_owner_org_update,
// bulk_update_*: as ckan/tests/logic/action/test_get.py and test_update.py call them.
#include <set>

#include "tests/conformance/conformance.h"

namespace datamap::testing {
namespace {

class PackageConformance : public ::testing::Test {
 protected:
  ApiWorld w;
};

std::string str(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

TEST_F(PackageConformance, CurrentPackageListWithResourcesPagesNewestFirstWithResources) {
  create(w, R"({"name":"first","owner_org":"agency-a",
      "resources":[{"name":"a","url":"https://example.org/a.csv","format":"CSV"}]})");
  create(w, R"({"name":"second","owner_org":"agency-a"})");
  create(w, R"({"name":"hidden","owner_org":"agency-a","private":true})");
  wait_for_search(w);

  auto all = w.ok("current_package_list_with_resources", "{}");
  std::vector<std::string> names;
  for (const auto& p : all["result"].GetArray()) names.push_back(str(p["name"]));
  EXPECT_EQ(names, (std::vector<std::string>{"second", "first"}));  // newest first, no private
  EXPECT_EQ(all["result"][1]["resources"].Size(), 1u);
  EXPECT_EQ(str(all["result"][1]["resources"][0]["url"]), "https://example.org/a.csv");

  // limit pages; offset, and the deprecated page, move through them.
  auto page = w.ok("current_package_list_with_resources", R"({"limit":1,"offset":1})");
  ASSERT_EQ(page["result"].Size(), 1u);
  EXPECT_EQ(str(page["result"][0]["name"]), "first");
  auto old_style = w.ok("current_package_list_with_resources", R"({"limit":1,"page":2})");
  EXPECT_EQ(str(old_style["result"][0]["name"]), "first");

  // A sysadmin gets the private ones too; an editor of their organization does not (CKAN).
  EXPECT_EQ(w.ok("current_package_list_with_resources", "{}", w.sysadmin)["result"].Size(), 3u);
  EXPECT_EQ(w.ok("current_package_list_with_resources", "{}", w.editor_a)["result"].Size(), 2u);

  EXPECT_EQ(refusal(w, "current_package_list_with_resources", R"({"limit":-1})").status, 409);
  EXPECT_EQ(refusal(w, "current_package_list_with_resources", R"({"limit":"many"})").status, 409);
}

TEST_F(PackageConformance, PackageReviseChangesWhatMatchesAndRefusesWhatDoesNot) {
  create(w, R"({"name":"revise-me","title":"Old","notes":"old notes","owner_org":"agency-a",
      "resources":[{"name":"one","url":"https://example.org/1.csv"},
                   {"name":"two","url":"https://example.org/2.csv"}]})");
  // test_update.py::TestPackageRevise::test_revise_description
  auto r =
      w.ok("package_revise",
           R"({"match":{"notes":"old notes","name":"revise-me"},"update":{"notes":"new notes"}})",
           w.editor_a);
  EXPECT_EQ(str(r["result"]["package"]["notes"]), "new notes");
  EXPECT_EQ(str(r["result"]["package"]["title"]), "Old");  // the rest is kept

  // test_revise_failed_match: nothing changes, the differing key is listed under "match".
  HttpReply bad = w.http.action(
      "package_revise", R"({"match":{"notes":"wrong","name":"revise-me"},"update":{"notes":"x"}})",
      w.editor_a);
  EXPECT_EQ(bad.status, 409);
  auto err = bad.json();
  ASSERT_TRUE(err["error"].HasMember("match")) << bad.body;
  EXPECT_EQ(str(err["error"]["match"][0]), "notes");
  EXPECT_EQ(str(w.ok("package_show", R"({"id":"revise-me"})")["result"]["notes"]), "new notes");

  // Flattened keys: match__name, update__title, a resource by index, the last by -1.
  w.ok("package_revise",
       R"({"match__name":"revise-me","update__title":"New","update__resources__0__name":"first",
           "update__resources__-1__description":"last one"})",
       w.editor_a);
  auto shown = w.ok("package_show", R"({"id":"revise-me"})");
  EXPECT_EQ(str(shown["result"]["title"]), "New");
  EXPECT_EQ(str(shown["result"]["resources"][0]["name"]), "first");
  EXPECT_EQ(str(shown["result"]["resources"][1]["description"]), "last one");

  // A resource by the first characters of its id; __extend adds one (test_revise_resource_*).
  std::string second_id = str(shown["result"]["resources"][1]["id"]);
  w.ok("package_revise",
       R"({"match":{"name":"revise-me"},"update__resources__)" + second_id.substr(0, 8) +
           R"(":{"name":"by-id"},
           "update__resources__extend":[{"name":"three","url":"https://example.org/3.csv"}]})",
       w.editor_a);
  shown = w.ok("package_show", R"({"id":"revise-me"})");
  ASSERT_EQ(shown["result"]["resources"].Size(), 3u);
  EXPECT_EQ(str(shown["result"]["resources"][1]["name"]), "by-id");
  EXPECT_EQ(str(shown["result"]["resources"][2]["name"]), "three");

  // filter removes the second resource; include "-*" trims the answer to an empty package.
  auto filtered = w.ok("package_revise",
                       R"({"match":{"name":"revise-me"},"filter":["-resources__1"],
                           "include":["-package__*"]})",
                       w.editor_a);
  EXPECT_TRUE(filtered["result"]["package"].ObjectEmpty());
  shown = w.ok("package_show", R"({"id":"revise-me"})");
  ASSERT_EQ(shown["result"]["resources"].Size(), 2u);
  EXPECT_EQ(str(shown["result"]["resources"][1]["name"]), "three");

  // GET/form spelling: update given as JSON text.
  w.ok("package_revise", R"({"match":"{\"name\":\"revise-me\"}","update":"{\"title\":\"T\"}"})",
       w.editor_a);
  EXPECT_EQ(str(w.ok("package_show", R"({"id":"revise-me"})")["result"]["title"]), "T");
}

// test_revise_dataset_fields_only and test_revise_resource_replace_all.
TEST_F(PackageConformance, PackageReviseFiltersReplaceFieldsOrAWholeResource) {
  auto made = create(w, R"({"name":"fresh","title":"Old","notes":"old notes","owner_org":"agency-a",
      "resources":[{"name":"old name","url":"http://example.com"}]})");
  std::string id = str(made["result"]["id"]);
  auto r = w.ok("package_revise", R"({"match":{"id":")" + id + R"("},
      "filter":["+resources","-*"],"update":{"name":"fresh-start","title":"Fresh Start"}})",
                w.editor_a);
  const auto& p = r["result"]["package"];
  EXPECT_EQ(str(p["name"]), "fresh-start");
  EXPECT_EQ(str(p["notes"]), "");  // CKAN: None
  EXPECT_EQ(str(p["resources"][0]["url"]), "http://example.com");
  EXPECT_EQ(str(p["owner_org"]), w.org_a_id);  // the organization is not filtered away

  std::string prefix = str(p["resources"][0]["id"]).substr(0, 5);
  auto all = w.ok("package_revise",
                  R"({"match":{"id":")" + id + R"("},
      "filter":["+resources__)" +
                      prefix + R"(__id","-resources__)" + prefix + R"(__*"],
      "update__resources__)" +
                      prefix + R"(":{"name":"new name"}})",
                  w.editor_a);
  EXPECT_EQ(str(all["result"]["package"]["resources"][0]["name"]), "new name");
  EXPECT_EQ(str(all["result"]["package"]["resources"][0]["url"]), "");
}

TEST_F(PackageConformance, PackageReviseRefusesBadInputAndOutsiders) {
  create(w, R"({"name":"guarded","owner_org":"agency-a"})");
  // No id or name to match: CKAN's {"match__id": ["Missing value"]}.
  HttpReply none = w.http.action("package_revise", R"({"update":{"title":"x"}})", w.editor_a);
  EXPECT_EQ(none.status, 409);
  EXPECT_TRUE(none.json()["error"].HasMember("match__id")) << none.body;
  // A key naming nothing is "Unmatched key", no change.
  HttpReply unmatched =
      w.http.action("package_revise",
                    R"({"match":{"name":"guarded"},"update__resources__7__name":"x"})", w.editor_a);
  EXPECT_EQ(unmatched.status, 409);
  EXPECT_NE(unmatched.body.find("Unmatched key resources__7"), std::string::npos) << unmatched.body;
  EXPECT_EQ(refusal(w, "package_revise", R"({"match":{"name":"guarded"},"update":[1]})", w.editor_a)
                .status,
            409);
  EXPECT_EQ(refusal(w, "package_revise", R"({"match":{"name":"guarded"},"surprise":1})", w.editor_a)
                .status,
            409);
  // An editor of another organization, a member, and nobody at all may not revise it.
  EXPECT_EQ(refusal(w, "package_revise", R"({"match":{"name":"guarded"},"update":{"title":"x"}})",
                    w.editor_b)
                .status,
            403);
  EXPECT_EQ(refusal(w, "package_revise", R"({"match":{"name":"guarded"},"update":{"title":"x"}})",
                    w.member_a)
                .status,
            403);
  EXPECT_EQ(
      refusal(w, "package_revise", R"({"match":{"name":"guarded"},"update":{"title":"x"}})").status,
      403);
  EXPECT_EQ(refusal(w, "package_revise", R"({"match":{"name":"nothing-here"}})", w.sysadmin).status,
            404);
  // The id cannot be revised away.
  auto before = str(w.ok("package_show", R"({"id":"guarded"})")["result"]["id"]);
  w.ok("package_revise", R"({"match":{"name":"guarded"},"update":{"id":"other"}})", w.editor_a);
  EXPECT_EQ(str(w.ok("package_show", R"({"id":"guarded"})")["result"]["id"]), before);
}

TEST_F(PackageConformance, PackageOwnerOrgUpdateMovesADatasetBetweenOrganizations) {
  w.dataset("moving", "agency-a");
  // test_update.py::TestPackageOwnerOrgUpdate: the dataset's owner_org becomes the new one.
  auto r = w.ok("package_owner_org_update", R"({"id":"moving","organization_id":"agency-b"})",
                w.sysadmin);
  EXPECT_TRUE(r["result"].IsNull());
  EXPECT_EQ(str(w.ok("package_show", R"({"id":"moving"})")["result"]["owner_org"]), w.org_b_id);
  // An editor of agency-b only may not take agency-a's datasets, nor give theirs away.
  w.dataset("stays", "agency-a");
  EXPECT_EQ(refusal(w, "package_owner_org_update", R"({"id":"stays","organization_id":"agency-b"})",
                    w.editor_b)
                .status,
            403);
  EXPECT_EQ(refusal(w, "package_owner_org_update",
                    R"({"id":"moving","organization_id":"agency-a"})", w.editor_b)
                .status,
            403);
  EXPECT_EQ(refusal(w, "package_owner_org_update",
                    R"({"id":"stays","organization_id":"no-such-org"})", w.sysadmin),
            (Refusal{404, "Not Found Error"}));
  EXPECT_EQ(refusal(w, "package_owner_org_update",
                    R"({"id":"no-such","organization_id":"agency-b"})", w.sysadmin)
                .status,
            404);
  EXPECT_EQ(refusal(w, "package_owner_org_update", R"({"organization_id":"agency-b"})", w.sysadmin)
                .status,
            409);
}

TEST_F(PackageConformance, BulkUpdatesChangeOnlyTheOrganizationsOwnDatasets) {
  std::string a1 = w.dataset("bulk-a1", "agency-a");
  std::string a2 = w.dataset("bulk-a2", "agency-a");
  std::string b1 = w.dataset("bulk-b1", "agency-b");
  const std::string list =
      R"({"org_id":"agency-a","datasets":[")" + a1 + R"(",")" + a2 + R"(",")" + b1 + R"("]})";
  // test_update.py::TestBulkOperations: needs an admin of the organization.
  EXPECT_EQ(refusal(w, "bulk_update_private", list, w.editor_a).status, 403);
  EXPECT_EQ(refusal(w, "bulk_update_private", list).status, 403);
  EXPECT_TRUE(w.ok("bulk_update_private", list, w.admin_a)["result"].IsNull());
  EXPECT_TRUE(
      w.ok("package_show", R"({"id":"bulk-a1"})", w.sysadmin)["result"]["private"].GetBool());
  EXPECT_TRUE(
      w.ok("package_show", R"({"id":"bulk-a2"})", w.sysadmin)["result"]["private"].GetBool());
  EXPECT_FALSE(w.ok("package_show", R"({"id":"bulk-b1"})")["result"]["private"].GetBool());
  EXPECT_EQ(refusal(w, "package_show", R"({"id":"bulk-a1"})").status, 404);  // private now

  w.ok("bulk_update_public", list, w.admin_a);
  EXPECT_FALSE(w.ok("package_show", R"({"id":"bulk-a1"})")["result"]["private"].GetBool());

  w.ok("bulk_update_delete", list, w.admin_a);
  EXPECT_EQ(str(w.ok("package_show", R"({"id":"bulk-a1"})", w.sysadmin)["result"]["state"]),
            "deleted");
  EXPECT_EQ(str(w.ok("package_show", R"({"id":"bulk-b1"})")["result"]["state"]), "active");

  EXPECT_EQ(refusal(w, "bulk_update_public", R"({"org_id":"agency-a"})", w.admin_a).status, 409);
  // Text that is not a JSON list (the GET spelling) is a 400, as for every JSON parameter.
  EXPECT_EQ(
      refusal(w, "bulk_update_public", R"({"org_id":"agency-a","datasets":"x"})", w.admin_a).status,
      400);
  EXPECT_EQ(
      refusal(w, "bulk_update_public", R"({"org_id":"agency-a","datasets":[1]})", w.admin_a).status,
      409);
  EXPECT_EQ(
      refusal(w, "bulk_update_public", R"({"org_id":"nowhere","datasets":[]})", w.sysadmin).status,
      404);
}

}  // namespace
}  // namespace datamap::testing
