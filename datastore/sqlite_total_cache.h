// Exact datastore_search totals kept between requests (issue 13). Counting a common word's
// matches reads its whole FTS5 doclist (`q=주차장`, 560,022 of 1M rows: 0.05–0.45 s of CPU,
// all inside FTS5; the page itself takes 0.1 ms), and a client paging through the matches, or
// several clients asking the same thing, would pay it on every request. The SQLite store counts
// once per table state and reads the count back here.
//
// Contract:
// - A total is found only under the key it was kept with; the store makes the key from
//   everything the count depends on (sqlite_table_store.cpp `total_key`): the count's SQL and
//   bound values, the table's TableStore::revision in this process, and a fingerprint of the
//   table's state read in the same snapshot as the count (the FTS5 index's structure and
//   averages records, which every committed row write changes, whichever connection or process
//   made it). So a kept total is the total the same count would give now.
// - Bounded: at most `capacity` totals; the least recently used goes first. Capacity 0 keeps
//   nothing.
// - Thread-safe (one mutex, held only for the map operations).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace datamap::datastore {

class TotalCache {
 public:
  explicit TotalCache(std::size_t capacity) : capacity_(capacity) {}

  std::optional<std::int64_t> find(const std::string& key);
  void keep(const std::string& key, std::int64_t total);
  bool enabled() const { return capacity_ > 0; }

 private:
  using Order = std::list<std::pair<std::string, std::int64_t>>;  // most recently used first
  std::size_t capacity_;
  std::mutex mutex_;
  Order order_;
  std::unordered_map<std::string, Order::iterator> at_;
};

}  // namespace datamap::datastore
