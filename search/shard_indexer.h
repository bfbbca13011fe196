// Keeps remote Xapian shards following the catalog's change log: the shards' one writer.
//
// The shards are those `datamap reindex --shards N` writes (SearchService::write_shards), each
// served twice by xapian-tcpsrv on its host: read-only for the search nodes (`remote_shards`)
// and `--writable` for this indexer (`remote_shards_writable`), both on the same shard-K/current
// stub. The indexer connects with Xapian::Remote::open_writable, Xapian's own remote writable
// backend, and writes each batch of changes as the local indexer does (SearchService's
// apply_batch), keeping write_shards()' numbering so that the shards searched as one database
// still number every document as the local index does:
//   global docid D  <->  shard (D-1) mod N, local docid (D-1) div N + 1.
// A changed dataset is replaced where it is (found by its id term); a new one takes the next
// global docid (one more than the highest of any shard, as Xapian's joined database counts);
// a purged one is deleted from its shard. Each shard records the last revision applied; the
// indexer resumes from the lowest (a crash between two shards' commits re-applies a batch, which
// replaces the same documents in place).
//
// Tried with the real xapian-tcpsrv 1.4.22 before choosing this (not a writer of shard
// directories served read-only): a --writable server opens the stub's generation for writing per
// connection, so one connection holds Xapian's write lock and a second open_writable gets
// DatabaseLockError; a read-only server on the same stub keeps serving, and its readers see
// each commit after Database::reopen(). That lock is what decides between several nodes
// configured to write: each connects to shard-0 first, then the others in order, and one that
// finds a shard locked lets go of all of them and stands by (SearchService retries).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "catalog/store.h"

namespace Xapian {
class Database;
class WritableDatabase;
}  // namespace Xapian

namespace datamap::search {

// Which shard of how many an index written by write_shards() is ("0/2"), in its metadata.
inline constexpr const char* kShardKey = "datamap.shard";

// Throws ServiceUnavailable unless `shard` is shard `index` of `count` (its datamap.shard
// metadata, written by write_shards) with this build's schema. `address` names it in the message.
void check_shard(const Xapian::Database& shard, std::size_t index, std::size_t count,
                 const std::string& address);

// Not thread-safe: one thread applies batches (SearchService's indexer thread or catch_up, which
// take turns).
class ShardIndexer {
 public:
  // `addresses`: "host:port" of each shard's --writable xapian-tcpsrv, shard-0 first.
  ShardIndexer(catalog::Store& store, std::vector<std::string> addresses, int timeout_ms);
  ~ShardIndexer();
  ShardIndexer(const ShardIndexer&) = delete;
  ShardIndexer& operator=(const ShardIndexer&) = delete;

  // Applies up to `limit` changes after the shards' revision, commits every shard and returns
  // how many were applied (`limit`: more may be waiting). Connects first when it has no
  // connections or they are older than a few seconds (so that a generation written since by
  // `datamap reindex --shards` is followed). Throws Xapian::DatabaseLockError when another
  // writer holds a shard (it then holds no connection), Xapian::NetworkError when a shard cannot
  // be reached, ServiceUnavailable for a shard that is not the one its place says; after any
  // exception it has let go of every connection.
  std::size_t apply_batch(std::size_t limit);

  // The lowest revision the shards record (connecting when needed).
  std::int64_t applied_revision();

  // Lets go of the shards' write locks.
  void disconnect();

 private:
  void connect_if_stale();
  std::size_t apply(std::size_t limit);

  catalog::Store& store_;
  std::vector<std::string> addresses_;
  int timeout_ms_;
  std::vector<std::unique_ptr<Xapian::WritableDatabase>> shards_;
  std::chrono::steady_clock::time_point connected_;
};

}  // namespace datamap::search
