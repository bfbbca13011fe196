// Two-column B-tree indexes for the pairs of fields users filter on together (issue 13). Two
// equality filters whose values are both common (a code with 28,643 rows AND a category holding
// 93 % of 1M rows) are counted by reading one field's index and seeking every row for the other
// (70–150 ms in SQLite, 0.3 s over HTTP under load); an index on (a, b) answers the same count in
// ~1.6 ms. It costs ~1 s of CPU at 1M rows holding the writer, so it is built only for the pairs
// that are asked for, in the background, never inside a read request.
//
// Contract:
// - note(table, a, b) counts one search with equality filters on fields a and b (either order
//   is the same pair) that found no index on them. The `after`-th note of a pair queues it:
//   `build` then runs on the worker thread, one pair at a time, in the order queued. Notes of a
//   queued pair are not counted; after its build the pair counts from zero again (so a table
//   reloaded without the index gets it back after `after` more searches, and a build that
//   declined is retried no more often than that).
// - `after` 0: nothing is ever queued (no thread is started).
// - The destructor stops the worker after the build in progress; queued pairs are dropped.
//   `build` must not throw out (it is the store's; it reports nothing).
// - Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

namespace datamap::datastore {

class PairIndexes {
 public:
  using Build =
      std::function<void(const std::string& table, const std::string& a, const std::string& b)>;
  PairIndexes(std::int64_t after, Build build) : after_(after), build_(std::move(build)) {}
  ~PairIndexes();
  PairIndexes(const PairIndexes&) = delete;
  PairIndexes& operator=(const PairIndexes&) = delete;

  void note(const std::string& table, std::string a, std::string b);

 private:
  using Pair = std::tuple<std::string, std::string, std::string>;  // table, a < b
  void run();

  const std::int64_t after_;
  Build build_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<Pair, std::int64_t> notes_;  // -1: queued or being built
  std::deque<Pair> queue_;
  bool stop_ = false;
  std::thread worker_;  // started by the first queued pair
};

}  // namespace datamap::datastore
