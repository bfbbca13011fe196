// user_list, user_delete, tag_show, resource_search, config_option_show, help_show and
// package_collaborator_*: as ckan/tests/logic/action/ calls them.
#include <set>

#include "tests/conformance/conformance.h"

namespace datamap::testing {
namespace {

class SiteConformance : public ::testing::Test {
 protected:
  ApiWorld w;
};

std::string str(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

TEST_F(SiteConformance, UserListNamesAccountsAndHidesDeletedOnes) {
  // test_get.py::TestUserList: dicts by default, names with all_fields=false.
  auto all = w.ok("user_list", "{}");
  std::set<std::string> names;
  for (const auto& u : all["result"].GetArray()) {
    names.insert(str(u["name"]));
    EXPECT_FALSE(u.HasMember("email")) << "email only for sysadmins";
  }
  EXPECT_EQ(names,
            (std::set<std::string>{"sysadmin", "admin_a", "editor_a", "member_a", "editor_b"}));
  auto plain = w.ok("user_list", R"({"all_fields":false,"q":"editor","order_by":"name"})");
  ASSERT_EQ(plain["result"].Size(), 2u);
  EXPECT_EQ(str(plain["result"][0]), "editor_a");
  EXPECT_EQ(str(plain["result"][1]), "editor_b");
  EXPECT_TRUE(w.ok("user_list", "{}", w.sysadmin)["result"][0].HasMember("email"));
  EXPECT_EQ(refusal(w, "user_list", R"({"email":"x@example.org"})", w.editor_a).status, 403);
  EXPECT_EQ(refusal(w, "user_list", R"({"order_by":"edits"})").status, 409);

  // test_delete.py::TestUserDelete: the state becomes deleted, the list drops it, and its
  // token stops working.
  EXPECT_EQ(refusal(w, "user_delete", R"({"id":"member_a"})", w.admin_a).status, 403);
  EXPECT_TRUE(w.ok("user_delete", R"({"id":"member_a"})", w.sysadmin)["result"].IsNull());
  EXPECT_EQ(str(w.ok("user_show", R"({"id":"member_a"})", w.sysadmin)["result"]["state"]),
            "deleted");
  EXPECT_EQ(w.ok("user_list", "{}")["result"].Size(), 4u);
  EXPECT_NE(w.http.action("user_show", "{}", w.member_a).status, 200);
  EXPECT_EQ(refusal(w, "user_delete", R"({"id":"nobody"})", w.sysadmin).status, 404);
  EXPECT_EQ(refusal(w, "user_delete", R"({"id":"sysadmin"})", w.sysadmin).status, 409);
}

TEST_F(SiteConformance, TagShowAndResourceSearchReadPublicDatasetsOnly) {
  create(w, R"({"name":"tagged","owner_org":"agency-a","tags":[{"name":"교통"}],
      "resources":[{"name":"버스 노선","url":"https://example.org/bus.csv","format":"CSV"}]})");
  create(w, R"({"name":"secret","owner_org":"agency-a","private":true,"tags":[{"name":"비밀"}],
      "resources":[{"name":"hidden","url":"https://example.org/secret.csv","format":"CSV"}]})");
  wait_for_search(w);
  // test_get.py::TestTagShow
  auto tag = w.ok("tag_show", R"({"id":"교통"})");
  EXPECT_EQ(str(tag["result"]["name"]), "교통");
  EXPECT_TRUE(tag["result"]["vocabulary_id"].IsNull());
  EXPECT_FALSE(tag["result"].HasMember("packages"));
  auto with = w.ok("tag_show", R"({"id":"교통","include_datasets":true})");
  ASSERT_EQ(with["result"]["packages"].Size(), 1u);
  EXPECT_EQ(str(with["result"]["packages"][0]["name"]), "tagged");
  EXPECT_EQ(refusal(w, "tag_show", R"({"id":"비밀"})").status, 404);  // private only
  EXPECT_EQ(refusal(w, "tag_show", R"({"id":"없는태그"})"), (Refusal{404, "Not Found Error"}));
  EXPECT_EQ(refusal(w, "tag_show", "{}").status, 409);

  // test_get.py::TestResourceSearch: field:term, case-insensitive parts, public datasets only.
  auto found = w.ok("resource_search", R"({"query":"format:csv"})");
  EXPECT_EQ(found["result"]["count"].GetInt(), 1);
  EXPECT_EQ(str(found["result"]["results"][0]["name"]), "버스 노선");
  auto both = w.ok("resource_search", R"({"query":["url:BUS","name:노선"]})");
  EXPECT_EQ(both["result"]["count"].GetInt(), 1);
  EXPECT_EQ(w.ok("resource_search", R"({"query":"url:secret"})")["result"]["count"].GetInt(), 0);
  auto paged = w.ok("resource_search", R"({"query":"format:csv","offset":1})");
  EXPECT_EQ(paged["result"]["count"].GetInt(), 1);  // count ignores the page
  EXPECT_EQ(paged["result"]["results"].Size(), 0u);
  EXPECT_EQ(refusal(w, "resource_search", R"({"query":"nosuchfield:x"})").status, 409);
  EXPECT_EQ(refusal(w, "resource_search", R"({"query":"no-colon"})").status, 409);
  EXPECT_EQ(refusal(w, "resource_search", "{}").status, 409);
}

TEST_F(SiteConformance, ConfigOptionShowAnswersPublicOptionsOnly) {
  auto title = w.ok("config_option_show", R"({"key":"ckan.site_title"})");
  EXPECT_TRUE(title["result"].IsString());
  EXPECT_EQ(refusal(w, "config_option_show", R"({"key":"ckan.datastore.write_url"})"),
            (Refusal{409, "Validation Error"}));
  EXPECT_EQ(refusal(w, "config_option_show", "{}").status, 409);
}

TEST_F(SiteConformance, HelpShowDocumentsEveryNewActionWithItsParameters) {
  const std::pair<const char*, const char*> documented[] = {
      {"current_package_list_with_resources", "offset"},
      {"package_revise", "update__resources__extend"},
      {"package_owner_org_update", "organization_id"},
      {"bulk_update_private", "org_id"},
      {"bulk_update_public", "datasets"},
      {"bulk_update_delete", "datasets"},
      {"organization_list_for_user", "permission"},
      {"organization_patch", "id"},
      {"organization_delete", "datasets"},
      {"organization_purge", "Sysadmin"},
      {"group_update", "name"},
      {"group_patch", "id"},
      {"group_delete", "id"},
      {"group_purge", "id"},
      {"member_list", "object_type"},
      {"member_create", "capacity"},
      {"member_delete", "object_type"},
      {"group_list_authz", "am_member"},
      {"user_list", "order_by"},
      {"user_delete", "id"},
      {"tag_show", "include_datasets"},
      {"package_collaborator_create", "capacity"},
      {"package_collaborator_list", "capacity"},
      {"package_collaborator_delete", "user_id"},
      {"config_option_show", "key"},
      {"resource_search", "query"},
      {"dataset_purge", "id"},
  };
  for (const auto& [action, parameter] : documented) {
    auto help = w.ok("help_show", std::string(R"({"name":")") + action + R"("})");
    EXPECT_NE(str(help["result"]).find(parameter), std::string::npos) << action;
  }
}

TEST_F(SiteConformance, CollaboratorsEditOrReadOneDatasetByCapacity) {
  std::string id = w.dataset("shared", "agency-a", /*is_private=*/true);
  // Before: editor_b (agency-b) neither sees nor edits agency-a's private dataset.
  EXPECT_EQ(refusal(w, "package_show", R"({"id":"shared"})", w.editor_b).status, 404);

  // test_create.py::TestPackageMemberCreate: admins of the dataset's organization manage them.
  EXPECT_EQ(refusal(w, "package_collaborator_create",
                    R"({"id":"shared","user_id":"editor_b","capacity":"editor"})", w.editor_a)
                .status,
            403);
  EXPECT_EQ(refusal(w, "package_collaborator_create",
                    R"({"id":"shared","user_id":"editor_b","capacity":"admin"})", w.admin_a)
                .status,
            409);
  EXPECT_EQ(refusal(w, "package_collaborator_create",
                    R"({"id":"shared","user_id":"nobody","capacity":"editor"})", w.admin_a)
                .status,
            404);
  auto c = w.ok("package_collaborator_create",
                R"({"id":"shared","user_id":"editor_b","capacity":"member"})", w.admin_a);
  EXPECT_EQ(str(c["result"]["package_id"]), id);
  EXPECT_EQ(str(c["result"]["capacity"]), "member");

  // member: reads it while private, may not change it.
  w.ok("package_show", R"({"id":"shared"})", w.editor_b);
  EXPECT_EQ(refusal(w, "package_patch", R"({"id":"shared","title":"x"})", w.editor_b).status, 403);

  // editor: the same call again changes the capacity; then the collaborator may edit.
  w.ok("package_collaborator_create", R"({"id":"shared","user_id":"editor_b","capacity":"editor"})",
       w.admin_a);
  auto patched = w.ok("package_patch", R"({"id":"shared","title":"협업 제목"})", w.editor_b);
  EXPECT_EQ(str(patched["result"]["title"]), "협업 제목");
  EXPECT_EQ(str(patched["result"]["owner_org"]), w.org_a_id);  // still agency-a's

  auto list = w.ok("package_collaborator_list", R"({"id":"shared"})", w.admin_a);
  ASSERT_EQ(list["result"].Size(), 1u);
  EXPECT_EQ(str(list["result"][0]["capacity"]), "editor");
  EXPECT_EQ(w.ok("package_collaborator_list", R"({"id":"shared","capacity":"member"})",
                 w.admin_a)["result"]
                .Size(),
            0u);
  EXPECT_EQ(refusal(w, "package_collaborator_list", R"({"id":"shared"})", w.editor_b).status, 403);

  // Removed: back to not seeing it at all. Removing again is 404.
  w.ok("package_collaborator_delete", R"({"id":"shared","user_id":"editor_b"})", w.admin_a);
  EXPECT_EQ(refusal(w, "package_show", R"({"id":"shared"})", w.editor_b).status, 404);
  EXPECT_EQ(refusal(w, "package_collaborator_delete", R"({"id":"shared","user_id":"editor_b"})",
                    w.admin_a)
                .status,
            404);
  // A collaborator on one dataset gains nothing on its neighbours.
  w.dataset("neighbour", "agency-a", true);
  w.ok("package_collaborator_create", R"({"id":"shared","user_id":"editor_b","capacity":"editor"})",
       w.admin_a);
  EXPECT_EQ(refusal(w, "package_show", R"({"id":"neighbour"})", w.editor_b).status, 404);
  EXPECT_EQ(refusal(w, "package_delete", R"({"id":"neighbour"})", w.editor_b).status, 404);
}

}  // namespace
}  // namespace datamap::testing
