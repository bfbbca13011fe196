// The search service: owns the Xapian index in <data dir>/index, keeps it following the
// catalog's change log, and answers searches from any thread. With remote shards it searches
// them instead, and on the node that writes them keeps them following the change log
// (shard_indexer.h).
//
// Index layout: <dir>/current is a Xapian stub file naming the live generation <dir>/gen-N.
// A generation records the last change-log revision it applied in its metadata, in the same
// commit as the documents, so after a crash the indexer resumes exactly where it stopped.
// reindex() builds gen-N+1 from scratch (in parallel shards, joined by a compaction, documents
// numbered most viewed first), catches it up with the change log and swaps the stub with an
// atomic rename: readers see the old index or the new one, never a half-built one.
// Another process (datamap reindex while a server runs) may swap too: the indexer notices and
// follows the new generation.
// An index written by a build with another schema version (after an upgrade) is rebuilt the
// same way by the background indexer; until the swap, searches use the old one.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catalog/store.h"
#include "search/readings.h"
#include "search/request.h"

namespace datamap::search {

class SynonymTable;

struct SearchOptions {
  std::string index_dir;         // usually <data dir>/index
  std::string synonyms_path;     // data/search/synonyms.txt ("" = default location, see .cpp)
  std::string terms_csv_path;    // data/standard/terms.csv ("" = default location)
  int poll_interval_ms = 100;    // how often the indexer looks at the change log when idle
  std::size_t batch_size = 2000;  // changes applied per commit while the indexer keeps up
  // Changes applied per commit when more than batch_size are waiting (a harvest or an import):
  // the datasets are read in one pass and their documents built on a second thread while the
  // indexer writes them, with a commit per bulk batch rather than per batch_size. 0: no bulk
  // batches (every batch is batch_size, built and written on one thread).
  std::size_t bulk_batch_size = 20000;
  // Shards a reindex builds in parallel and then joins (0: one per core, when each gets at least
  // 20,000 datasets).
  std::size_t reindex_shards = 0;
  // Memory a reindex may use for the documents Xapian buffers before writing them, all shards
  // together (the default is more than the fastest flush interval needs: see service.cpp).
  std::size_t index_memory_megabytes = 1024;
  // Documents per run, a database of its own, joined by one compaction (0: 50,000). Tests set
  // it to force many runs.
  std::size_t reindex_run_documents = 0;
  QueryReadings readings;  // all on unless measuring
  // "host:port" of the xapian-tcpsrv servers of shard-0, shard-1, ... (write_shards(), in that
  // order). When set, searches go to them as one database and this service keeps no local index:
  // it follows no change log and cannot reindex (docs/DEPLOY.md, "Search beyond one node").
  std::vector<std::string> remote_shards;
  // "host:port" of each shard's `xapian-tcpsrv --writable`, in the same order: this node is the
  // shards' writer, its indexer thread follows the change log into them (shard_indexer.h). Of
  // several nodes configured so, the one holding the shards' Xapian write locks writes; the
  // others stand by. Empty: the shards are written elsewhere.
  std::vector<std::string> remote_shards_writable;
  int remote_timeout_ms = 10000;  // a shard that does not answer in time fails the search (503)
};

// Splits "host:port" ("[::1]:port" for IPv6); false unless the port is 1-65535 and the host is
// not empty.
bool parse_shard_address(const std::string& address, std::string& host, int& port);

// The default locations of the synonym files: $DATAMAP_DATA_FILES, then ./data, then the
// source tree the binary was built from.
std::string default_data_file(const std::string& relative);

struct ReindexProgress {
  std::int64_t done = 0;
  std::int64_t total = 0;
  bool finished = false;
};

class SearchService {
 public:
  SearchService(catalog::Store& store, SearchOptions options);
  ~SearchService();  // stops the indexer thread
  SearchService(const SearchService&) = delete;
  SearchService& operator=(const SearchService&) = delete;

  // Starts the background indexer (it first catches up with the change log).
  void start();
  void stop();
  // Wakes the indexer now instead of at its next poll (call after a write, optional).
  void notify();

  // Applies every pending change on the calling thread; returns the revision applied (to the
  // remote shards, on the node that writes them). For the CLI and tests; safe while the
  // background indexer runs (they take turns).
  std::int64_t catch_up();

  // Throws BadRequest("Search Query Error", ...) for malformed or too expensive requests.
  SearchResponse search(const SearchRequest& request);
  // Titles starting with what was typed (the last word may be incomplete), best first.
  std::vector<AutocompleteItem> autocomplete(const std::string& q, std::size_t limit,
                                             const SearchRequest& visibility);

  // Rebuilds the index from the catalog into a new generation and swaps it in.
  void reindex(const std::function<void(const ReindexProgress&)>& progress = {});

  // Writes the catalog as `count` shard indexes <out_dir>/shard-0 ... shard-<count-1>, each in
  // the generation layout above, for xapian-tcpsrv to serve (<out_dir>/shard-K/current). Dataset
  // i of the popularity order goes to shard i mod count as its document i div count + 1, so the
  // shards searched as one database number every document as reindex() does (Xapian interleaves
  // their docids) and ties in ranking break the same way. A snapshot of the catalog at the
  // revision it returns, which a node with remote_shards_writable then keeps following the change
  // log. Run it again to start the shards anew (each shard is swapped atomically; a server's
  // readers and the shards' writer reconnect within seconds and see the new generation).
  std::int64_t write_shards(const std::string& out_dir, std::size_t count,
                            const std::function<void(const ReindexProgress&)>& progress = {});

  // The synonym table and readings searches use, for other indexes analysed the same way
  // (request_index.h).
  const SynonymTable& synonyms() const;
  const QueryReadings& readings() const;

  // Last change-log revision the live index contains (of remote shards: of shard-0's snapshot).
  std::int64_t applied_revision();
  std::int64_t document_count();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace datamap::search
