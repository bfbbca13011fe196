// One agency cannot reach another's data through the organization record, and two changes at
// once never lose one (issue 12):
// - 기관코드 (`code`) is unique: imports and sysadmin harvests file an agency's datasets under the
//   organization holding its code, so a second holder would capture them. A code already used is
//   a 409 on `code` for anyone; only a sysadmin may change a code at all (an org admin claiming a
//   code nobody holds yet would receive that agency's future imports).
// - Membership changes and user_update read, check and write in one transaction: concurrent
//   additions of one user to many agencies all land, and concurrent updates of different fields
//   of one user both stay.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

std::string field_message(const HttpReply& r, const char* field) {
  auto doc = r.json();
  if (!doc.IsObject() || !doc.HasMember("error") || !doc["error"].HasMember(field) ||
      !doc["error"][field].IsArray() || doc["error"][field].Empty())
    return "";
  return doc["error"][field][0].GetString();
}

TEST(AgencyIsolation, ASecondOrganizationCannotTakeAnotherAgencysCode) {
  ApiWorld w;
  w.ok("organization_update", R"({"id":"agency-b","code":"B552895"})", w.sysadmin);

  // A sysadmin creating a second holder of the code: 409 on `code`, naming the holder.
  HttpReply created =
      w.http.action("organization_create", R"({"name":"agency-c","code":"B552895"})", w.sysadmin);
  EXPECT_EQ(created.status, 409) << created.body;
  EXPECT_NE(field_message(created, "code").find("agency-b"), std::string::npos) << created.body;
  EXPECT_EQ(w.http.action("organization_show", R"({"id":"agency-c"})").status, 404);

  // agency-a's admin setting agency-b's code on agency-a (spaces around it change nothing).
  HttpReply taken =
      w.http.action("organization_update", R"({"id":"agency-a","code":" B552895 "})", w.admin_a);
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_FALSE(field_message(taken, "code").empty()) << taken.body;
  HttpReply by_sysadmin =
      w.http.action("organization_update", R"({"id":"agency-a","code":"B552895"})", w.sysadmin);
  EXPECT_EQ(by_sysadmin.status, 409) << by_sysadmin.body;

  // Looking the code up still finds agency-b, and agency-a kept no code.
  auto shown = w.ok("organization_show", R"({"id":"B552895"})");
  EXPECT_STREQ(shown["result"]["name"].GetString(), "agency-b");
  auto a = w.ok("organization_show", R"({"id":"agency-a"})");
  EXPECT_STREQ(a["result"]["code"].GetString(), "");
}

TEST(AgencyIsolation, OnlyASysadminSetsACodeNobodyHoldsYet) {
  ApiWorld w;
  HttpReply claimed =
      w.http.action("organization_update", R"({"id":"agency-a","code":"C999999"})", w.admin_a);
  EXPECT_EQ(claimed.status, 403) << claimed.body;
  // The rest of the update is still the org admin's to make, with the code unchanged.
  auto titled = w.ok("organization_update", R"({"id":"agency-a","title":"가 기관"})", w.admin_a);
  EXPECT_STREQ(titled["result"]["code"].GetString(), "");
  auto set = w.ok("organization_update", R"({"id":"agency-a","code":"A000001"})", w.sysadmin);
  EXPECT_STREQ(set["result"]["code"].GetString(), "A000001");
  // Sending the code it already has is no change.
  w.ok("organization_update", R"({"id":"agency-a","code":"A000001","title":"가"})", w.admin_a);
}

TEST(AgencyIsolation, ConcurrentMembershipAdditionsAllLand) {
  ApiWorld w;
  constexpr int kOrgs = 16;
  for (int i = 0; i < kOrgs; ++i)
    w.ok("organization_create", R"({"name":"org-)" + std::to_string(i) + R"("})", w.sysadmin);
  w.ok("user_create", R"({"name":"joiner"})", w.sysadmin);

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kOrgs; ++i)
    threads.emplace_back([&, i] {
      HttpClient http(w.server.url());
      HttpReply r = http.action(
          "organization_member_create",
          R"({"id":"org-)" + std::to_string(i) + R"(","username":"joiner","role":"editor"})",
          w.sysadmin);
      if (r.status != 200) ++failures;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  auto user = w.ok("user_show", R"({"id":"joiner"})", w.sysadmin);
  std::set<std::string> orgs;
  for (const auto& m : user["result"]["organizations"].GetArray())
    orgs.insert(m["name"].GetString());
  EXPECT_EQ(orgs.size(), static_cast<std::size_t>(kOrgs))
      << "a membership acknowledged with 200 was lost";

  // Removals at once, too: every one of them lands.
  threads.clear();
  for (int i = 0; i < kOrgs; i += 2)
    threads.emplace_back([&, i] {
      HttpClient http(w.server.url());
      http.action("organization_member_delete",
                  R"({"id":"org-)" + std::to_string(i) + R"(","username":"joiner"})", w.sysadmin);
    });
  for (auto& t : threads) t.join();
  user = w.ok("user_show", R"({"id":"joiner"})", w.sysadmin);
  EXPECT_EQ(user["result"]["organizations"].Size(), static_cast<std::size_t>(kOrgs / 2));
}

TEST(AgencyIsolation, ConcurrentUserUpdatesOfDifferentFieldsBothStay) {
  ApiWorld w;
  w.ok("user_create", R"({"name":"twice"})", w.sysadmin);
  int lost = 0;
  for (int round = 0; round < 20; ++round) {
    const std::string n = std::to_string(round);
    std::thread name_writer([&] {
      HttpClient(w.server.url())
          .action("user_update", R"({"id":"twice","fullname":"이름 )" + n + R"("})", w.sysadmin);
    });
    std::thread mail_writer([&] {
      HttpClient(w.server.url())
          .action("user_update", R"({"id":"twice","email":"m)" + n + R"(@example.org"})",
                  w.sysadmin);
    });
    name_writer.join();
    mail_writer.join();
    auto user = w.ok("user_show", R"({"id":"twice"})", w.sysadmin);
    if (std::string(user["result"]["fullname"].GetString()) != "이름 " + n ||
        std::string(user["result"]["email"].GetString()) != "m" + n + "@example.org")
      ++lost;
  }
  EXPECT_EQ(lost, 0) << "rounds where one of two concurrent user_updates was undone";
}

}  // namespace
}  // namespace datamap::testing
