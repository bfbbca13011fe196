// A harvest test's world: a real SQLite catalog in a temporary directory, the harvest records
// beside it, a fetcher allowed to reach loopback (where the fixture server listens), a runner.
#pragma once

#include <memory>
#include <string>

#include "catalog/harvest_records.h"
#include "catalog/store.h"
#include "harvest/job_runner.h"
#include "net/fetcher.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace datamap::harvest::testing {

// Options for a real `datamap serve` whose harvests may reach the fixture remotes on loopback.
inline datamap::testing::TestServer::Options loopback_allowed() {
  datamap::testing::TestServer::Options o;
  o.config_toml = "[harvest]\nallow_hosts = [\"127.0.0.1\"]\n";
  return o;
}

inline net::FetchOptions loopback_fetch_options() {
  net::FetchOptions o;
  o.policy = net::AddressPolicy({"127.0.0.1"});
  o.backoff = std::chrono::milliseconds(10);
  o.connect_timeout = std::chrono::milliseconds(2000);
  o.total_timeout = std::chrono::milliseconds(20000);
  return o;
}

struct HarvestEnv {
  explicit HarvestEnv(net::FetchOptions fetch = loopback_fetch_options())
      : store(catalog::open_sqlite_store(dir.file("catalog.db"))),
        records(catalog::open_sqlite_harvest_records(dir.file("catalog.db"))),
        fetcher(fetch),
        runner(*store, *records, fetcher, settings(dir.path())) {}

  static HarvestSettings settings(const std::string& spool) {
    HarvestSettings s;
    s.spool_dir = spool;
    return s;
  }

  catalog::HarvestSource add_source(const std::string& name, const std::string& type,
                                    const std::string& url, const std::string& config = "",
                                    const std::string& owner_org = "") {
    catalog::HarvestSource s;
    s.name = name;
    s.title = name;
    s.type = type;
    s.url = url;
    s.config = config;
    s.owner_org = owner_org;
    records->put_source(s);
    return s;
  }

  catalog::HarvestJob run(const catalog::HarvestSource& s) {
    return runner.run(new_job(*records, s.id));
  }

  datamap::testing::TempDir dir;
  std::unique_ptr<catalog::Store> store;
  std::unique_ptr<catalog::HarvestRecords> records;
  net::Fetcher fetcher;
  JobRunner runner;
};

}  // namespace datamap::harvest::testing
