// The real `datamap serve` (DATAMAP_BINARY, or the DATAMAP_BINARY environment variable) started
// as a child process on a free loopback port with its own data directory, for tests that speak
// HTTP to it. The constructor returns once status_show answers 200; the destructor stops it.
//
//   datamap::testing::TestServer server;                       // fresh temp data dir
//   std::string token = server.add_user("admin", {"--sysadmin"});
//   auto reply = server.client().action("package_show", R"({"id":"x"})", token);
//
// The child gets SIGTERM if the test process dies (PR_SET_PDEATHSIG), so construct servers on
// the test's main thread. Server output (stdout+stderr) goes to log() for failure messages.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace datamap::testing {

// Path of the built `datamap` binary.
std::string datamap_binary();

struct CliResult {
  int exit_code = -1;
  std::string output;  // stdout only
  std::string errors;  // stderr
};
// Runs `datamap ARGS...` to completion (e.g. {"import", "--data", dir, file}).
CliResult run_datamap(const std::vector<std::string>& args);
// Starts `datamap ARGS...` without waiting, stdout and stderr into these files (a test that
// watches its progress or kills it); returns its pid, for wait_datamap.
pid_t start_datamap(const std::vector<std::string>& args, const std::string& out_path,
                    const std::string& err_path);
// Waits for it: its exit code, or 128 + the signal that ended it.
int wait_datamap(pid_t pid);

class TestServer {
 public:
  struct Options {
    std::string data_dir;                 // empty: a fresh temporary directory, removed after
    // Written to <tmp>/datamap.toml and passed as --config. Without a [rate_limit] section,
    // one with limits no test reaches is added.
    std::string config_toml;
    std::vector<std::string> extra_args;  // appended to `serve`
    // A postgresql:// URL: `serve` and add_user() run with --catalog on it; empty: the data
    // directory's SQLite catalog.
    std::string catalog;
  };

  TestServer();
  explicit TestServer(Options options);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT"
  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  HttpClient client() const { return HttpClient(url_); }
  std::string log() const;

  // `datamap user add NAME --data DIR FLAGS...` (e.g. {"--org", "moe", "--role", "editor"});
  // returns the printed token. Fails the test (and throws) if the command fails.
  std::string add_user(const std::string& name, const std::vector<std::string>& flags = {});

  void stop();          // SIGTERM, wait (SIGKILL after 10 s); safe to call twice
  void kill_hard();     // SIGKILL, wait: simulates a crash
  void start();         // starts again on the same data dir (a new port; url() changes)
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }  // the server process, for /proc checks (memory, files)

 private:
  Options options_;
  std::unique_ptr<TempDir> temp_;
  std::string data_dir_;
  std::string log_path_;
  std::string url_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace datamap::testing
