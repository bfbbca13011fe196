// A throwaway PostgreSQL server for the tests of one test binary: started on first use (initdb
// into a temporary directory, listening on a free loopback port only, fsync off), stopped and
// removed when the process exits. Debian's server binaries are used (/usr/lib/postgresql/N/bin,
// the newest N; DATAMAP_PG_BIN overrides). PostgreSQL refuses to run as root, and CI runs as
// root: then every server command runs as the `postgres` user the Debian package creates
// (runuser), and the directory is handed to that user.
//
// If the server cannot be started, shared() throws with the reason and the server's log: the
// test fails loudly; nothing is skipped.
#pragma once

#include <string>

namespace datamap::testing {

class PgCluster {
 public:
  static PgCluster& shared();
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // A new, empty database on the shared server, for one test; returns its libpq URL.
  std::string new_database();
  std::string url(const std::string& database) const;
  int port() const { return port_; }

  // For tests of a database that goes away and comes back: stop() shuts the server down (fast:
  // every session is ended, as in a restart or failover) and waits; start() starts it again on
  // the same port and data. Both throw with the server's log when pg_ctl fails.
  void stop();
  void start();

 private:
  PgCluster();
  std::string run_as_server_user(const std::string& command) const;  // shell command line
  bool start_on(int port);  // pg_ctl start on 127.0.0.1:port; false when it failed

  std::string dir_, bin_;
  int port_ = 0;
  bool as_root_ = false;
  int databases_ = 0;
};

}  // namespace datamap::testing
