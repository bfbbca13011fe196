// E-mail of the outbox over a real SMTP server: Python's standard-library smtpd, started by the
// test on a free loopback port (tests/fixtures/mail/smtp_sink.py writes each message it receives,
// decoded by Python's email package, as a JSON line). With [requests] smtp_url set, a step of a
// request reaches the requester's mailbox with the request named; with the server down the
// step still succeeds and the row is recorded failed, with the reason and no password.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/api_world.h"
#include "tests/support/eventually.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/temp_dir.h"

namespace datamap::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string str(const rapidjson::Value& v, const char* key) {
  return v.IsObject() && v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

// The SMTP sink as a child process for the test's lifetime.
class SmtpSink {
 public:
  SmtpSink() {
    port_file_ = dir_.file("port");
    out_file_ = dir_.file("messages.jsonl");
    const std::string script =
        std::string(DATAMAP_SOURCE_DIR) + "/tests/fixtures/mail/smtp_sink.py";
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      execl("/usr/bin/python3", "python3", "-W", "ignore", script.c_str(), port_file_.c_str(),
            out_file_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    EXPECT_TRUE(eventually([&] { return !read_file(port_file_).empty(); }))
        << "the SMTP sink did not start";
    const std::string port = read_file(port_file_);
    port_ = port.empty() ? 0 : std::stoi(port);
  }
  ~SmtpSink() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  // The messages received so far, one JSON object each.
  std::vector<rapidjson::Document> messages() const {
    std::vector<rapidjson::Document> out;
    std::istringstream lines(read_file(out_file_));
    for (std::string line; std::getline(lines, line);) {
      if (line.empty()) continue;
      out.emplace_back();
      out.back().Parse(line.c_str());
    }
    return out;
  }

 private:
  TempDir dir_;
  std::string port_file_, out_file_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A loopback port nothing listens on: bound, not listened to, and held for the test, so no
// other process takes it meanwhile. A connection to it is refused.
class DeadPort {
 public:
  DeadPort() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t n = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n);
    port_ = ntohs(a.sin_port);
  }
  ~DeadPort() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TestServer::Options mail_config(const std::string& smtp_url) {
  TestServer::Options o;
  o.config_toml = "[site]\nbase_url = \"https://data.example.kr\"\n[requests]\nsmtp_url = \"" +
                  smtp_url +
                  "\"\nmail_from = \"datamap@example.kr\"\nmail_max_attempts = 2\n"
                  "mail_retry_seconds = 1\n";
  return o;
}

// The newest notification of `token`'s user.
rapidjson::Document newest_notification(ApiWorld& w, const std::string& token) {
  auto list = w.ok("notification_list", "{}", token);
  rapidjson::Document n;
  if (list["result"]["results"].Size() > 0)
    n.CopyFrom(list["result"]["results"][0], n.GetAllocator());
  return n;
}

// On both catalogs: on PostgreSQL the mailer reads (and claims) the shared outbox.
class OutboxMailOnBoth : public ::testing::TestWithParam<Backend> {};
DATAMAP_STORE_BACKENDS(OutboxMailOnBoth);

TEST_P(OutboxMailOnBoth, AStepReachesTheRequestersMailboxThroughSmtp) {
  SmtpSink sink;
  auto options = mail_config("smtp://127.0.0.1:" + std::to_string(sink.port()));
  if (GetParam() == Backend::kPostgres) options.catalog = PgCluster::shared().new_database();
  ApiWorld w(options);
  const std::string citizen = w.server.add_user("citizen");
  const std::string voter = w.server.add_user("voter");  // no address
  w.ok("user_update", R"({"id":"citizen","email":"citizen@example.kr"})", w.sysadmin);
  auto created =
      w.ok("datarequest_create",
           R"({"title":"공영주차장 실시간 주차 대수","organization":"agency-a"})", citizen);
  const std::string id = str(created["result"], "id");
  w.ok("datarequest_vote", R"({"id":")" + id + R"("})", voter);
  w.ok("datarequest_update", R"({"id":")" + id + R"(","status":"reviewing"})", w.admin_a);

  ASSERT_TRUE(eventually([&] {
    return str(newest_notification(w, citizen), "email_state") == "sent";
  })) << w.server.log();
  auto n = newest_notification(w, citizen);
  EXPECT_EQ(n["email_attempts"].GetInt64(), 1);
  EXPECT_EQ(str(n, "email_error"), "");
  // The voter has no address: told in the portal only.
  EXPECT_EQ(str(newest_notification(w, voter), "email_state"), "no_address");

  auto mail = sink.messages();
  ASSERT_EQ(mail.size(), 1u);
  const auto& m = mail[0];
  ASSERT_TRUE(m.IsObject());
  ASSERT_EQ(m["rcpttos"].Size(), 1u);
  EXPECT_STREQ(m["rcpttos"][0].GetString(), "citizen@example.kr");
  EXPECT_EQ(str(m, "to"), "citizen@example.kr");
  EXPECT_EQ(str(m, "mailfrom"), "datamap@example.kr");
  EXPECT_EQ(str(m, "subject"), "[제공신청] 공영주차장 실시간 주차 대수 — 검토중");
  const std::string body = str(m, "body");
  EXPECT_NE(body.find("공영주차장 실시간 주차 대수"), std::string::npos) << body;
  EXPECT_NE(body.find("https://data.example.kr/requests/" + id), std::string::npos) << body;
}

TEST(OutboxMail, WithTheServerDownTheStepSucceedsAndTheRowIsRecordedFailed) {
  DeadPort dead;
  ApiWorld w(mail_config("smtp://mailuser:s3cret-pw@127.0.0.1:" + std::to_string(dead.port())));
  const std::string citizen = w.server.add_user("citizen");
  w.ok("user_update", R"({"id":"citizen","email":"citizen@example.kr"})", w.sysadmin);
  auto created =
      w.ok("datarequest_create", R"({"title":"도서관 좌석","organization":"agency-a"})", citizen);
  const std::string id = str(created["result"], "id");
  // The action answers as usual: the mailer works on its own thread.
  auto step = w.http.action("datarequest_update", R"({"id":")" + id + R"(","status":"reviewing"})",
                            w.admin_a);
  EXPECT_EQ(step.status, 200) << step.body;
  EXPECT_EQ(str(w.ok("datarequest_show", R"({"id":")" + id + R"("})")["result"], "status"),
            "reviewing");

  // Two attempts (mail_max_attempts), a second after the first, then given up.
  ASSERT_TRUE(eventually([&] {
    return str(newest_notification(w, citizen), "email_state") == "failed";
  })) << w.server.log();
  auto n = newest_notification(w, citizen);
  EXPECT_EQ(n["email_attempts"].GetInt64(), 2);
  const std::string error = str(n, "email_error");
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(error.find("s3cret-pw"), std::string::npos) << error;
  EXPECT_EQ(w.server.log().find("s3cret-pw"), std::string::npos) << "nor in the server's log";
  // The notification itself is there, as always.
  EXPECT_EQ(str(n, "link"), "/requests/" + id);
}

}  // namespace
}  // namespace datamap::testing
