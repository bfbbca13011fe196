#include "tests/support/test_server.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace datamap::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// fork + exec with stdout/stderr redirected to files. Everything the child needs is prepared
// before fork: after it only async-signal-safe calls are allowed.
pid_t spawn(const std::vector<std::string>& args, const std::string& out_path,
            const std::string& err_path, bool die_with_parent) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int err = err_path == out_path
                ? out
                : open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0 || err < 0) throw std::runtime_error("cannot open " + out_path);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (die_with_parent) prctl(PR_SET_PDEATHSIG, SIGTERM);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out);
  if (err != out) close(err);
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

std::string datamap_binary() {
  if (const char* env = std::getenv("DATAMAP_BINARY"); env && *env) return env;
  return DATAMAP_BINARY;
}

CliResult run_datamap(const std::vector<std::string>& args) {
  TempDir tmp;
  std::vector<std::string> full{datamap_binary()};
  full.insert(full.end(), args.begin(), args.end());
  pid_t pid = spawn(full, tmp.file("out"), tmp.file("err"), true);
  CliResult r;
  r.exit_code = wait_exit(pid);
  r.output = read_file(tmp.file("out"));
  r.errors = read_file(tmp.file("err"));
  return r;
}

pid_t start_datamap(const std::vector<std::string>& args, const std::string& out_path,
                    const std::string& err_path) {
  std::vector<std::string> full{datamap_binary()};
  full.insert(full.end(), args.begin(), args.end());
  return spawn(full, out_path, err_path, true);
}

int wait_datamap(pid_t pid) {
  return wait_exit(pid);
}

TestServer::TestServer() : TestServer(Options{}) {}

TestServer::TestServer(Options options) : options_(std::move(options)) {
  temp_ = std::make_unique<TempDir>();
  data_dir_ = options_.data_dir.empty() ? temp_->file("data") : options_.data_dir;
  log_path_ = temp_->file("server.log");
  start();
}

TestServer::~TestServer() { stop(); }

std::string TestServer::log() const { return read_file(log_path_); }

void TestServer::start() {
  if (running()) throw std::logic_error("TestServer::start: already running");
  std::vector<std::string> args{datamap_binary(), "serve", "--data", data_dir_, "--host",
                                "127.0.0.1",      "--port", "0"};
  // Suites send many requests from 127.0.0.1, far more than a person would: unless a test sets
  // its own [rate_limit], the anonymous limits are raised out of their way (they stay on, so
  // every request still passes through them).
  std::string toml = options_.config_toml;
  if (toml.find("[rate_limit]") == std::string::npos)
    toml +=
        "\n[rate_limit]\nper_minute = 6000000\nburst = 1000000\n"
        "expensive_per_minute = 6000000\nexpensive_burst = 1000000\n";
  std::string config = temp_->file("datamap.toml");
  std::ofstream(config) << toml;
  args.push_back("--config");
  args.push_back(config);
  if (!options_.catalog.empty()) args.insert(args.end(), {"--catalog", options_.catalog});
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  std::size_t log_offset = read_file(log_path_).size();
  pid_ = spawn(args, log_path_, log_path_, true);

  // The server prints "serving http://127.0.0.1:PORT" once bound; port 0 means no race for a port.
  static const std::regex kUrl(R"(serving (http://127\.0\.0\.1:(\d+)))");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (url_.empty() || port_ == 0) {
    std::string out = read_file(log_path_).substr(log_offset);
    std::smatch m;
    if (std::regex_search(out, m, kUrl)) {
      url_ = m[1];
      port_ = std::stoi(m[2]);
      mark_datamap_server(url_);
      break;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      ADD_FAILURE() << "datamap serve exited before listening:\n" << out;
      throw std::runtime_error("datamap serve exited");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      stop();
      ADD_FAILURE() << "datamap serve did not print its URL in 60 s:\n" << out;
      throw std::runtime_error("datamap serve did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  HttpClient probe(url_, 5);
  while (true) {
    try {
      if (probe.get("/api/3/action/status_show").status == 200) return;
    } catch (const std::exception&) {
    }
    if (std::chrono::steady_clock::now() > deadline) {
      stop();
      ADD_FAILURE() << "status_show never answered 200:\n" << log();
      throw std::runtime_error("datamap serve not ready");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void TestServer::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      wait_exit(pid_);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  url_.clear();
  port_ = 0;
}

void TestServer::kill_hard() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  wait_exit(pid_);
  pid_ = -1;
  url_.clear();
  port_ = 0;
}

std::string TestServer::add_user(const std::string& name, const std::vector<std::string>& flags) {
  std::vector<std::string> args{"user", "add", name, "--data", data_dir_};
  if (!options_.catalog.empty()) args.insert(args.end(), {"--catalog", options_.catalog});
  args.insert(args.end(), flags.begin(), flags.end());
  CliResult r = run_datamap(args);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "datamap user add " << name << " failed (" << r.exit_code
                  << "): " << r.errors << r.output;
    throw std::runtime_error("datamap user add failed");
  }
  std::string token = r.output;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (auto nl = token.rfind('\n'); nl != std::string::npos) token = token.substr(nl + 1);
  return token;
}

}  // namespace datamap::testing
