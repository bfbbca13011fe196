// What every record store on PostgreSQL beside the Store (pg_demand.cpp, pg_links.cpp,
// pg_quality_history.cpp, pg_harvest_records.cpp) keeps: one connection of its own, migrated
// when first opened, behind a mutex, replaced when the server drops it — as the SQLite record
// stores keep theirs (catalog/sqlite/records.h).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "catalog/postgres/pg_connection.h"
#include "catalog/postgres/pg_migrations.h"
#include "catalog/postgres/pg_retry.h"

namespace datamap::catalog::postgres {

class OwnConnection {
 protected:
  explicit OwnConnection(std::string url) : url_(std::move(url)) {
    c_ = std::make_unique<Connection>(url_);
    migrate(*c_);
  }
  // The connection, reconnected if the server dropped it or is ending it; call with mutex_ held.
  Connection& c() {
    if (!c_ || !c_->usable_when_idle()) {
      c_.reset();  // a failed reconnect leaves none, and the next call tries again
      c_ = std::make_unique<Connection>(url_);
    }
    return *c_;
  }
  // fn's statements in one transaction (without the catalog's write lock: nothing logged). A
  // serialization failure or deadlock runs fn again (retry_conflicts, pg_retry.h).
  template <typename Fn>
  auto in_transaction(Fn fn) {
    return retry_conflicts([&] {
      Connection& conn = c();
      TransactionScope tx(conn);
      auto out = fn(conn);
      tx.commit();
      return out;
    });
  }
  std::mutex mutex_;

 private:
  std::string url_;
  std::unique_ptr<Connection> c_;
};

}  // namespace datamap::catalog::postgres
