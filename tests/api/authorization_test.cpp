// The authorization matrix: every write action x every kind of caller, over real HTTP.
// Each row runs against a fresh server holding one public and one private dataset of agency-a.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

enum Who { kSysadmin, kAdminA, kEditorA, kMemberA, kEditorB, kAnonymous, kBadToken, kWhoCount };
const char* kWhoNames[] = {"sysadmin", "admin_a",   "editor_a", "member_a",
                           "editor_b", "anonymous", "bad_token"};

std::string token_of(const ApiWorld& w, Who who) {
  switch (who) {
    case kSysadmin: return w.sysadmin;
    case kAdminA: return w.admin_a;
    case kEditorA: return w.editor_a;
    case kMemberA: return w.member_a;
    case kEditorB: return w.editor_b;
    case kAnonymous: return "";
    case kBadToken: return "dm_this-token-was-never-issued";
    default: return "";
  }
}

struct Row {
  const char* action;
  // The request body; `who` lets rows that act on users or tokens pick distinct targets.
  std::function<std::string(ApiWorld&, Who)> body;
  int expected[kWhoCount];  // sysadmin, admin_a, editor_a, member_a, editor_b, anonymous, bad
};

const Row kRows[] = {
    {"package_create",
     [](ApiWorld&, Who who) {
       return std::string(R"({"name":"new-)") + kWhoNames[who] +
              R"(","title":"새","owner_org":"agency-a"})";
     },
     {200, 200, 200, 403, 403, 403, 403}},
    {"package_update",
     [](ApiWorld&, Who) { return std::string(R"({"id":"public-a","title":"고침","owner_org":"agency-a"})"); },
     {200, 200, 200, 403, 403, 403, 403}},
    {"package_patch",
     [](ApiWorld&, Who) { return std::string(R"({"id":"public-a","notes":"고침"})"); },
     {200, 200, 200, 403, 403, 403, 403}},
    {"package_delete",
     [](ApiWorld& w, Who who) {
       // Each caller deletes its own fresh dataset, so earlier deletes cannot hide later ones.
       std::string name = std::string("del-") + kWhoNames[who];
       w.dataset(name, "agency-a");
       return R"({"id":")" + name + R"("})";
     },
     {200, 200, 200, 403, 403, 403, 403}},
    // Moving a dataset of agency-a into agency-b needs edit rights in both.
    {"package_move_to_b",
     [](ApiWorld& w, Who who) {
       std::string name = std::string("mv-") + kWhoNames[who];
       w.dataset(name, "agency-a");
       return R"({"id":")" + name + R"(","owner_org":"agency-b"})";
     },
     {200, 403, 403, 403, 403, 403, 403}},
    // editor_b writing into agency-a by naming it is refused even though editor_b is an editor.
    {"package_create_in_a_by_owner_org",
     [](ApiWorld&, Who who) {
       return std::string(R"({"name":"in-a-)") + kWhoNames[who] +
              R"(","title":"x","owner_org":")" + "agency-a" + R"("})";
     },
     {200, 200, 200, 403, 403, 403, 403}},
    {"organization_create",
     [](ApiWorld&, Who who) {
       return std::string(R"({"name":"org-)") + kWhoNames[who] + R"("})";
     },
     {200, 403, 403, 403, 403, 403, 403}},
    {"organization_update",
     [](ApiWorld&, Who) { return std::string(R"({"id":"agency-a","description":"바뀜"})"); },
     {200, 200, 403, 403, 403, 403, 403}},
    {"organization_member_create",
     [](ApiWorld& w, Who who) {
       std::string name = std::string("joiner-") + kWhoNames[who];
       w.server.add_user(name);
       return R"({"id":"agency-a","username":")" + name + R"(","role":"member"})";
     },
     {200, 200, 403, 403, 403, 403, 403}},
    {"organization_member_delete",
     [](ApiWorld&, Who) { return std::string(R"({"id":"agency-a","username":"leaver"})"); },
     {200, 200, 403, 403, 403, 403, 403}},
    {"group_create",
     [](ApiWorld&, Who who) {
       return std::string(R"({"name":"group-)") + kWhoNames[who] + R"("})";
     },
     {200, 403, 403, 403, 403, 403, 403}},
    {"user_create",
     [](ApiWorld&, Who who) {
       return std::string(R"({"name":"made-by-)") + kWhoNames[who] + R"("})";
     },
     {200, 403, 403, 403, 403, 403, 403}},
    {"user_update_grant_sysadmin",
     [](ApiWorld&, Who) { return std::string(R"({"id":"editor_a","sysadmin":true})"); },
     {200, 403, 403, 403, 403, 403, 403}},
    {"api_token_create_for_editor_a",
     [](ApiWorld&, Who) { return std::string(R"({"user":"editor_a"})"); },
     {200, 403, 200, 403, 403, 403, 403}},
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.action; }

std::string http_action(const std::string& row_action) {
  if (row_action.rfind("package_move", 0) == 0) return "package_patch";
  if (row_action.rfind("package_create", 0) == 0) return "package_create";
  if (row_action.rfind("user_update", 0) == 0) return "user_update";
  if (row_action.rfind("api_token_create", 0) == 0) return "api_token_create";
  return row_action;
}

class AuthorizationMatrix : public ::testing::TestWithParam<Row> {};

TEST_P(AuthorizationMatrix, EachCallerGetsExactlyItsRights) {
  const Row& row = GetParam();
  ApiWorld w;
  w.dataset("public-a", "agency-a");
  w.server.add_user("leaver", {"--org", "agency-a", "--role", "member"});
  // Least privileged callers first, so a permitted write cannot change what later ones see.
  for (int who : {kBadToken, kAnonymous, kEditorB, kMemberA, kEditorA, kAdminA, kSysadmin}) {
    Who caller = static_cast<Who>(who);
    std::string body = row.body(w, caller);
    HttpReply r = w.http.action(http_action(row.action), body, token_of(w, caller));
    EXPECT_EQ(r.status, row.expected[who])
        << row.action << " as " << kWhoNames[who] << ": " << r.body;
    if (r.status == 403) {
      EXPECT_EQ(error_type(r), "Authorization Error") << r.body;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(WriteActions, AuthorizationMatrix, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return std::string(info.param.action);
                         });

// Reads of a private dataset: members of its organization (and sysadmins) only; to anyone else
// it does not exist (404, as tests/api/private_leaks_test.cpp proves in full).
TEST(PrivateDatasets, AreVisibleOnlyToMembersOfTheirOrganization) {
  ApiWorld w;
  auto created = w.ok("package_create", R"({"name":"secret","title":"비공개","owner_org":"agency-a",
      "private":true,"resources":[{"url":"https://example.org/s.csv"}]})",
                      w.sysadmin);
  std::string rid = created["result"]["resources"][0]["id"].GetString();
  std::map<Who, int> expected = {{kSysadmin, 200}, {kAdminA, 200},  {kEditorA, 200},
                                 {kMemberA, 200},  {kEditorB, 404}, {kAnonymous, 404}};
  for (const auto& [who, status] : expected) {
    HttpReply show = w.http.action("package_show", R"({"id":"secret"})", token_of(w, who));
    EXPECT_EQ(show.status, status) << kWhoNames[who] << ": " << show.body;
    HttpReply res = w.http.action("resource_show", R"({"id":")" + rid + R"("})", token_of(w, who));
    EXPECT_EQ(res.status, status) << kWhoNames[who] << ": " << res.body;
  }
  // Members may read but not write it.
  EXPECT_EQ(w.http.action("package_patch", R"({"id":"secret","title":"x"})", w.member_a).status,
            403);
  // package_list is public datasets only, whoever asks.
  auto list = w.ok("package_list", "{}", w.sysadmin);
  for (const auto& n : list["result"].GetArray()) EXPECT_STRNE(n.GetString(), "secret");
}

TEST(PrivateDatasets, AnUpdateThatLeavesOutPrivateKeepsTheDatasetPrivate) {
  ApiWorld w;
  w.dataset("stays-private", "agency-a", true);
  w.ok("package_update", R"({"id":"stays-private","title":"새 제목","owner_org":"agency-a"})",
       w.editor_a);
  EXPECT_EQ(w.http.action("package_show", R"({"id":"stays-private"})").status, 404);
}

}  // namespace
}  // namespace datamap::testing
