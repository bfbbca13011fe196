// organization_patch/delete/purge, group_update/patch/delete/purge, member_list/create/delete,
// organization_list_for_user, group_list_authz: as ckan/tests/logic/action/ calls them.
#include <set>

#include "tests/conformance/conformance.h"

namespace datamap::testing {
namespace {

class GroupConformance : public ::testing::Test {
 protected:
  ApiWorld w;
};

std::string str(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

std::set<std::string> names(const rapidjson::Value& list) {
  std::set<std::string> out;
  for (const auto& v : list.GetArray()) out.insert(v.IsString() ? str(v) : str(v["name"]));
  return out;
}

TEST_F(GroupConformance, OrganizationPatchChangesOnlyWhatIsGiven) {
  w.ok("organization_update", R"({"id":"agency-a","description":"설명"})", w.sysadmin);
  auto r = w.ok("organization_patch", R"({"id":"agency-a","title":"새 이름"})", w.admin_a);
  EXPECT_EQ(str(r["result"]["title"]), "새 이름");
  EXPECT_EQ(str(r["result"]["description"]), "설명");
  EXPECT_EQ(refusal(w, "organization_patch", R"({"id":"agency-a","title":"x"})", w.editor_a).status,
            403);
  EXPECT_EQ(refusal(w, "organization_patch", R"({"id":"nowhere","title":"x"})", w.sysadmin).status,
            404);
}

TEST_F(GroupConformance, OrganizationDeleteRefusesWhileItHasDatasetsThenHidesIt) {
  w.dataset("keeps-a", "agency-a");
  // test_delete.py::TestGroupDelete::test_organization_delete... with datasets: refused.
  HttpReply busy = w.http.action("organization_delete", R"({"id":"agency-a"})", w.sysadmin);
  EXPECT_EQ(busy.status, 409);
  EXPECT_NE(busy.body.find("still has datasets"), std::string::npos) << busy.body;

  w.ok("organization_create", R"({"name":"empty-org"})", w.sysadmin);
  w.ok("organization_member_create", R"({"id":"empty-org","username":"editor_a","role":"admin"})",
       w.sysadmin);
  EXPECT_EQ(refusal(w, "organization_delete", R"({"id":"empty-org"})", w.editor_b).status, 403);
  EXPECT_EQ(refusal(w, "organization_delete", R"({"id":"empty-org"})").status, 403);
  EXPECT_TRUE(w.ok("organization_delete", R"({"id":"empty-org"})", w.editor_a)["result"].IsNull());
  EXPECT_EQ(names(w.ok("organization_list", "{}")["result"]),
            (std::set<std::string>{"agency-a", "agency-b"}));
  EXPECT_EQ(str(w.ok("organization_show", R"({"id":"empty-org"})", w.sysadmin)["result"]["state"]),
            "deleted");
  // Its members' memberships ended; editor_a is still editor of agency-a.
  auto mine = w.ok("organization_list_for_user", "{}", w.editor_a);
  EXPECT_EQ(names(mine["result"]), (std::set<std::string>{"agency-a"}));
  EXPECT_EQ(refusal(w, "organization_delete", R"({"id":"empty-org"})", w.sysadmin).status, 404);

  // Purge: sysadmins only, deleted or not; then it is gone.
  EXPECT_EQ(refusal(w, "organization_purge", R"({"id":"empty-org"})", w.admin_a).status, 403);
  w.ok("organization_purge", R"({"id":"empty-org"})", w.sysadmin);
  EXPECT_EQ(refusal(w, "organization_show", R"({"id":"empty-org"})", w.sysadmin).status, 404);
  EXPECT_EQ(refusal(w, "organization_purge", R"({"id":"agency-a"})", w.sysadmin).status, 409);
  EXPECT_EQ(refusal(w, "organization_purge", R"({})", w.sysadmin).status, 409);
}

TEST_F(GroupConformance, GroupUpdateRenamesAndTheDatasetsFollow) {
  create(w, R"({"name":"in-transport","owner_org":"agency-a","groups":[{"name":"transport"}]})");
  auto r =
      w.ok("group_update", R"({"id":"transport","name":"mobility","title":"이동"})", w.sysadmin);
  EXPECT_EQ(str(r["result"]["name"]), "mobility");
  EXPECT_EQ(r["result"]["package_count"].GetInt(), 1);
  auto shown = w.ok("package_show", R"({"id":"in-transport"})");
  ASSERT_EQ(shown["result"]["groups"].Size(), 1u);
  EXPECT_EQ(str(shown["result"]["groups"][0]["name"]), "mobility");
  auto patched = w.ok("group_patch", R"({"id":"mobility","description":"설명"})", w.sysadmin);
  EXPECT_EQ(str(patched["result"]["title"]), "이동");  // kept
  EXPECT_EQ(refusal(w, "group_update", R"({"id":"mobility","name":"health"})", w.sysadmin).status,
            409);
  EXPECT_EQ(
      refusal(w, "group_update", R"({"id":"mobility","name":"Bad Name!"})", w.sysadmin).status,
      409);
  EXPECT_EQ(refusal(w, "group_update", R"({"id":"mobility","title":"x"})", w.admin_a).status, 403);
  EXPECT_EQ(refusal(w, "group_update", R"({"id":"nothing","title":"x"})", w.sysadmin).status, 404);
}

TEST_F(GroupConformance, GroupDeleteAndPurgeTakeTheDatasetsOutOfTheGroup) {
  create(w, R"({"name":"filed","owner_org":"agency-a","groups":[{"name":"health"}]})");
  EXPECT_EQ(refusal(w, "group_delete", R"({"id":"health"})", w.admin_a).status, 403);
  w.ok("group_delete", R"({"id":"health"})", w.sysadmin);
  EXPECT_EQ(w.ok("package_show", R"({"id":"filed"})")["result"]["groups"].Size(), 0u);
  EXPECT_EQ(names(w.ok("group_list", "{}")["result"]), (std::set<std::string>{"transport"}));
  EXPECT_EQ(refusal(w, "group_delete", R"({"id":"health"})", w.sysadmin).status, 404);
  w.ok("group_purge", R"({"id":"health"})", w.sysadmin);
  EXPECT_EQ(refusal(w, "group_show", R"({"id":"health"})").status, 404);
  // The name is free again.
  w.ok("group_create", R"({"name":"health"})", w.sysadmin);
}

TEST_F(GroupConformance, MemberCreateListDeleteFileADatasetInAGroup) {
  std::string id = w.dataset("member-ds", "agency-a");
  // test_create.py::TestMemberCreate2: by id or name, then the group lists it.
  auto m =
      w.ok("member_create",
           R"({"id":"transport","object":"member-ds","object_type":"package","capacity":"public"})",
           w.editor_a);
  EXPECT_EQ(str(m["result"]["table_id"]), id);
  EXPECT_EQ(str(m["result"]["table_name"]), "package");
  EXPECT_EQ(str(m["result"]["capacity"]), "public");
  auto list = w.ok("member_list", R"({"id":"transport","object_type":"package"})");
  ASSERT_EQ(list["result"].Size(), 1u);
  EXPECT_EQ(str(list["result"][0][0]), id);
  EXPECT_EQ(str(list["result"][0][1]), "package");
  EXPECT_EQ(str(list["result"][0][2]), "public");
  EXPECT_EQ(w.ok("package_show", R"({"id":"member-ds"})")["result"]["groups"].Size(), 1u);
  // Again is no second membership.
  w.ok("member_create",
       R"({"id":"transport","object":")" + id + R"(","object_type":"package","capacity":"public"})",
       w.editor_a);
  EXPECT_EQ(w.ok("member_list", R"({"id":"transport"})")["result"].Size(), 1u);

  // The errors CKAN's tests assert.
  const std::string good = R"("object":"member-ds","object_type":"package","capacity":"public")";
  EXPECT_EQ(refusal(w, "member_create", "{" + good + "}", w.sysadmin).status, 409);  // no id
  EXPECT_EQ(refusal(w, "member_create",
                    R"({"id":"transport","object_type":"package","capacity":"x"})", w.sysadmin)
                .status,
            409);
  EXPECT_EQ(refusal(w, "member_create", R"({"id":"not-real",)" + good + "}", w.sysadmin).status,
            404);
  EXPECT_EQ(
      refusal(
          w, "member_create",
          R"({"id":"transport","object":"not-real","object_type":"package","capacity":"public"})",
          w.sysadmin)
          .status,
      404);
  EXPECT_EQ(
      refusal(
          w, "member_create",
          R"({"id":"transport","object":"member-ds","object_type":"notvalid","capacity":"public"})",
          w.sysadmin)
          .status,
      409);
  EXPECT_EQ(refusal(w, "member_create", R"({"id":"health",)" + good + "}", w.editor_b).status, 403);
  EXPECT_EQ(refusal(w, "member_create", R"({"id":"health",)" + good + "}").status, 403);

  w.ok("member_delete", R"({"id":"transport","object":"member-ds","object_type":"package"})",
       w.editor_a);
  EXPECT_EQ(w.ok("member_list", R"({"id":"transport"})")["result"].Size(), 0u);
  EXPECT_EQ(w.ok("package_show", R"({"id":"member-ds"})")["result"]["groups"].Size(), 0u);
}

TEST_F(GroupConformance, MemberActionsOnOrganizationsAreItsUsersAndDatasets) {
  std::string id = w.dataset("org-ds", "agency-a");
  auto users = w.ok("member_list", R"({"id":"agency-a","object_type":"user"})", w.admin_a);
  std::set<std::string> capacities;
  for (const auto& m : users["result"].GetArray()) capacities.insert(str(m[2]));
  EXPECT_EQ(capacities, (std::set<std::string>{"admin", "editor", "member"}));
  // Anonymous callers see the datasets, not who works there.
  auto open = w.ok("member_list", R"({"id":"agency-a"})");
  ASSERT_EQ(open["result"].Size(), 1u);
  EXPECT_EQ(str(open["result"][0][0]), id);
  EXPECT_EQ(str(open["result"][0][2]), "organization");

  auto added =
      w.ok("member_create",
           R"({"id":"agency-b","object":"member_a","object_type":"user","capacity":"editor"})",
           w.sysadmin);
  EXPECT_EQ(str(added["result"]["table_name"]), "user");
  EXPECT_EQ(str(added["result"]["capacity"]), "editor");
  auto for_user =
      w.ok("organization_list_for_user", R"({"permission":"create_dataset"})", w.member_a);
  EXPECT_EQ(names(for_user["result"]), (std::set<std::string>{"agency-b"}));
  w.ok("member_delete", R"({"id":"agency-b","object":"member_a","object_type":"user"})",
       w.sysadmin);
  EXPECT_EQ(
      w.ok("organization_list_for_user", R"({"permission":"create_dataset"})", w.member_a)["result"]
          .Size(),
      0u);
  // A dataset joins an organization through owner_org only.
  EXPECT_EQ(
      refusal(w, "member_create",
              R"({"id":"agency-b","object":"org-ds","object_type":"package","capacity":"member"})",
              w.sysadmin)
          .status,
      409);
  EXPECT_EQ(
      refusal(w, "member_create",
              R"({"id":"agency-b","object":"member_a","object_type":"user","capacity":"editor"})",
              w.editor_b)
          .status,
      403);
}

TEST_F(GroupConformance, OrganizationListForUserAndGroupListAuthzFollowTheRoles) {
  // test_get.py::TestOrganizationListForUser: by default every role (manage_group).
  auto member = w.ok("organization_list_for_user", "{}", w.member_a);
  ASSERT_EQ(member["result"].Size(), 1u);
  EXPECT_EQ(str(member["result"][0]["name"]), "agency-a");
  EXPECT_EQ(str(member["result"][0]["capacity"]), "member");
  EXPECT_EQ(
      w.ok("organization_list_for_user", R"({"permission":"create_dataset"})", w.member_a)["result"]
          .Size(),
      0u);
  EXPECT_EQ(
      w.ok("organization_list_for_user", R"({"permission":"admin"})", w.admin_a)["result"].Size(),
      1u);
  auto sys = w.ok("organization_list_for_user", R"({"include_dataset_count":true})", w.sysadmin);
  EXPECT_EQ(names(sys["result"]), (std::set<std::string>{"agency-a", "agency-b"}));
  EXPECT_EQ(str(sys["result"][0]["capacity"]), "admin");
  EXPECT_TRUE(sys["result"][0].HasMember("package_count"));
  EXPECT_EQ(w.ok("organization_list_for_user", "{}")["result"].Size(), 0u);  // anonymous
  // Another user's list: that user or a sysadmin only.
  EXPECT_EQ(w.ok("organization_list_for_user", R"({"id":"editor_b"})", w.sysadmin)["result"].Size(),
            1u);
  EXPECT_EQ(refusal(w, "organization_list_for_user", R"({"id":"editor_b"})", w.editor_a).status,
            403);
  EXPECT_EQ(refusal(w, "organization_list_for_user", R"({"id":"nobody"})", w.sysadmin).status, 404);

  EXPECT_EQ(names(w.ok("group_list_authz", "{}", w.sysadmin)["result"]),
            (std::set<std::string>{"transport", "health"}));
  EXPECT_EQ(w.ok("group_list_authz", "{}", w.editor_a)["result"].Size(), 0u);
  EXPECT_EQ(w.ok("group_list_authz", R"({"am_member":true})", w.sysadmin)["result"].Size(), 0u);
}

}  // namespace
}  // namespace datamap::testing
