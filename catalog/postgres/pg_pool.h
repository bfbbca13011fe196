// Connections to one PostgreSQL server kept for reuse: lease() hands out an idle one or opens a
// new one; the lease returns it when it ends, unless it broke or was left inside a transaction
// (then it is closed). An idle connection the server has ended meanwhile (a restart, a
// failover) is closed at lease(), not handed out, so the first request after the database
// comes back succeeds. Thread-safe; each leased connection is used by one thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/postgres/pg_connection.h"

namespace datamap::catalog::postgres {

class ConnectionPool {
 public:
  explicit ConnectionPool(std::string url) : url_(std::move(url)) {}

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
    ~Lease() {
      if (!c_ || PQstatus(c_->handle()) != CONNECTION_OK || c_->in_transaction()) return;
      std::lock_guard lock(pool_.mutex_);
      pool_.idle_.push_back(std::move(c_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Connection> c_;
  };

  Lease lease() {
    for (;;) {
      std::unique_ptr<Connection> c;
      {
        std::lock_guard lock(mutex_);
        if (idle_.empty()) break;
        c = std::move(idle_.back());
        idle_.pop_back();
      }
      if (c->usable_when_idle()) return Lease(*this, std::move(c));
    }
    return Lease(*this, std::make_unique<Connection>(url_));
  }

 private:
  const std::string url_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace datamap::catalog::postgres
