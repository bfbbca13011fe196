// A harvest source's secrets stay with those who manage it: the data.go.kr serviceKey (kept in
// the source's config) goes on every page request, including the first, and never comes back
// out of the API (job show/report/list, source show/list/status, objects), whoever asks, even
// when a fetch fails on a URL that carries it. Tests talk HTTP to a started `datamap serve`
// harvesting a fixture data.go.kr list API that refuses requests without the key.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "catalog/harvest_records.h"
#include "catalog/text.h"
#include "tests/harvest/harvest_env.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace datamap::harvest {
namespace {

using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using datamap::testing::HttpReply;
using datamap::testing::TestServer;

// A data.go.kr key as the portal issues it ("decoding" form: base64 with + / =).
const std::string kKey = "Zk9s+Q2x/SECRETKEY77aa==";
constexpr int kRows = 5;

using datamap::harvest::testing::loopback_allowed;

// One odcloud list page of kRows made-up rows, `per_page` a page.
std::string list_page(int page, int per_page) {
  std::ostringstream out;
  out << R"({"page":)" << page << R"(,"perPage":)" << per_page << R"(,"totalCount":)" << kRows
      << R"(,"data":[)";
  bool first = true;
  for (int i = (page - 1) * per_page; i < std::min(kRows, page * per_page); ++i) {
    out << (first ? "" : ",") << R"({"목록키":"9900)" << i << R"(","목록명":"비밀키 시험 목록 )"
        << i << R"(","제공기관":"시험기관","목록유형":"FILE"})";
    first = false;
  }
  out << "]}";
  return out.str();
}

struct World {
  FixtureHttpServer remote;
  TestServer server{loopback_allowed()};
  std::string admin, editor_a, editor_b;
  std::mutex mu;
  std::vector<std::string> keys_seen;  // the serviceKey of every list request, "" when absent

  World() {
    admin = server.add_user("admin", {"--sysadmin"});
    for (const char* org : {"agency-a", "agency-b"})
      EXPECT_EQ(
          server.client()
              .action("organization_create", std::string("{\"name\": \"") + org + "\"}", admin)
              .status,
          200);
    editor_a = server.add_user("editor-a", {"--org", "agency-a", "--role", "editor"});
    editor_b = server.add_user("editor-b", {"--org", "agency-b", "--role", "editor"});
  }

  // The list API: 401 (as data.go.kr answers) without the right key, except on page 1 when
  // `lenient_first_page`; page `fail_page` is a 500.
  void serve_list(int fail_page = 0, bool lenient_first_page = false) {
    remote.route("/api/15062804/v1/list", [this, fail_page, lenient_first_page](
                                              const FixtureRequest& req, FixtureResponse& res) {
      std::string key = req.param("serviceKey");
      {
        std::lock_guard lock(mu);
        keys_seen.push_back(key);
      }
      int page = std::stoi(req.param("page", "1"));
      if (key != kKey && !(lenient_first_page && page == 1))
        return res.send(401, "application/json",
                        R"({"code": -4, "msg": "등록되지 않은 인증키 입니다."})");
      if (page == fail_page) return res.send(500, "text/plain", "internal error");
      res.send(200, "application/json", list_page(page, std::stoi(req.param("perPage", "2"))));
    });
  }

  std::string create_source(const std::string& name, const std::string& url,
                            const std::string& config) {
    auto r = server.client().action(
        "harvest_source_create",
        R"({"name": ")" + name + R"(", "url": ")" + url +
            R"(", "source_type": "datago", "owner_org": "agency-a", "config": )" + config + "}",
        editor_a);
    EXPECT_EQ(r.status, 200) << r.body;
    return name;
  }

  // Queues a job and waits until it ends; returns its id.
  std::string run(const std::string& source) {
    auto job = server.client().action("harvest_job_create", R"({"source_id": ")" + source + R"("})",
                                      editor_a);
    EXPECT_EQ(job.status, 200) << job.body;
    std::string id = job.json()["result"]["id"].GetString();
    for (int i = 0; i < 600; ++i) {
      auto doc = server.client().action("harvest_job_show", R"({"id": ")" + id + R"("})").json();
      std::string status = doc["result"]["status"].GetString();
      if (status != "New" && status != "Running") return id;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << id << " did not end";
    return id;
  }

  // Every read of the source and its job as `token` (anonymous when ""): none may hold
  // `secret`, as it is or percent-encoded (as it stands in a URL). The source's own managers
  // see its config (they may change it), so for them only the job records are read.
  void expect_never_shown(const std::string& source, const std::string& job,
                          const std::string& token, const std::string& secret,
                          const std::string& who, bool manager = false) {
    auto c = server.client();
    std::vector<std::pair<std::string, std::string>> reads = {
        {"harvest_job_show", R"({"id": ")" + job + R"("})"},
        {"harvest_job_report", R"({"id": ")" + job + R"("})"},
        {"harvest_job_list", R"({"source_id": ")" + source + R"("})"},
        {"harvest_source_show_status", R"({"id": ")" + source + R"("})"},
        {"package_search", R"({"q": "", "rows": 100})"},
    };
    if (!manager) {
      reads.push_back({"harvest_source_show", R"({"id": ")" + source + R"("})"});
      reads.push_back({"harvest_source_list", "{}"});
      reads.push_back({"harvest_source_list", R"({"organization_id": "agency-a"})"});
    }
    auto expect_clean = [&](const std::string& what, const HttpReply& r) {
      for (const std::string& form : {secret, catalog::url_encode(secret)})
        EXPECT_EQ(r.body.find(form), std::string::npos)
            << who << " reads the secret through " << what << ": " << r.body;
    };
    for (const auto& [action, body] : reads) {
      HttpReply r = c.action(action, body, token);
      EXPECT_EQ(r.status, 200) << who << " " << action << ": " << r.body;
      expect_clean(action, r);
    }
    auto report = c.action("harvest_job_report", R"({"id": ")" + job + R"("})", token).json();
    for (const auto& e : report["result"]["object_errors"].GetArray())
      expect_clean(
          "harvest_object_show",
          c.action("harvest_object_show",
                   std::string(R"({"id": ")") + e["object_id"].GetString() + R"("})", token));
  }
};

TEST(HarvestSecrets, TheServiceKeyFromTheConfigGoesOnEveryPageIncludingTheFirst) {
  World w;
  w.serve_list();
  std::string source = w.create_source("keyed", w.remote.url("/api/15062804/v1/list"),
                                       R"({"serviceKey": ")" + kKey + R"("})");
  std::string job = w.run(source);
  auto done = w.server.client().action("harvest_job_show", R"({"id": ")" + job + R"("})").json();
  const auto& result = done["result"];
  EXPECT_STREQ(result["status"].GetString(), "Finished") << result["error"].GetString();
  EXPECT_EQ(result["stats"]["added"].GetInt64(), kRows);
  EXPECT_EQ(w.remote.hits("/api/15062804/v1/list"), 3);  // pages of 2: 2 + 2 + 1
  for (const auto& key : w.keys_seen)
    EXPECT_EQ(key, kKey) << "a page was asked for without the key";

  w.expect_never_shown(source, job, "", kKey, "anonymous");
  w.expect_never_shown(source, job, w.editor_b, kKey, "editor of another agency");
  // Those who manage the source still see (and may change) its config.
  auto mine = w.server.client().action("harvest_source_show", R"({"id": "keyed"})", w.editor_a);
  EXPECT_NE(mine.body.find(kKey), std::string::npos) << mine.body;
}

TEST(HarvestSecrets, AFailedPageIsReportedWithoutTheKeyItsUrlCarried) {
  World w;
  // Page 1 is served whether or not it has the key, so that the failure is page 2's: its URL
  // carries the key, and the fetch error quotes the URL.
  w.serve_list(/*fail_page=*/2, /*lenient_first_page=*/true);
  std::string source = w.create_source("fails", w.remote.url("/api/15062804/v1/list"),
                                       R"({"serviceKey": ")" + kKey + R"("})");
  std::string job = w.run(source);
  auto report = w.server.client().action("harvest_job_report", R"({"id": ")" + job + R"("})");
  auto doc = report.json();
  EXPECT_STREQ(doc["result"]["status"].GetString(), "Failed") << report.body;
  std::string error = doc["result"]["error"].GetString();
  // Still a useful report: which page, what happened, where (the key's value replaced).
  EXPECT_NE(error.find("list page 2"), std::string::npos) << error;
  EXPECT_NE(error.find("HTTP 500"), std::string::npos) << error;
  EXPECT_NE(error.find("serviceKey=***"), std::string::npos) << error;
  w.expect_never_shown(source, job, "", kKey, "anonymous");
  w.expect_never_shown(source, job, w.editor_b, kKey, "editor of another agency");
  // Not even the source's own editors find it in the job record: it is not stored there.
  w.expect_never_shown(source, job, w.editor_a, kKey, "the source's editor", /*manager=*/true);
}

TEST(HarvestSecrets, CredentialsLeftInASourceUrlAreShownOnlyToItsManagers) {
  World w;
  w.serve_list();
  // An older habit: the key (and a password) written into the public URL itself.
  std::string url = "http://robot:hunter2pw@127.0.0.1:" + std::to_string(w.remote.port()) +
                    "/api/15062804/v1/list?serviceKey=" + catalog::url_encode(kKey);
  std::string source = w.create_source("legacy", url, "{}");
  std::string job = w.run(source);
  for (const std::string& secret : {std::string("hunter2pw"), kKey}) {
    w.expect_never_shown(source, job, "", secret, "anonymous");
    w.expect_never_shown(source, job, w.editor_b, secret, "editor of another agency");
  }
  auto shown = w.server.client().action("harvest_source_show", R"({"id": "legacy"})").json();
  std::string public_url = shown["result"]["url"].GetString();
  EXPECT_NE(public_url.find("/api/15062804/v1/list?serviceKey=***"), std::string::npos)
      << public_url;
  auto managed =
      w.server.client().action("harvest_source_show", R"({"id": "legacy"})", w.editor_a).json();
  EXPECT_EQ(std::string(managed["result"]["url"].GetString()), url);
}

// Below the API: whatever a job or object error says, the harvest records keep it redacted, so
// the catalog file itself never holds the key (nor does a backup of it).
TEST(HarvestSecrets, TheRecordsNeverStoreASecretInAnError) {
  datamap::testing::TempDir dir;
  const std::string path = dir.file("catalog.db");
  const std::string leak = "HTTP 403 from https://api.odcloud.kr/x?serviceKey=" + kKey +
                           " with Authorization: Bearer tok-" + kKey;
  {
    auto records = catalog::open_sqlite_harvest_records(path);
    catalog::HarvestSource s;
    s.name = "s";
    s.title = "s";
    s.type = "datago";
    s.url = "https://api.odcloud.kr/x";
    records->put_source(s);
    catalog::HarvestJob j;
    j.source_id = s.id;
    j.error = leak;
    records->put_job(j);
    EXPECT_EQ(j.error.find(kKey), std::string::npos) << j.error;
    std::vector<catalog::HarvestObject> objects(2);
    for (auto& o : objects) {
      o.job_id = j.id;
      o.source_id = s.id;
      o.remote_id = "r" + std::to_string(&o - objects.data());
      o.state = "IMPORT";
    }
    objects[0].state = "ERROR";
    objects[0].error = leak;
    records->put_objects(objects);
    records->fail_open_objects(j.id, leak);  // objects[1], cut off
    auto read = records->job(j.id);
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->error.find(kKey), std::string::npos) << read->error;
    EXPECT_NE(read->error.find("serviceKey=***"), std::string::npos) << read->error;
    for (const auto& o : records->objects(j.id, "", 0, 10))
      EXPECT_EQ(o.error.find(kKey), std::string::npos) << o.error;
  }
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(path + suffix, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(kKey), std::string::npos) << path << suffix << " holds the key";
  }
}

}  // namespace
}  // namespace datamap::harvest
