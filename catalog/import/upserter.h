// The "record -> store" step every importer and harvester shares. Records are validated, then
// written in batches (one Store::write transaction per batch): a record whose content_hash equals
// the stored dataset's is left alone (no write, no change-log row), a changed one is updated, a
// new one inserted. Agencies and categories a record names are created on first sight and
// remembered in memory. A record the store refuses with a ValidationError (a name another dataset
// holds) wrote nothing (store.h) and is rejected alone; any other store failure rolls the batch
// back and it is re-written record by record, so one bad record never aborts the import nor
// leaves anything half-written. An optional guard, asked inside the write transaction before
// anything of a record is written, may refuse it (the harvester: "is this still a dataset this
// source may write?").
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "catalog/import/record.h"
#include "catalog/store.h"

namespace datamap::catalog::importer {

class Upserter {
 public:
  enum class Outcome { added, updated, unchanged, rejected };
  // Told the fate of every record given to add(): a rejection at once (with its reason), the
  // others once their batch has committed, in the order they were added. The harvester uses it
  // to track each remote record (its object state and provenance).
  using Listener = std::function<void(const Record&, Outcome, const std::string& reason)>;

  // Batches start at batch_size records. A max_batch_size above it lets them grow with the import
  // (each batch a quarter of the records written so far, up to max_batch_size): a big import then
  // commits a few dozen times instead of hundreds, and each commit rewrites the leaf pages its
  // randomly keyed indexes (dataset ids, resource ids) touched; at a million rows that was most
  // of what the import wrote to disk. Memory grows with it: the queued records of one batch.
  explicit Upserter(Store& store, std::size_t batch_size = 2000, std::size_t max_batch_size = 0);

  void set_listener(Listener listener) { listener_ = std::move(listener); }

  // Asked in the transaction that writes the record, with the stored dataset of the record's id
  // (nullptr when there is none), before the record's agency, groups or dataset are written. A
  // non-empty answer rejects the record with that reason and writes nothing of it.
  using Guard = std::function<std::string(const Record&, const Dataset* existing)>;
  void set_guard(Guard guard) { guard_ = std::move(guard); }

  // Rejects the record at once if it carries errors, fails validation or repeats a dataset
  // already seen in this import; otherwise queues it and writes a batch when the queue is full.
  void add(Record record);
  // Writes whatever is queued. Call once at the end (the importer does).
  void flush();

  ImportSummary& summary() { return summary_; }
  std::size_t records_seen() const { return seen_; }

 private:
  struct Result {
    Outcome outcome;
    std::string reason;  // for `rejected`
  };
  struct Pending {
    std::unordered_map<std::string, std::string> organizations;
    std::unordered_set<std::string> groups;
  };

  void write_batch(std::vector<Record>& batch, std::vector<Result>& results, Pending& pending);
  Result upsert(Transaction& tx, Record& r, Pending& pending);
  void commit(const std::vector<Record>& batch, const std::vector<Result>& results,
              Pending& pending);
  void resolve_organization(Transaction& tx, Record& r, Pending& pending);
  void ensure_groups(Transaction& tx, const Record& r, Pending& pending);
  void reject(const Record& r, std::string reason);

  Store& store_;
  Listener listener_;
  Guard guard_;
  std::size_t batch_size_;
  std::size_t max_batch_size_;
  std::size_t written_ = 0;  // records given to write_batch so far
  std::vector<Record> queue_;
  ImportSummary summary_;
  std::size_t seen_ = 0;
  std::unordered_map<std::string, std::string> seen_ids_;       // dataset id -> where
  std::unordered_map<std::string, std::string> organizations_;  // record org key -> stored id
  std::unordered_set<std::string> groups_;                      // group names known to exist
};

}  // namespace datamap::catalog::importer
