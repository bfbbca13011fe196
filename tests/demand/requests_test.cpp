// Data requests over real HTTP: a citizen asks, people vote, the agency asked answers and closes
// with a dataset, which then lists the request; the wrong people are refused at every step;
// comments are moderated with an audit trail; deadlines are judged at a time the test chooses
// (`as_of`); every notification lands in the outbox; hostile input gets a precise 4xx.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "catalog/demand.h"
#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

std::string str(const rapidjson::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

// The date `days` from today (UTC), for `as_of`: the server judges deadlines at that time.
std::string days_from_now(int days) {
  auto now = std::chrono::system_clock::now() + std::chrono::hours(24 * days);
  return catalog::utc_iso(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

struct DemandWorld : ApiWorld {
  DemandWorld() = default;
  explicit DemandWorld(Backend backend) : ApiWorld(backend) {}
  std::string citizen = server.add_user("citizen");
  std::string voter1 = server.add_user("voter1");
  std::string voter2 = server.add_user("voter2");
  std::string voter3 = server.add_user("voter3");

  std::string request(const std::string& title, const std::string& org = "agency-a") {
    auto doc = ok("datarequest_create",
                  R"({"title":")" + title +
                      R"(","description":"설명","purpose":"research",)"
                      R"("organization":")" +
                      org + R"("})",
                  citizen);
    return str(doc["result"], "id");
  }
  long status(const std::string& action, const std::string& body, const std::string& token) {
    return http.action(action, body, token).status;
  }
  std::int64_t notifications(const std::string& token) {
    auto doc = ok("notification_list", "{}", token);
    return doc["result"]["count"].GetInt64();
  }
};

// Every test but the rate limit's runs on both catalogs: on PostgreSQL the requests, votes,
// comments, outbox and the demand ranking are in the shared database
// (catalog/postgres/pg_demand.h).
class DataRequestsOnBoth : public ::testing::TestWithParam<Backend> {};
DATAMAP_STORE_BACKENDS(DataRequestsOnBoth);

TEST_P(DataRequestsOnBoth, CitizenAsksThreeVoteAgencyClosesWithDatasetWhichListsIt) {
  DemandWorld w(GetParam());
  // Anonymous callers may not file requests.
  EXPECT_EQ(w.status("datarequest_create", R"({"title":"익명 신청"})", ""), 403);
  std::string id = w.request("서울시 공영주차장 실시간 주차 가능 대수");
  auto shown = w.ok("datarequest_show", R"({"id":")" + id + R"("})");
  EXPECT_EQ(str(shown["result"], "status"), "received");
  EXPECT_EQ(str(shown["result"], "status_label"), "접수");
  EXPECT_EQ(str(shown["result"], "user"), "citizen");
  EXPECT_EQ(str(shown["result"]["organization"], "name"), "agency-a");
  EXPECT_FALSE(shown["result"]["overdue"].GetBool());

  // Three users vote; a second vote by the same user counts nothing.
  for (const std::string* t : {&w.voter1, &w.voter2, &w.voter3})
    w.ok("datarequest_vote", R"({"id":")" + id + R"("})", *t);
  auto again = w.ok("datarequest_vote", R"({"id":")" + id + R"("})", w.voter1);
  EXPECT_FALSE(again["result"]["counted"].GetBool());
  EXPECT_EQ(again["result"]["votes"].GetInt64(), 3);
  EXPECT_EQ(w.status("datarequest_vote", R"({"id":")" + id + R"("})", ""), 403);
  EXPECT_EQ(w.ok("datarequest_show", R"({"id":")" + id + R"("})")["result"]["votes"].GetInt64(), 3);

  // Only the agency asked moves it: another agency, a mere member, anonymous are refused.
  const std::string reviewing = R"({"id":")" + id + R"(","status":"reviewing"})";
  EXPECT_EQ(w.status("datarequest_update", reviewing, w.editor_b), 403);
  EXPECT_EQ(w.status("datarequest_update", reviewing, w.member_a), 403);
  EXPECT_EQ(w.status("datarequest_update", reviewing, ""), 403);
  EXPECT_EQ(w.status("datarequest_update", reviewing, w.voter1), 403);
  EXPECT_EQ(str(w.ok("datarequest_update", reviewing, w.admin_a)["result"], "status"), "reviewing");
  // 제공 예정 needs its date.
  auto no_date = w.http.action("datarequest_update",
                               R"({"id":")" + id + R"(","status":"scheduled"})", w.admin_a);
  EXPECT_EQ(no_date.status, 409);
  EXPECT_TRUE(no_date.json()["error"].HasMember("scheduled_date")) << no_date.body;
  auto scheduled = w.ok(
      "datarequest_update",
      R"({"id":")" + id +
          R"(","status":"scheduled","scheduled_date":"2027-01-15","answer":"1월에 개방합니다"})",
      w.admin_a);
  EXPECT_EQ(str(scheduled["result"], "scheduled_date"), "2027-01-15");

  std::string dataset = w.dataset("parking-live", "agency-a");
  const std::string close =
      R"({"id":")" + id + R"(","outcome":"provided","package_id":"parking-live"})";
  EXPECT_EQ(w.status("datarequest_close", close, w.editor_b), 403);
  EXPECT_EQ(w.status("datarequest_close", close, ""), 403);
  EXPECT_EQ(w.status("datarequest_close", close, w.citizen), 403);
  // A private dataset cannot answer a public request.
  w.dataset("parking-private", "agency-a", true);
  EXPECT_EQ(
      w.status("datarequest_close",
               R"({"id":")" + id + R"(","outcome":"provided","package_id":"parking-private"})",
               w.admin_a),
      409);
  auto closed = w.ok("datarequest_close", close, w.editor_a);
  EXPECT_EQ(str(closed["result"], "status"), "provided");
  EXPECT_TRUE(closed["result"]["closed"].GetBool());
  EXPECT_EQ(str(closed["result"], "package_name"), "parking-live");
  EXPECT_EQ(w.status("datarequest_close", close, w.editor_a), 409);  // closed already
  EXPECT_EQ(w.status("datarequest_vote", R"({"id":")" + id + R"("})", w.editor_b), 409);

  // The dataset lists the request it answers.
  auto pkg = w.ok("package_show", R"({"id":"parking-live"})");
  ASSERT_TRUE(pkg["result"]["datarequests"].IsArray());
  ASSERT_EQ(pkg["result"]["datarequests"].Size(), 1u);
  EXPECT_EQ(str(pkg["result"]["datarequests"][0], "id"), id);
  // And its page says so.
  auto page = w.http.get("/dataset/parking-live");
  EXPECT_NE(page.body.find("/requests/" + id), std::string::npos);

  // The outbox: the requester and each voter heard of reviewing, scheduling and closing (no one
  // is told of their own step); nothing went out by e-mail (no SMTP configured).
  auto mine = w.ok("notification_list", "{}", w.citizen);
  EXPECT_EQ(mine["result"]["count"].GetInt64(), 3);
  EXPECT_EQ(str(mine["result"]["results"][0], "email_state"), "off");
  EXPECT_EQ(str(mine["result"]["results"][0], "link"), "/requests/" + id);
  for (const std::string* t : {&w.voter1, &w.voter2, &w.voter3}) EXPECT_EQ(w.notifications(*t), 3);
  EXPECT_EQ(w.notifications(w.admin_a), 0);  // the actor is not told of their own steps
  EXPECT_EQ(w.status("notification_list", "{}", ""), 403);

  // The demand ranking counts the request that names the dataset and its three votes.
  auto ranking = w.ok("demand_ranking", "{}");
  bool ranked = false;
  for (const auto& r : ranking["result"]["results"].GetArray())
    if (str(r, "name") == "parking-live") {
      ranked = true;
      EXPECT_EQ(r["counts"]["requests"].GetInt64(), 1);
      EXPECT_EQ(r["counts"]["votes"].GetInt64(), 3);
    }
  EXPECT_TRUE(ranked) << "parking-live is not among the demand candidates";

  // Made private later, the dataset is no longer named to those who may not see it.
  w.ok("package_patch", R"({"id":"parking-live","private":true})", w.admin_a);
  auto anon = w.ok("datarequest_show", R"({"id":")" + id + R"("})");
  EXPECT_TRUE(anon["result"]["package_name"].IsNull());
  EXPECT_TRUE(anon["result"]["package_id"].IsNull());
  EXPECT_EQ(w.http.get("/requests/" + id).body.find("parking-live"), std::string::npos);
  auto member = w.ok("datarequest_show", R"({"id":")" + id + R"("})", w.member_a);
  EXPECT_EQ(str(member["result"], "package_name"), "parking-live");
}

TEST_P(DataRequestsOnBoth, RefusalNeedsAReasonFromTheListAndWhatTheReasonRequires) {
  DemandWorld w(GetParam());
  std::string a = w.request("학교 급식 식단 원재료 원산지");
  std::string b = w.request("교원 개인별 평가 점수");
  auto refuse = [&](const std::string& id, const std::string& extra) {
    return w.http.action("datarequest_close",
                         R"({"id":")" + id + R"(","outcome":"refused")" + extra + "}", w.admin_a);
  };
  auto unknown = refuse(a, R"(,"reason":"lazy")");
  EXPECT_EQ(unknown.status, 409);
  EXPECT_TRUE(unknown.json()["error"].HasMember("reason")) << unknown.body;
  EXPECT_EQ(refuse(a, R"(,"reason":"already_open")").status, 409);  // which dataset?
  w.dataset("school-meals", "agency-a");
  auto open = refuse(a, R"(,"reason":"already_open","package_id":"school-meals")");
  EXPECT_EQ(open.status, 200) << open.body;
  EXPECT_EQ(str(open.json()["result"], "refusal_reason"), "already_open");
  auto no_basis = refuse(b, R"(,"reason":"non_disclosure")");
  EXPECT_EQ(no_basis.status, 409);
  EXPECT_TRUE(no_basis.json()["error"].HasMember("legal_basis")) << no_basis.body;
  auto basis = refuse(
      b,
      R"(,"reason":"non_disclosure","legal_basis":"공공기관의 정보공개에 관한 법률 제9조 제1항 제6호")");
  EXPECT_EQ(basis.status, 200) << basis.body;
  EXPECT_EQ(str(basis.json()["result"], "status_label"), "제공 불가");
  // The requester may edit only while the request is 접수, and only their own.
  std::string c = w.request("버스 정류장 의자 설치 현황");
  EXPECT_EQ(w.status("datarequest_update", R"({"id":")" + c + R"(","title":"고침"})", w.voter1),
            403);
  EXPECT_EQ(w.status("datarequest_update", R"({"id":")" + c + R"(","title":"버스 정류장 벤치"})",
                     w.citizen),
            200);
  EXPECT_EQ(w.status("datarequest_update", R"({"id":")" + b + R"(","title":"고침"})", w.citizen),
            409);
}

TEST_P(DataRequestsOnBoth, CommentsAreModeratedByTheAgencyAdminWithAnAuditTrail) {
  DemandWorld w(GetParam());
  std::string id = w.request("하천 수위 관측 자료");
  auto c1 = w.ok("datarequest_comment", R"({"id":")" + id + R"(","comment":"저도 필요합니다"})",
                 w.voter1);
  auto c2 = w.ok("datarequest_comment", R"({"id":")" + id + R"(","comment":"광고 http://spam"})",
                 w.voter2);
  EXPECT_EQ(w.status("datarequest_comment", R"({"id":")" + id + R"(","comment":"x"})", ""), 403);
  std::string spam = str(c2["result"], "id");
  const std::string hide = R"({"id":")" + spam + R"(","reason":"광고"})";
  EXPECT_EQ(w.status("datarequest_comment_hide", hide, w.editor_b), 403);
  EXPECT_EQ(w.status("datarequest_comment_hide", hide, w.editor_a), 403);  // admins only
  EXPECT_EQ(w.status("datarequest_comment_hide", hide, w.citizen), 403);
  EXPECT_EQ(w.status("datarequest_comment_hide", hide, ""), 403);
  EXPECT_EQ(w.status("datarequest_comment_hide", R"({"id":")" + spam + R"("})", w.admin_a), 409);
  w.ok("datarequest_comment_hide", hide, w.admin_a);

  auto public_view = w.ok("datarequest_show", R"({"id":")" + id + R"("})");
  const auto& comments = public_view["result"]["comments"];
  ASSERT_EQ(comments.Size(), 2u);
  EXPECT_FALSE(comments[0]["hidden"].GetBool());
  EXPECT_TRUE(comments[1]["hidden"].GetBool());
  EXPECT_EQ(str(comments[1], "text"), "");  // the public no longer reads it
  EXPECT_FALSE(public_view["result"].HasMember("comment_audit"));
  EXPECT_EQ(public_view["result"]["comment_count"].GetInt64(), 1);

  // A sysadmin shows it again; both steps stay in the audit trail, with who and why.
  w.ok("datarequest_comment_hide", R"({"id":")" + spam + R"(","hidden":false,"reason":"오판"})",
       w.sysadmin);
  auto admin_view = w.ok("datarequest_show", R"({"id":")" + id + R"("})", w.admin_a);
  const auto& audit = admin_view["result"]["comment_audit"];
  ASSERT_EQ(audit.Size(), 2u);
  EXPECT_EQ(str(audit[0], "action"), "hide");
  EXPECT_EQ(str(audit[0], "user"), "admin_a");
  EXPECT_EQ(str(audit[0], "reason"), "광고");
  EXPECT_EQ(str(audit[1], "action"), "show");
  EXPECT_EQ(str(audit[1], "user"), "sysadmin");
  EXPECT_EQ(str(admin_view["result"]["comments"][1], "text"), "광고 http://spam");
  (void)c1;
  // The requester heard of both comments.
  EXPECT_EQ(w.notifications(w.citizen), 2);
}

TEST_P(DataRequestsOnBoth, OverdueIsJudgedAtTheTimeAskedAndTheExtensionMovesTheDeadline) {
  DemandWorld w(GetParam());
  std::string late = w.request("공공자전거 대여소별 이용량");
  std::string answered = w.request("공공자전거 고장 신고 내역");
  w.ok("datarequest_update",
       R"({"id":")" + answered + R"(","status":"scheduled","scheduled_date":"2027-03-01"})",
       w.admin_a);
  std::string other = w.request("도서관 좌석 현황", "agency-b");
  auto overdue_at = [&](const std::string& id, int days) {
    auto doc = w.ok("datarequest_show",
                    R"({"id":")" + id + R"(","as_of":")" + days_from_now(days) + R"("})");
    return doc["result"]["overdue"].GetBool();
  };
  EXPECT_FALSE(overdue_at(late, 7));
  EXPECT_TRUE(overdue_at(late, 9));
  EXPECT_FALSE(overdue_at(answered, 30));  // 제공 예정 is an answer
  auto list = w.ok("datarequest_list", R"({"organization":"agency-a","overdue":true,"as_of":")" +
                                           days_from_now(9) + R"("})");
  ASSERT_EQ(list["result"]["count"].GetInt64(), 1);
  EXPECT_EQ(str(list["result"]["results"][0], "id"), late);
  // The agency extends once, by 10 days; not twice; not another agency.
  const std::string extend = R"({"id":")" + late + R"(","extend":true})";
  EXPECT_EQ(w.status("datarequest_update", extend, w.editor_b), 403);
  w.ok("datarequest_update", extend, w.editor_a);
  EXPECT_EQ(w.status("datarequest_update", extend, w.editor_a), 409);
  EXPECT_FALSE(overdue_at(late, 9));
  EXPECT_TRUE(overdue_at(late, 19));
  auto summary = w.ok("datarequest_overdue_summary", R"({"as_of":")" + days_from_now(19) + R"("})");
  const auto& orgs = summary["result"]["organizations"];
  ASSERT_EQ(orgs.Size(), 2u);
  EXPECT_EQ(str(orgs[0], "organization"), "agency-a");
  EXPECT_EQ(orgs[0]["open"].GetInt64(), 2);
  EXPECT_EQ(orgs[0]["overdue"].GetInt64(), 1);
  EXPECT_EQ(str(orgs[1], "organization"), "agency-b");
  EXPECT_EQ(orgs[1]["overdue"].GetInt64(), 1);
  (void)other;
  EXPECT_EQ(
      w.http.action("datarequest_show", R"({"id":")" + late + R"(","as_of":"next week"})").status,
      409);
}

TEST_P(DataRequestsOnBoth, SearchFiltersAndPagesAndCreateSuggestsWhatExists) {
  DemandWorld w(GetParam());
  std::string parking = w.request("서울시 공영주차장 실시간 주차 정보");
  std::string meals = w.request("학교 급식 식단표");
  std::string library = w.request("도서관 주차장 요금", "agency-b");
  {
    auto doc = w.ok("datarequest_search", R"({"q":"주차장"})");
    EXPECT_EQ(doc["result"]["count"].GetInt64(), 2);
  }
  {
    auto doc = w.ok("datarequest_search", R"({"q":"주차장","organization":"agency-b"})");
    ASSERT_EQ(doc["result"]["count"].GetInt64(), 1);
    EXPECT_EQ(str(doc["result"]["results"][0], "id"), library);
  }
  {
    auto doc = w.ok("datarequest_search", R"({"q":"급식 식단"})");
    ASSERT_EQ(doc["result"]["count"].GetInt64(), 1);
    EXPECT_EQ(str(doc["result"]["results"][0], "id"), meals);
  }
  {
    auto doc = w.ok("datarequest_list", R"({"limit":1,"offset":1,"sort":"created asc"})");
    EXPECT_EQ(doc["result"]["count"].GetInt64(), 3);
    ASSERT_EQ(doc["result"]["results"].Size(), 1u);
    EXPECT_EQ(str(doc["result"]["results"][0], "id"), meals);
  }
  {
    auto doc = w.ok("datarequest_list", R"({"status":"provided"})");
    EXPECT_EQ(doc["result"]["count"].GetInt64(), 0);
  }
  // Punctuation is no wildcard: "100%" looks for 100.
  EXPECT_EQ(w.ok("datarequest_search", R"({"q":"100%"})")["result"]["count"].GetInt64(), 0);
  EXPECT_EQ(w.ok("datarequest_search", R"({"q":"주차장_"})")["result"]["count"].GetInt64(), 2);
  EXPECT_EQ(w.status("datarequest_list", R"({"status":"lost"})", ""), 409);
  EXPECT_EQ(w.status("datarequest_list", R"({"limit":1000})", ""), 409);
  EXPECT_EQ(w.status("datarequest_list", R"({"organization":"nowhere"})", ""), 409);

  // Filing nearly the same title again is told of the first; the dataset search is asked too.
  w.ok("package_create",
       R"({"name":"seoul-parking","title":"서울시 공영주차장 실시간 주차정보","owner_org":"agency-a"})",
       w.sysadmin);
  auto again = w.ok("datarequest_create", R"({"title":"서울 공영주차장 실시간 주차정보"})", w.voter1);
  const auto& similar = again["result"]["similar"]["requests"];
  ASSERT_GE(similar.Size(), 1u);
  EXPECT_EQ(str(similar[0], "id"), parking);
  // The dataset comes from the search index, which follows the catalog a moment later.
  bool dataset_suggested = false;
  for (int i = 0; i < 100 && !dataset_suggested; ++i) {
    auto s = w.ok("datarequest_similar", R"({"title":"공영주차장 실시간 주차정보"})");
    for (const auto& d : s["result"]["datasets"].GetArray())
      dataset_suggested = dataset_suggested || str(d, "name") == "seoul-parking";
    if (!dataset_suggested) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(dataset_suggested);
  auto typed = w.ok("datarequest_similar", R"({"title":"공영주차장 실시간"})");
  ASSERT_GE(typed["result"]["requests"].Size(), 1u);
}

TEST_P(DataRequestsOnBoth, HostileInputGetsAPreciseAnswerAndIsEscapedOnThePage) {
  DemandWorld w(GetParam());
  auto create = [&](const std::string& body) {
    return w.http.action("datarequest_create", body, w.citizen);
  };
  // A title of 201 characters (Korean: 3 bytes each) and one of a megabyte.
  std::string long_title;
  for (int i = 0; i < 201; ++i) long_title += "가";
  auto too_long = create(R"({"title":")" + long_title + R"("})");
  EXPECT_EQ(too_long.status, 409);
  EXPECT_TRUE(too_long.json()["error"].HasMember("title")) << too_long.body;
  EXPECT_EQ(create(R"({"title":")" + std::string(1 << 20, 'a') + R"("})").status, 409);
  // Invalid UTF-8 in the body is the JSON parser's 400; in a query string, the router's.
  EXPECT_EQ(create("{\"title\":\"\xff\xfe\"}").status, 400);
  EXPECT_EQ(w.http.get("/api/3/action/datarequest_search?q=%FF%FE").status, 400);
  // Control characters, a title that is not text, a missing title.
  EXPECT_EQ(create(R"({"title":"a\u0000b"})").status, 409);
  EXPECT_EQ(create(R"({"title":{"nested":true}})").status, 409);
  EXPECT_EQ(create(R"({"description":"제목 없음"})").status, 409);
  EXPECT_EQ(create(R"({"title":"목적","purpose":"world domination"})").status, 409);
  EXPECT_EQ(create(R"({"title":"기관","organization":"no-such-agency"})").status, 409);
  EXPECT_EQ(w.status("datarequest_show", R"({"id":"no-such-request"})", ""), 404);
  // JSON inside a string stays a string.
  auto json_text = create(R"({"title":"{\"a\":[1,2,{\"b\":null}]}"})");
  ASSERT_EQ(json_text.status, 200) << json_text.body;
  EXPECT_EQ(str(json_text.json()["result"], "title"), R"({"a":[1,2,{"b":null}]})");
  // Script tags are text: escaped on the request page and in the list.
  auto script = create(
      R"({"title":"<script>alert(1)</script>","description":"<img src=x onerror=alert(2)>"})");
  ASSERT_EQ(script.status, 200) << script.body;
  std::string id = str(script.json()["result"], "id");
  w.ok("datarequest_comment",
       R"({"id":")" + id + R"(","comment":"</textarea><script>alert(3)</script>"})", w.voter1);
  // A NUL in a comment or a description is refused alike on both catalogs (PostgreSQL's text
  // cannot hold it), never cut short and never a 500.
  EXPECT_EQ(
      w.status("datarequest_comment", R"({"id":")" + id + R"(","comment":"a\u0000b"})", w.voter1),
      409);
  EXPECT_EQ(create(R"({"title":"설명","description":"a\u0000b"})").status, 409);
  for (const std::string& path : {"/requests/" + id, std::string("/requests")}) {
    auto page = w.http.get(path);
    EXPECT_EQ(page.status, 200) << path;
    EXPECT_EQ(page.body.find("<script>alert"), std::string::npos) << path;
    EXPECT_EQ(page.body.find("<img src=x"), std::string::npos) << path;
    EXPECT_NE(page.body.find("&lt;script&gt;alert(1)"), std::string::npos) << path;
  }
  EXPECT_EQ(w.http.get("/requests/no-such-request").status, 404);
  EXPECT_EQ(w.http.action("status_show").status, 200);  // alive
}

TEST(DataRequests, WritesAreRateLimitedPerUser) {
  TestServer::Options options;
  options.config_toml = "[requests]\nwrites_per_minute = 1\nwrites_burst = 2\n";
  ApiWorld w(options);
  std::string alice = w.server.add_user("alice");
  std::string bob = w.server.add_user("bob");
  EXPECT_EQ(w.http.action("datarequest_create", R"({"title":"하나"})", alice).status, 200);
  EXPECT_EQ(w.http.action("datarequest_create", R"({"title":"둘"})", alice).status, 200);
  auto third = w.http.action("datarequest_create", R"({"title":"셋"})", alice);
  EXPECT_EQ(third.status, 429);
  EXPECT_FALSE(third.header("retry-after").empty());
  // Another user is not held back by alice.
  EXPECT_EQ(w.http.action("datarequest_create", R"({"title":"넷"})", bob).status, 200);
}

}  // namespace
}  // namespace datamap::testing
