// Ids kept on create, as CKAN keeps them (ckan/logic/schema: empty_if_not_sysadmin,
// uuid_validator, *_id_does_not_exist): a sysadmin's id for a dataset, organization, group or
// user is kept, so `ckanapi load` of a dump reproduces the site; anyone else's is a 409; an id
// that is no UUID, or that a record already has, is a 409. Resource ids anyone may choose.
#include <gtest/gtest.h>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

class KeptIds : public ::testing::Test {
 protected:
  ApiWorld w;

  // The field errors of a 409, or fails the test.
  static std::string conflict_on(const HttpReply& r, const char* field) {
    EXPECT_EQ(r.status, 409) << r.body;
    auto doc = r.json();
    if (!doc.IsObject() || !doc.HasMember("error") || !doc["error"].HasMember(field)) {
      ADD_FAILURE() << "no error on " << field << ": " << r.body;
      return "";
    }
    return doc["error"][field][0].GetString();
  }
};

constexpr const char* kDatasetId = "0d6e5f0a-8a55-4c55-9d3f-2f6d1c7b9a01";
constexpr const char* kOrgId = "5b1f3c1e-7c2a-4f5e-8c9d-0a1b2c3d4e5f";
constexpr const char* kGroupId = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
constexpr const char* kUserId = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
constexpr const char* kResourceId = "7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098";

TEST_F(KeptIds, ASysadminKeepsTheIdsOfEveryKindOfRecord) {
  auto org =
      w.ok("organization_create",
           std::string(R"({"id":")") + kOrgId + R"(","name":"restored-agency"})", w.sysadmin);
  EXPECT_STREQ(org["result"]["id"].GetString(), kOrgId);
  auto group =
      w.ok("group_create", std::string(R"({"id":")") + kGroupId + R"(","name":"restored-group"})",
           w.sysadmin);
  EXPECT_STREQ(group["result"]["id"].GetString(), kGroupId);
  auto user =
      w.ok("user_create", std::string(R"({"id":")") + kUserId + R"(","name":"restored-user"})",
           w.sysadmin);
  EXPECT_STREQ(user["result"]["id"].GetString(), kUserId);
  auto d = w.ok("package_create",
                std::string(R"({"id":")") + kDatasetId +
                    R"(","name":"restored-dataset","title":"복원","owner_org":")" + kOrgId +
                    R"(","groups":[{"name":"restored-group"}],"resources":[{"id":")" + kResourceId +
                    R"(","url":"https://example.org/a.csv"}]})",
                w.sysadmin);
  EXPECT_STREQ(d["result"]["id"].GetString(), kDatasetId);
  // Each is found again by the id it was given.
  auto shown = w.ok("package_show", std::string(R"({"id":")") + kDatasetId + "\"}");
  EXPECT_STREQ(shown["result"]["owner_org"].GetString(), kOrgId);
  EXPECT_STREQ(shown["result"]["groups"][0]["id"].GetString(), kGroupId);
  EXPECT_STREQ(shown["result"]["resources"][0]["id"].GetString(), kResourceId);
  EXPECT_STREQ(
      w.ok("organization_show", std::string(R"({"id":")") + kOrgId + "\"}")["result"]["name"]
          .GetString(),
      "restored-agency");
  EXPECT_STREQ(w.ok("group_show", std::string(R"({"id":")") + kGroupId + "\"}")["result"]["name"]
                   .GetString(),
               "restored-group");
  EXPECT_STREQ(
      w.ok("user_show", std::string(R"({"id":")") + kUserId + "\"}", w.sysadmin)["result"]["name"]
          .GetString(),
      "restored-user");
}

TEST_F(KeptIds, AnIdFromANonSysadminIsRefusedAndNothingIsCreated) {
  auto r = w.http.action("package_create",
                         std::string(R"({"id":")") + kDatasetId +
                             R"(","name":"editor-chose-id","title":"t","owner_org":"agency-a"})",
                         w.editor_a);
  EXPECT_EQ(conflict_on(r, "id"), "The input field id was not expected.");
  EXPECT_EQ(w.http.action("package_show", R"({"id":"editor-chose-id"})", w.sysadmin).status, 404);
  // Without the id the same editor creates it.
  w.ok("package_create", R"({"name":"editor-chose-id","title":"t","owner_org":"agency-a"})",
       w.editor_a);
}

TEST_F(KeptIds, AnIdThatIsNoUuidIsRefused) {
  for (const char* bad :
       {"../../nope", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "0d6e5f0a-8a55-4c55-9d3f-2f6d1c7b9a0", "zzzzzzzz-8a55-4c55-9d3f-2f6d1c7b9a01"}) {
    std::string id = std::string(R"("id":")") + bad + "\"";
    EXPECT_EQ(conflict_on(
                  w.http.action("package_create",
                                "{" + id + R"(,"name":"bad-id-dataset","title":"t"})", w.sysadmin),
                  "id"),
              "Invalid id provided")
        << bad;
    EXPECT_EQ(conflict_on(w.http.action("organization_create",
                                        "{" + id + R"(,"name":"bad-id-org"})", w.sysadmin),
                          "id"),
              "Invalid id provided");
    EXPECT_EQ(conflict_on(w.http.action("group_create", "{" + id + R"(,"name":"bad-id-group"})",
                                        w.sysadmin),
                          "id"),
              "Invalid id provided");
    EXPECT_EQ(
        conflict_on(
            w.http.action("user_create", "{" + id + R"(,"name":"bad-id-user"})", w.sysadmin), "id"),
        "Invalid id provided");
  }
  for (const char* name : {"bad-id-dataset"})
    EXPECT_EQ(w.http.action("package_show", std::string(R"({"id":")") + name + "\"}").status, 404);
  EXPECT_EQ(w.http.action("organization_show", R"({"id":"bad-id-org"})").status, 404);
  EXPECT_EQ(w.http.action("group_show", R"({"id":"bad-id-group"})").status, 404);
}

TEST_F(KeptIds, AnIdARecordAlreadyHasIsRefusedAndTheRecordStaysAsItWas) {
  std::string dataset = w.dataset("first-holder", "agency-a");
  EXPECT_EQ(
      conflict_on(w.http.action("package_create",
                                R"({"id":")" + dataset + R"(","name":"second-holder","title":"t"})",
                                w.sysadmin),
                  "id"),
      "Dataset id already exists");
  EXPECT_EQ(
      conflict_on(w.http.action("organization_create",
                                R"({"id":")" + w.org_a_id + R"(","name":"takeover"})", w.sysadmin),
                  "id"),
      "Id already exists");
  EXPECT_STREQ(
      w.ok("organization_show", R"({"id":")" + w.org_a_id + "\"}")["result"]["name"].GetString(),
      "agency-a");
  std::string group = w.ok("group_show", R"({"id":"transport"})")["result"]["id"].GetString();
  EXPECT_EQ(conflict_on(w.http.action("group_create",
                                      R"({"id":")" + group + R"(","name":"takeover"})", w.sysadmin),
                        "id"),
            "Id already exists");
  std::string user =
      w.ok("user_show", R"({"id":"editor_a"})", w.sysadmin)["result"]["id"].GetString();
  EXPECT_EQ(conflict_on(w.http.action("user_create",
                                      R"({"id":")" + user + R"(","name":"takeover"})", w.sysadmin),
                        "id"),
            "Id already exists");
  EXPECT_EQ(w.http.action("user_show", R"({"id":"takeover"})", w.sysadmin).status, 404);
}

TEST_F(KeptIds, AnyEditorMayChooseAResourceIdButNotOneAnotherDatasetUses) {
  std::string first = w.dataset("resource-holder", "agency-a");
  auto r = w.ok("resource_create",
                R"({"package_id":")" + first + R"(","id":")" + kResourceId +
                    R"(","url":"https://example.org/x.csv"})",
                w.editor_a);
  EXPECT_STREQ(r["result"]["id"].GetString(), kResourceId);
  std::string second = w.dataset("resource-thief", "agency-a");
  HttpReply taken = w.http.action("resource_create",
                                  R"({"package_id":")" + second + R"(","id":")" + kResourceId +
                                      R"(","url":"https://example.org/y.csv"})",
                                  w.editor_a);
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(conflict_on(w.http.action("resource_create",
                                      R"({"package_id":")" + second +
                                          R"(","id":"../../nope.txt","url":"https://e.org/z"})",
                                      w.editor_a),
                        "id"),
            "Invalid id provided");
  auto shown = w.ok("package_show", R"({"id":"resource-thief"})", w.editor_a);
  EXPECT_EQ(shown["result"]["resources"].Size(), 0u);
}

TEST_F(KeptIds, OrganizationMembersComeWithTheOrganizationAndShowToItsMembersOnly) {
  w.server.add_user("loaded-admin");
  w.server.add_user("loaded-editor");
  w.ok("organization_create",
       R"({"name":"with-members","users":[{"name":"loaded-admin","capacity":"admin"},
           {"name":"loaded-editor","capacity":"editor"}]})",
       w.sysadmin);
  auto org = w.ok("organization_show", R"({"id":"with-members","include_users":true})", w.sysadmin);
  const auto& users = org["result"]["users"];
  ASSERT_EQ(users.Size(), 2u) << org["result"].GetObject().MemberCount();
  EXPECT_STREQ(users[0]["name"].GetString(), "loaded-admin");
  EXPECT_STREQ(users[0]["capacity"].GetString(), "admin");
  EXPECT_STREQ(users[1]["name"].GetString(), "loaded-editor");
  EXPECT_STREQ(users[1]["capacity"].GetString(), "editor");
  // Who belongs to an agency is not told to strangers.
  EXPECT_FALSE(w.ok("organization_show", R"({"id":"with-members","include_users":true})")["result"]
                   .HasMember("users"));
  EXPECT_FALSE(w.ok("organization_show", R"({"id":"with-members","include_users":true})",
                    w.editor_b)["result"]
                   .HasMember("users"));
  // An update with `users` makes them the members: the editor leaves, the admin stays.
  w.ok("organization_update",
       R"({"id":"with-members","users":[{"name":"loaded-admin","capacity":"admin"}]})", w.sysadmin);
  auto after =
      w.ok("organization_show", R"({"id":"with-members","include_users":true})", w.sysadmin);
  ASSERT_EQ(after["result"]["users"].Size(), 1u);
  EXPECT_STREQ(after["result"]["users"][0]["name"].GetString(), "loaded-admin");
  // The editor's other memberships are untouched; an unknown user or capacity is a 409.
  EXPECT_EQ(
      conflict_on(w.http.action("organization_update",
                                R"({"id":"with-members","users":[{"name":"nobody"}]})", w.sysadmin),
                  "users"),
      "User not found: nobody");
  EXPECT_EQ(
      w.http
          .action("organization_create",
                  R"({"name":"bad-capacity","users":[{"name":"loaded-admin","capacity":"owner"}]})",
                  w.sysadmin)
          .status,
      409);
  EXPECT_EQ(w.http.action("organization_show", R"({"id":"bad-capacity"})").status, 404);
  auto still =
      w.ok("organization_show", R"({"id":"with-members","include_users":true})", w.sysadmin);
  EXPECT_EQ(still["result"]["users"].Size(), 1u);
}

}  // namespace
}  // namespace datamap::testing
