// Data requests and error reports in the activity streams, following requests, the request
// feeds, and who is notified of a report's steps, over real HTTP: each step is one CKAN activity
// in the request's, the agency's and (for a report) the dataset's stream, newest first; votes
// are tallied, not listed one by one; followers get the steps on their dashboard and in the
// outbox, others do not; a private dataset's reports reach only its members.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/api_world.h"
#include "tests/api/atom_titles.h"

namespace datamap::testing {
namespace {

std::string str(const rapidjson::Value& v, const char* key) {
  return v.IsObject() && v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

std::string id_of(const std::string& id) {
  return R"({"id":")" + id + R"("})";
}

// An activity list as (activity_type, data's object) pairs, checking CKAN's fields on the way.
struct Entry {
  std::string type;
  std::string object_id, user_id, change, comment_id, report_status;
  std::int64_t votes = -1;
};
std::vector<Entry> listed(ApiWorld& w, const std::string& action, const std::string& body,
                          const std::string& token = "") {
  auto doc = w.ok(action, body, token);
  std::vector<Entry> out;
  for (const auto& a : doc["result"].GetArray()) {
    for (const char* field : {"id", "timestamp", "user_id", "object_id", "activity_type"})
      EXPECT_TRUE(a.HasMember(field) && a[field].IsString()) << field;
    Entry e;
    e.type = str(a, "activity_type");
    e.object_id = str(a, "object_id");
    e.user_id = str(a, "user_id");
    const auto& data = a["data"];
    e.change = str(data, "change");
    if (data.HasMember("comment")) e.comment_id = str(data["comment"], "id");
    if (data.HasMember("datarequest")) e.votes = data["datarequest"]["votes"].GetInt64();
    if (data.HasMember("issue_report")) e.report_status = str(data["issue_report"], "status");
    out.push_back(e);
  }
  return out;
}

std::vector<std::string> types(const std::vector<Entry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.type);
  return out;
}

std::string user_id(ApiWorld& w, const std::string& name) {
  return str(w.ok("user_show", id_of(name), w.sysadmin)["result"], "id");
}

// Twelve voters at once: whatever order their votes land in, the tally at ten is recorded once
// (each counted vote knows the count it made; a re-read after the fact could skip the milestone).
// Data requests and error reports, and their activities, are the catalog's (on PostgreSQL, every
// node's), so every test here runs on both backends.
class RequestActivity : public ::testing::TestWithParam<Backend> {};
class RequestFollowing : public ::testing::TestWithParam<Backend> {};
class RequestFeeds : public ::testing::TestWithParam<Backend> {};
class ReportActivity : public ::testing::TestWithParam<Backend> {};

TEST_P(RequestActivity, VotesArrivingAtOnceRecordTheTallyExactlyOnce) {
  ApiWorld w(GetParam());
  const std::string citizen = w.server.add_user("citizen");
  auto created = w.ok("datarequest_create",
                      R"({"title":"버스 도착 정보","organization":"agency-a"})", citizen);
  const std::string id = str(created["result"], "id");
  std::vector<std::string> voters;
  for (int i = 0; i < 12; ++i) voters.push_back(w.server.add_user("voter" + std::to_string(i)));
  std::vector<int> statuses(voters.size(), 0);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < voters.size(); ++i)
    threads.emplace_back([&w, &voters, &statuses, &id, i] {
      HttpClient http(w.server.url());
      statuses[i] = http.action("datarequest_vote", id_of(id), voters[i]).status;
    });
  for (auto& t : threads) t.join();
  for (int s : statuses) EXPECT_EQ(s, 200);
  auto stream = listed(w, "datarequest_activity_list", id_of(id));
  std::vector<std::int64_t> tallies;
  for (const auto& e : stream)
    if (e.type == "datarequest votes") tallies.push_back(e.votes);
  EXPECT_EQ(tallies, std::vector<std::int64_t>{10});
  EXPECT_EQ(w.ok("datarequest_show", id_of(id))["result"]["votes"].GetInt64(), 12);
}

TEST_P(RequestActivity, EachStepIsOneActivityInTheRequestsAndTheAgencysStreamAndVotesAreTallied) {
  ApiWorld w(GetParam());
  const std::string citizen = w.server.add_user("citizen");
  auto created =
      w.ok("datarequest_create",
           R"({"title":"공영주차장 실시간 주차 대수","organization":"agency-a"})", citizen);
  const std::string id = str(created["result"], "id");
  const std::string citizen_id = user_id(w, "citizen");

  // Ten voters: one tally, not ten lines; the eleventh vote adds nothing to the stream.
  std::vector<std::string> voters;
  for (int i = 0; i < 11; ++i) voters.push_back(w.server.add_user("voter" + std::to_string(i)));
  for (const auto& v : voters) w.ok("datarequest_vote", id_of(id), v);
  w.ok("datarequest_update", R"({"id":")" + id + R"(","status":"reviewing"})", w.admin_a);
  auto comment =
      w.ok("datarequest_comment", R"({"id":")" + id + R"(","comment":"저도 필요합니다"})", citizen);
  w.dataset("parking-live", "agency-a");
  w.ok("datarequest_close",
       R"({"id":")" + id + R"(","outcome":"provided","package_id":"parking-live"})", w.editor_a);

  auto stream = listed(w, "datarequest_activity_list", id_of(id));
  EXPECT_EQ(types(stream), (std::vector<std::string>{
                               "closed datarequest", "new datarequest comment",
                               "changed datarequest", "datarequest votes", "new datarequest"}));
  ASSERT_EQ(stream.size(), 5u);
  EXPECT_EQ(stream[4].user_id, citizen_id);
  EXPECT_EQ(stream[3].votes, 10);
  EXPECT_EQ(stream[3].user_id, "") << "a tally names no voter";
  EXPECT_EQ(stream[2].change, "status");
  EXPECT_EQ(stream[2].user_id, user_id(w, "admin_a"));
  EXPECT_EQ(stream[1].comment_id, str(comment["result"], "id"));
  for (const auto& e : stream) EXPECT_EQ(e.object_id, id);

  // The agency asked has the request's steps in its stream (newest first, after the dataset).
  auto agency = types(listed(w, "organization_activity_list", R"({"id":"agency-a"})"));
  ASSERT_GE(agency.size(), 6u);
  EXPECT_EQ(agency[0], "closed datarequest");
  EXPECT_NE(std::find(agency.begin(), agency.end(), "new datarequest"), agency.end());
  for (const auto& t : types(listed(w, "organization_activity_list", R"({"id":"agency-b"})")))
    EXPECT_EQ(t.find("datarequest"), std::string::npos) << "another agency's stream: " << t;
  // The catalog-wide request stream has them too; the dataset stream has none of them.
  EXPECT_EQ(listed(w, "recently_changed_datarequests_activity_stream", "{}").size(), 5u);
  for (const auto& t : types(listed(w, "recently_changed_packages_activity_stream", "{}")))
    EXPECT_EQ(t.find("datarequest"), std::string::npos) << t;
  // The requester did it: it is in their own activity.
  auto mine = types(listed(w, "user_activity_list", id_of("citizen")));
  EXPECT_NE(std::find(mine.begin(), mine.end(), "new datarequest"), mine.end());

  // Paging; and a comment's text is never in the stream, so hiding it later hides it everywhere.
  EXPECT_EQ(listed(w, "datarequest_activity_list", R"({"id":")" + id + R"(","limit":2})").size(),
            2u);
  EXPECT_EQ(w.http.action("datarequest_activity_list", id_of(id)).body.find("저도 필요합니다"),
            std::string::npos);
  EXPECT_EQ(w.http.action("datarequest_activity_list", id_of("no-such-request")).status, 404);
}

TEST_P(RequestFollowing, TheRequesterFollowsOthersMayAndFollowersSeeEveryStep) {
  ApiWorld w(GetParam());
  const std::string citizen = w.server.add_user("citizen");
  const std::string fan = w.server.add_user("fan");
  const std::string outsider = w.server.add_user("outsider");
  auto created = w.ok("datarequest_create",
                      R"({"title":"도서관 좌석 현황","organization":"agency-b"})", citizen);
  const std::string id = str(created["result"], "id");

  // The requester follows their own request from the start.
  EXPECT_TRUE(w.ok("am_following_datarequest", id_of(id), citizen)["result"].GetBool());
  EXPECT_EQ(w.ok("datarequest_follower_count", id_of(id))["result"].GetInt64(), 1);

  // Bad input first: anonymous 403, unknown 404, twice 409, unfollowing what one does not 404.
  EXPECT_EQ(w.http.action("follow_datarequest", id_of(id)).status, 403);
  EXPECT_EQ(w.http.action("follow_datarequest", id_of("nowhere"), fan).status, 404);
  EXPECT_EQ(w.http.action("follow_datarequest", "{}", fan).status, 409);
  EXPECT_EQ(w.http.action("unfollow_datarequest", id_of(id), fan).status, 404);
  EXPECT_EQ(w.http.action("am_following_datarequest", id_of(id)).status, 403);
  auto follow = w.ok("follow_datarequest", id_of(id), fan);
  EXPECT_EQ(str(follow["result"], "object_type"), "datarequest");
  EXPECT_EQ(w.http.action("follow_datarequest", id_of(id), fan).status, 409);
  EXPECT_EQ(w.ok("datarequest_follower_count", id_of(id))["result"].GetInt64(), 2);

  // Who follows is for sysadmins only.
  EXPECT_EQ(w.http.action("datarequest_follower_list", id_of(id), citizen).status, 403);
  EXPECT_EQ(w.http.action("datarequest_follower_list", id_of(id)).status, 403);
  auto followers = w.ok("datarequest_follower_list", id_of(id), w.sysadmin);
  ASSERT_EQ(followers["result"].Size(), 2u);
  EXPECT_EQ(str(followers["result"][0], "name"), "citizen");
  EXPECT_EQ(str(followers["result"][1], "name"), "fan");
  EXPECT_FALSE(followers["result"][0].HasMember("email")) << "no private fields in the list";

  // A step by the agency: on the followers' dashboards and in their outbox, not the outsider's.
  w.ok("datarequest_update", R"({"id":")" + id + R"(","status":"reviewing"})", w.editor_b);
  for (const std::string* who : {&citizen, &fan}) {
    auto dash = listed(w, "dashboard_activity_list", "{}", *who);
    ASSERT_FALSE(dash.empty());
    EXPECT_EQ(dash[0].type, "changed datarequest");
    EXPECT_EQ(dash[0].object_id, id);
    EXPECT_EQ(w.ok("notification_list", "{}", *who)["result"]["count"].GetInt64(), 1);
  }
  EXPECT_TRUE(listed(w, "dashboard_activity_list", "{}", outsider).empty());
  EXPECT_EQ(w.ok("notification_list", "{}", outsider)["result"]["count"].GetInt64(), 0);
  // The followed request is among what the fan follows.
  auto followees = w.ok("followee_list", id_of("fan"), fan);
  ASSERT_EQ(followees["result"].Size(), 1u);
  EXPECT_EQ(str(followees["result"][0], "type"), "datarequest");
  EXPECT_EQ(str(followees["result"][0], "display_name"), "도서관 좌석 현황");

  // Unfollowed: the next step reaches the fan neither way.
  w.ok("unfollow_datarequest", id_of(id), fan);
  w.ok("datarequest_update",
       R"({"id":")" + id + R"(","status":"scheduled","scheduled_date":"2027-03-01"})", w.editor_b);
  EXPECT_TRUE(listed(w, "dashboard_activity_list", "{}", fan).empty());
  EXPECT_EQ(w.ok("notification_list", "{}", fan)["result"]["count"].GetInt64(), 1);
  EXPECT_EQ(w.ok("notification_list", "{}", citizen)["result"]["count"].GetInt64(), 2);

  // The request page offers the follow button to a signed-in visitor and the feed to everyone.
  auto page = w.http.get("/requests/" + id);
  EXPECT_NE(page.body.find("/feeds/datarequest/" + id + ".atom"), std::string::npos);
}

TEST_P(RequestFeeds, TheRequestListAndEachRequestHaveAnAtomFeedNewestFirst) {
  ApiWorld w(GetParam());
  const std::string citizen = w.server.add_user("citizen");
  w.ok("datarequest_create", R"({"title":"버스 <정류장> & 노선"})", citizen);
  auto b = w.ok("datarequest_create", R"({"title":"미세먼지 측정소","organization":"agency-a"})",
                citizen);
  const std::string b_id = str(b["result"], "id");
  w.ok("datarequest_update", R"({"id":")" + b_id + R"(","status":"reviewing"})", w.admin_a);

  auto all = w.http.get("/feeds/datarequest.atom");
  ASSERT_EQ(all.status, 200);
  EXPECT_NE(all.header("content-type").find("application/atom+xml"), std::string::npos);
  EXPECT_EQ(atom_titles(all.body), (std::vector<std::string>{"제공신청 진행: 미세먼지 측정소",
                                                             "새 제공신청: 미세먼지 측정소",
                                                             "새 제공신청: 버스 <정류장> & 노선"}));
  EXPECT_NE(all.body.find("/requests/" + b_id), std::string::npos);

  auto one = w.http.get("/feeds/datarequest/" + b_id + ".atom");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(atom_titles(one.body), (std::vector<std::string>{"제공신청 진행: 미세먼지 측정소",
                                                             "새 제공신청: 미세먼지 측정소"}));
  EXPECT_EQ(w.http.get("/feeds/datarequest/nowhere.atom").status, 404);
  EXPECT_EQ(w.http.get("/feeds/datarequest/" + b_id + ".atom?page=abc").status, 409);
}

TEST_P(ReportActivity, AReportsStepsReachTheDatasetsStreamAndFollowersAndAPrivateOnesOnlyMembers) {
  ApiWorld w(GetParam());
  const std::string citizen = w.server.add_user("citizen");
  const std::string follower = w.server.add_user("follower");
  w.dataset("bus-stops", "agency-a");
  w.ok("follow_dataset", R"({"id":"bus-stops"})", follower);
  auto created =
      w.ok("issue_report_create",
           R"({"package_id":"bus-stops","kind":"broken_link","description":"링크 오류"})", citizen);
  const std::string id = str(created["result"], "id");
  w.ok("issue_report_update", id_of(id), w.editor_a);
  w.ok("issue_report_close", R"({"id":")" + id + R"(","answer":"고쳤습니다"})", w.editor_a);

  auto stream = listed(w, "package_activity_list", R"({"id":"bus-stops"})");
  ASSERT_GE(stream.size(), 4u);
  EXPECT_EQ(types(std::vector<Entry>(stream.begin(), stream.begin() + 3)),
            (std::vector<std::string>{"closed issue report", "changed issue report",
                                      "new issue report"}));
  EXPECT_EQ(stream[0].report_status, "notified");
  EXPECT_EQ(stream[0].object_id, id);
  EXPECT_EQ(stream[3].type, "new package");
  auto agency = types(listed(w, "organization_activity_list", R"({"id":"agency-a"})"));
  EXPECT_EQ(agency[0], "closed issue report");

  // The dataset's follower heard of both steps (and saw the filing), the reporter too.
  EXPECT_EQ(w.ok("notification_list", "{}", follower)["result"]["count"].GetInt64(), 3);
  EXPECT_EQ(w.ok("notification_list", "{}", citizen)["result"]["count"].GetInt64(), 2);
  EXPECT_EQ(listed(w, "dashboard_activity_list", "{}", follower)[0].type, "closed issue report");

  // A report on a private dataset: its steps reach only the agency's members, in every stream.
  w.dataset("staff-roster", "agency-a", true);
  w.ok("follow_dataset", R"({"id":"staff-roster"})", w.member_a);
  auto secret =
      w.ok("issue_report_create",
           R"({"package_id":"staff-roster","kind":"other","description":"누락"})", w.member_a);
  w.ok("issue_report_update", id_of(str(secret["result"], "id")), w.admin_a);
  EXPECT_EQ(listed(w, "organization_activity_list", R"({"id":"agency-a"})")[0].type,
            "closed issue report")
      << "anonymous must not see the private dataset's report";
  EXPECT_EQ(listed(w, "organization_activity_list", R"({"id":"agency-a"})", w.member_a)[0].type,
            "changed issue report");
  EXPECT_EQ(listed(w, "dashboard_activity_list", "{}", w.member_a)[0].type, "changed issue report");
  const auto feed = w.http.get("/feeds/organization/agency-a.atom");
  EXPECT_EQ(feed.body.find("staff-roster"), std::string::npos);
  // Made private later, the public report's history is hidden from outsiders as well.
  w.ok("package_patch", R"({"id":"bus-stops","private":true})", w.admin_a);
  for (const auto& e : listed(w, "organization_activity_list", R"({"id":"agency-a"})"))
    EXPECT_EQ(e.type.find("issue report"), std::string::npos) << e.type;
}

DATAMAP_STORE_BACKENDS(RequestActivity);
DATAMAP_STORE_BACKENDS(RequestFollowing);
DATAMAP_STORE_BACKENDS(RequestFeeds);
DATAMAP_STORE_BACKENDS(ReportActivity);

}  // namespace
}  // namespace datamap::testing
