// Read connections for many threads: a thread leases an idle connection (opening one when none
// is idle) and gives it back when the lease ends, so concurrent reads never wait on each other
// or on the writer (WAL readers see the last commit).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/sqlite/connection.h"

namespace datamap::catalog::sqlite {

class ReadPool {
 public:
  explicit ReadPool(std::string path) : path_(std::move(path)) {}

  class Lease {
   public:
    Lease(ReadPool& pool, std::unique_ptr<Connection> c) : pool_(&pool), c_(std::move(c)) {}
    ~Lease() { pool_->give_back(std::move(c_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() { return *c_; }

   private:
    ReadPool* pool_;
    std::unique_ptr<Connection> c_;
  };

  Lease lease();

 private:
  void give_back(std::unique_ptr<Connection> c);

  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace datamap::catalog::sqlite
