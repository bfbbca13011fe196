#include "tests/support/pg_cluster.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "catalog/postgres/pg_connection.h"

namespace datamap::testing {
namespace {

namespace fs = std::filesystem;

std::string server_bin_dir() {
  if (const char* env = std::getenv("DATAMAP_PG_BIN"); env && *env) return env;
  fs::path best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    int v = std::atoi(e.path().filename().c_str());
    if (v > best_version && fs::exists(e.path() / "bin" / "initdb")) {
      best_version = v;
      best = e.path() / "bin";
    }
  }
  if (best.empty())
    throw std::runtime_error(
        "PostgreSQL's server is not installed (no /usr/lib/postgresql/N/bin/initdb): run "
        "scripts/setup.sh (Debian package postgresql)");
  return best.string();
}

// A port nobody listens on now (the kernel's pick); the server binds it a moment later.
int free_loopback_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error("cannot find a free loopback port");
  ::close(s);
  return ntohs(a.sin_port);
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::mutex databases_mutex;

}  // namespace

PgCluster& PgCluster::shared() {
  static PgCluster cluster;  // stopped by its destructor when the process exits
  return cluster;
}

std::string PgCluster::run_as_server_user(const std::string& command) const {
  // Paths come from mkdtemp and the bin directory: no quoting needed beyond '...'.
  return as_root_ ? "runuser -u postgres -- sh -c '" + command + "'" : command;
}

PgCluster::PgCluster() : bin_(server_bin_dir()), as_root_(::geteuid() == 0) {
  std::string pattern = fs::temp_directory_path().string() + "/datamap-pg-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  if (as_root_) {
    const passwd* pw = ::getpwnam("postgres");
    if (!pw)
      throw std::runtime_error(
          "running as root and there is no `postgres` user to run PostgreSQL as: install "
          "Debian's postgresql package (scripts/setup.sh)");
    if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw std::runtime_error("cannot hand " + dir_ + " to the postgres user");
  }
  // -N: no fsync (a test cluster); trust on loopback only; C locale, UTF-8 as production uses.
  const std::string initdb = bin_ + "/initdb -D " + dir_ + "/data -A trust -U datamap -E UTF8 " +
                             "--locale=C -N > " + dir_ + "/initdb.log 2>&1";
  if (std::system(run_as_server_user(initdb).c_str()) != 0)
    throw std::runtime_error("initdb failed: " + file_text(dir_ + "/initdb.log"));
  // The port is free when picked but another process may take it first: try a few.
  for (int attempt = 0; attempt < 5; ++attempt)
    if (start_on(free_loopback_port())) return;
  const std::string log = file_text(dir_ + "/server.log");
  throw std::runtime_error("PostgreSQL did not start: " + file_text(dir_ + "/pg_ctl.log") + log);
}

bool PgCluster::start_on(int port) {
  port_ = port;
  const std::string start = bin_ + "/pg_ctl -D " + dir_ + "/data -w -t 60 -l " + dir_ +
                            "/server.log -o \"-h 127.0.0.1 -p " + std::to_string(port_) + " -k " +
                            dir_ + " -F -c max_connections=300\" start > " + dir_ +
                            "/pg_ctl.log 2>&1";
  return std::system(run_as_server_user(start).c_str()) == 0;
}

void PgCluster::stop() {
  const std::string stop =
      bin_ + "/pg_ctl -D " + dir_ + "/data -m fast -w -t 60 stop > " + dir_ + "/pg_ctl.log 2>&1";
  if (std::system(run_as_server_user(stop).c_str()) != 0)
    throw std::runtime_error("PostgreSQL did not stop: " + file_text(dir_ + "/pg_ctl.log"));
}

void PgCluster::start() {
  if (!start_on(port_))
    throw std::runtime_error("PostgreSQL did not start again: " + file_text(dir_ + "/pg_ctl.log") +
                             file_text(dir_ + "/server.log"));
}

PgCluster::~PgCluster() {
  const std::string stop = bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate stop > /dev/null 2>&1";
  if (std::system(run_as_server_user(stop).c_str()) != 0) {
    // Nothing else to do at exit; the directory goes anyway.
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PgCluster::url(const std::string& database) const {
  return "postgresql://datamap@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PgCluster::new_database() {
  std::lock_guard lock(databases_mutex);
  const std::string name = "t" + std::to_string(++databases_);
  catalog::postgres::Connection admin(url("postgres"));
  admin.script("CREATE DATABASE " + name);  // name made here, never from input
  return url(name);
}

}  // namespace datamap::testing
