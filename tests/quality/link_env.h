// A link checker's world: a real SQLite catalog in a temporary directory, the link records
// beside it, and a checker allowed to reach loopback (where the fixture remotes listen) by the
// names 127.0.0.1 and localhost, which it treats as two hosts.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "catalog/ids.h"
#include "catalog/link_checks.h"
#include "catalog/store.h"
#include "quality/link_checker.h"
#include "tests/support/temp_dir.h"

namespace datamap::quality::testing {

inline LinkCheckerSettings loopback_settings() {
  LinkCheckerSettings s;
  s.policy = net::AddressPolicy({"127.0.0.1", "localhost"});
  s.timeout = std::chrono::milliseconds(1000);
  s.per_host_rate = 1000;  // the tests measure concurrency, not pacing, unless they say so
  s.idle_poll = std::chrono::milliseconds(50);
  return s;
}

struct LinkEnv {
  explicit LinkEnv(LinkCheckerSettings settings = loopback_settings())
      : store(catalog::open_sqlite_store(dir.file("catalog.db"))),
        records(catalog::open_sqlite_link_records(dir.file("catalog.db"))),
        checker(*store, *records, std::move(settings)) {}

  // A public dataset with a landing page (may be "") and one resource per URL.
  catalog::Dataset add_dataset(const std::string& name, const std::string& landing,
                               const std::vector<std::string>& urls,
                               const std::string& owner_org = "") {
    catalog::Dataset d;
    d.id = catalog::new_id();
    d.name = name;
    d.title = name;
    d.url = landing;
    d.owner_org = owner_org;
    for (std::size_t i = 0; i < urls.size(); ++i) {
      catalog::Resource r;
      r.id = catalog::new_id();
      r.name = "r" + std::to_string(i);
      r.url = urls[i];
      r.format = "CSV";
      d.resources.push_back(r);
    }
    store->write([&](catalog::Transaction& tx) { tx.insert_dataset(d); });
    checker.notify();
    return d;
  }

  // Polls `done` (a hang guard, not a timing assertion); false when it never came true.
  static bool wait_until(const std::function<bool()>& done,
                         std::chrono::milliseconds limit = std::chrono::milliseconds(20'000)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
  }

  // Waits until the URL has been checked at least `checks` times; its record then.
  std::optional<catalog::LinkRecord> checked(const std::string& url, std::size_t checks = 1) {
    std::optional<catalog::LinkRecord> r;
    wait_until([&] {
      r = records->link(url);
      return r && r->history.size() >= checks;
    });
    return r;
  }

  datamap::testing::TempDir dir;
  std::unique_ptr<catalog::Store> store;
  std::unique_ptr<catalog::LinkRecords> records;
  LinkChecker checker;
};

}  // namespace datamap::quality::testing
