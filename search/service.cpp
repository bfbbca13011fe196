#include "search/service.h"

#include <fcntl.h>
#include <unistd.h>
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "catalog/errors.h"
#include "search/doc_table.h"
#include "search/document.h"
#include "search/document_stream.h"
#include "search/romanization.h"
#include "search/schema.h"
#include "search/searcher.h"
#include "search/shard_indexer.h"
#include "search/synonyms.h"
#include "search/typo.h"

#ifndef DATAMAP_DATA_FILES_DIR
#define DATAMAP_DATA_FILES_DIR "data"
#endif

namespace fs = std::filesystem;

namespace datamap::search {

std::string default_data_file(const std::string& relative) {
  if (const char* env = std::getenv("DATAMAP_DATA_FILES")) {
    if (fs::exists(fs::path(env) / relative)) return (fs::path(env) / relative).string();
  }
  if (fs::exists(fs::path("data") / relative)) return (fs::path("data") / relative).string();
  return (fs::path(DATAMAP_DATA_FILES_DIR) / relative).string();
}

namespace {

constexpr const char* kStubName = "current";
// A reader of remote shards connects again after this long, so that it sees a shard generation
// written since (xapian-tcpsrv opens the stub anew for each connection).
constexpr auto kRemoteReconnect = std::chrono::seconds(5);
// ... and reopens its connections (one round trip per shard) before a search when it last did
// longer ago than this, so that it sees what the shard indexer committed since.
constexpr auto kRemoteReopen = std::chrono::milliseconds(200);
// A node configured to write the shards that finds another writer holding them tries again after
// this long (that writer may stop).
constexpr auto kStandbyRetry = std::chrono::seconds(2);

// A rebuild writes one shard per core (at most kMaxShards) when each gets this many documents.
constexpr std::size_t kMinDocumentsPerShard = 20000;
constexpr std::size_t kMaxShards = 4;
// A rebuild writes each run of this many documents (in the popularity order) as a database of
// its own, so that Xapian's flushes merge into short lists, not into lists that grow with the
// whole catalog; the runs are joined by one compaction.
constexpr std::size_t kRunDocuments = 50000;
// Xapian's buffered postings per document of a rebuild (~10 KB measured at 200k generated
// datasets, docs/BENCHMARKS.md, rounded up), and the flush interval measured fastest for bulk
// loads (bench/search_bench reindex; 32,000-document buffers were 40% slower).
constexpr std::size_t kBufferedBytesPerDocument = 16 * 1024;
constexpr std::size_t kFlushDocuments = 2000;
// Index block size: 32 KiB blocks searched ~10% faster than Xapian's default 8 KiB at 1M
// documents (fewer reads per posting list).
constexpr unsigned kBlockSize = 32768;

// The generation the stub names ("gen-7"), or "" when there is no index yet.
std::string read_current(const fs::path& dir) {
  std::ifstream in(dir / kStubName);
  std::string kind, target;
  if (!(in >> kind >> target)) return {};
  return target;
}

// Points the stub at `gen` atomically: write a temporary stub, then rename it over the old one.
void write_current(const fs::path& dir, const std::string& gen) {
  fs::path tmp = dir / (std::string(kStubName) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "auto " << gen << "\n";
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, dir / kStubName);
}

// fsyncs every file of a directory.
void sync_files(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    int fd = ::open(e.path().c_str(), O_RDONLY);
    if (fd < 0) throw std::runtime_error("cannot open " + e.path().string());
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw std::runtime_error("cannot sync " + e.path().string());
  }
}

// Removes every generation of `dir` but the live one and `keep`.
void remove_other_generations(const fs::path& dir, const std::string& keep) {
  const std::string current = read_current(dir);
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.rfind("gen-", 0) == 0 && n != current && n != keep) {
      std::error_code ec;
      fs::remove_all(e.path(), ec);
    }
  }
}

std::string next_generation(const fs::path& dir) {
  int max = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.rfind("gen-", 0) == 0) max = std::max(max, std::atoi(n.c_str() + 4));
  }
  return "gen-" + std::to_string(max + 1);
}

std::int64_t revision_of(const Xapian::Database& db) {
  std::string v = db.get_metadata(schema::kRevisionKey);
  return v.empty() ? 0 : std::stoll(v);
}

// The live index was written by a build with another schema::kSchemaVersion.
struct OutdatedSchema : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Reader {
  std::unique_ptr<Xapian::Database> db;
  std::string gen;
  std::uint64_t version = 0;
  std::chrono::steady_clock::time_point opened;    // of remote shards: when it connected
  std::chrono::steady_clock::time_point reopened;  // ... and when it last reopened
};

// The shards as one database: each connection checked to be the shard its place in the list
// says, of a set of that many, written with this schema (Xapian numbers the documents of
// databases joined in this order by interleaving their docids: write_shards()).
std::unique_ptr<Xapian::Database> open_remote_shards(const std::vector<std::string>& addresses,
                                                     int timeout_ms) {
  auto all = std::make_unique<Xapian::Database>();
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    std::string host;
    int port = 0;
    if (!parse_shard_address(addresses[i], host, port)) {
      throw std::invalid_argument("search shard address '" + addresses[i] + "' is not host:port");
    }
    Xapian::Database shard =
        Xapian::Remote::open(host, static_cast<unsigned>(port), static_cast<unsigned>(timeout_ms),
                             static_cast<unsigned>(timeout_ms));
    check_shard(shard, i, addresses.size(), addresses[i]);
    all->add_database(shard);
  }
  return all;
}

}  // namespace

struct SearchService::Impl {
  catalog::Store& store;
  SearchOptions opt;
  fs::path dir;
  SynonymTable synonyms;

  std::mutex write_mu;  // the writer, catch-up and swaps take turns
  std::unique_ptr<Xapian::WritableDatabase> writer;
  std::string writer_gen;

  std::mutex pool_mu;
  std::vector<std::unique_ptr<Reader>> pool;
  std::atomic<std::uint64_t> version{1};  // bumped after every commit and swap

  // The in-memory doc table of the live generation (doc_table.h), shared by every reader.
  std::shared_mutex table_mu;
  std::unique_ptr<DocTable> table;
  std::string table_gen;
  Xapian::rev table_xapian_revision = 0;  // of the index, for a cheap freshness check
  std::int64_t table_revision = 0;        // of the catalog's change log

  std::thread thread;
  std::atomic<bool> running{false};
  std::mutex wake_mu;
  std::condition_variable wake;
  bool woken = false;

  // Of a node that writes remote shards (opt.remote_shards_writable): their change-log
  // follower, used under write_mu.
  std::unique_ptr<ShardIndexer> shard_indexer;

  bool remote() const { return !opt.remote_shards.empty(); }

  Impl(catalog::Store& s, SearchOptions o) : store(s), opt(std::move(o)), dir(opt.index_dir) {
    if (opt.synonyms_path.empty()) opt.synonyms_path = default_data_file("search/synonyms.txt");
    if (opt.terms_csv_path.empty()) opt.terms_csv_path = default_data_file("standard/terms.csv");
    synonyms.load_curated(opt.synonyms_path);
    synonyms.load_standard_terms(opt.terms_csv_path);
    // Built here rather than by the first search (ICU romanises the vocabulary: ~0.2 s).
    if (opt.readings.typos) default_typo_corrector();
    if (opt.readings.romanized) default_romanized_lexicon();
    if (opt.readings.english_names) {
      synonyms.load_standard_words(
          (fs::path(opt.terms_csv_path).parent_path() / "words.csv").string());
    }
    if (opt.readings.english_dictionary) {
      synonyms.load_english(default_data_file("search/english.txt"));
    }
    // Agencies' English names and acronyms, in english.txt's format (Korea Racing Authority,
    // KOSPO): English queries name the publisher as often as the subject.
    if (opt.readings.agency_names) {
      synonyms.load_english(default_data_file("search/english_agencies.txt"));
    }
    if (opt.readings.related_words) synonyms.load_related(default_data_file("search/related.txt"));
    if (!opt.remote_shards_writable.empty()) {
      if (opt.remote_shards_writable.size() != opt.remote_shards.size()) {
        throw std::invalid_argument(
            "remote_shards_writable must name as many shards as remote_shards, in the same order");
      }
      shard_indexer =
          std::make_unique<ShardIndexer>(store, opt.remote_shards_writable, opt.remote_timeout_ms);
    }
    if (remote()) return;  // no local index
    fs::create_directories(dir);
    std::lock_guard lock(write_mu);
    if (read_current(dir).empty() || !fs::exists(dir / read_current(dir))) {
      std::string gen = next_generation(dir);
      Xapian::WritableDatabase db((dir / gen).string(), Xapian::DB_CREATE_OR_OPEN);
      db.set_metadata(schema::kSchemaKey, schema::kSchemaVersion);
      db.commit();
      write_current(dir, gen);
    }
    remove_old_generations();
  }

  void remove_old_generations() { remove_other_generations(dir, writer_gen); }

  // Under write_mu: makes `writer` the live generation's (another process may have swapped).
  Xapian::WritableDatabase& live_writer() {
    std::string gen = read_current(dir);
    if (!writer || gen != writer_gen) {
      writer.reset();
      writer = std::make_unique<Xapian::WritableDatabase>((dir / gen).string(),
                                                          Xapian::DB_CREATE_OR_OPEN);
      writer_gen = gen;
      const std::string schema_version = writer->get_metadata(schema::kSchemaKey);
      if (!schema_version.empty() && schema_version != schema::kSchemaVersion) {
        writer.reset();
        writer_gen.clear();
        throw OutdatedSchema("the search index has schema " + schema_version + ", this build " +
                             schema::kSchemaVersion);
      }
      version.fetch_add(1);
    }
    return *writer;
  }

  // Changes one batch may take: a follower that keeps up finds fewer than opt.batch_size.
  std::size_t batch_limit() const { return std::max(opt.batch_size, opt.bulk_batch_size); }

  // Applies up to one batch of changes to `db` and commits; returns how many were applied
  // (batch_limit(): more may be waiting). More than opt.batch_size pending (a harvest or an
  // import writing thousands of datasets) is a bulk batch: up to opt.bulk_batch_size changes in
  // one commit, the documents built on a second thread while this one writes them.
  std::size_t apply_batch(Xapian::WritableDatabase& db) {
    const std::int64_t from = revision_of(db);
    auto changes = store.changes_since(from, batch_limit());
    if (changes.empty()) return 0;
    std::set<std::string> datasets;
    for (const auto& term : touched_terms(store, changes)) {
      if (term.rfind(schema::kId, 0) == 0) {
        datasets.insert(term.substr(std::string_view(schema::kId).size()));
      } else {
        for (auto& id : ids_with_term(db, term)) datasets.insert(std::move(id));
      }
    }
    const std::vector<std::string> ids(datasets.begin(), datasets.end());
    std::set<std::string> written;
    std::unordered_map<std::string, Xapian::termcount> spelling;
    const bool bulk = changes.size() > opt.batch_size;
    build_documents(store, ids, bulk, [&](BuiltDocument& built) {
      db.replace_document(built.id_term, built.doc);
      written.insert(built.id_term);
      for (const auto& w : built.title_words) ++spelling[w];
    });
    // Purged from the catalog (drafts and deleted datasets stay indexed: schema.h, kState).
    for (const auto& id : ids) {
      if (!written.contains(schema::kId + id)) db.delete_document(schema::kId + id);
    }
    for (const auto& [word, n] : spelling) db.add_spelling(word, n);
    db.set_metadata(schema::kRevisionKey, std::to_string(changes.back().revision));
    db.commit();
    version.fetch_add(1);
    return changes.size();
  }

  std::int64_t catch_up() {
    std::lock_guard lock(write_mu);
    if (shard_indexer) {
      while (shard_indexer->apply_batch(batch_limit()) == batch_limit()) {
      }
      return shard_indexer->applied_revision();
    }
    Xapian::WritableDatabase& db = live_writer();
    while (apply_batch(db) == batch_limit()) {
    }
    return revision_of(db);
  }

  // The indexer thread of a node that writes remote shards: ShardIndexer's batches, and while
  // another node's indexer holds the shards' write locks, a retry every kStandbyRetry.
  void run_shard_indexer() {
    bool standing_by = false;
    while (running) {
      std::size_t applied = 0;
      auto pause = std::chrono::milliseconds(opt.poll_interval_ms);
      try {
        std::lock_guard lock(write_mu);
        applied = shard_indexer->apply_batch(batch_limit());
        if (standing_by) std::fprintf(stderr, "search shard indexer: writing the shards\n");
        standing_by = false;
      } catch (const Xapian::DatabaseLockError& e) {
        if (!standing_by) {
          std::fprintf(stderr,
                       "search shard indexer: another indexer writes the shards (%s): standing "
                       "by\n",
                       e.get_msg().c_str());
        }
        standing_by = true;
        pause = kStandbyRetry;
      } catch (const Xapian::Error& e) {
        std::fprintf(stderr, "search shard indexer: %s\n", e.get_description().c_str());
        pause = kStandbyRetry;
      } catch (const std::exception& e) {
        std::fprintf(stderr, "search shard indexer: %s\n", e.what());
        pause = kStandbyRetry;
      }
      if (applied == batch_limit()) continue;  // more waiting: no pause
      std::unique_lock lock(wake_mu);
      wake.wait_for(lock, pause, [&] { return woken || !running; });
      woken = false;
    }
    std::lock_guard lock(write_mu);
    shard_indexer->disconnect();  // the write locks, for a standby node
  }

  void run() {
    if (shard_indexer) {
      run_shard_indexer();
      return;
    }
    warm_table();
    while (running) {
      std::size_t applied = 0;
      try {
        std::lock_guard lock(write_mu);
        applied = apply_batch(live_writer());
      } catch (const OutdatedSchema& e) {
        // An index written by an older build (after an upgrade): rebuild it from the catalog in
        // the background; searches are answered from the old one until the swap.
        std::fprintf(stderr, "search indexer: %s: rebuilding it from the catalog\n", e.what());
        try {
          rebuild({});
          std::fprintf(stderr, "search indexer: rebuilt\n");
          warm_table();
        } catch (const std::exception& re) {
          std::fprintf(stderr, "search indexer: rebuild failed: %s\n", re.what());
        } catch (const Xapian::Error& re) {
          std::fprintf(stderr, "search indexer: rebuild failed: %s\n",
                       re.get_description().c_str());
        }
        continue;
      } catch (const Xapian::DatabaseLockError&) {
        // another process is writing this generation (a reindex catching up): wait our turn
        std::lock_guard lock(write_mu);
        writer.reset();
        writer_gen.clear();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "search indexer: %s\n", e.what());
      } catch (const Xapian::Error& e) {
        std::fprintf(stderr, "search indexer: %s\n", e.get_description().c_str());
      }
      if (applied == batch_limit()) continue;  // more waiting: no pause
      std::unique_lock lock(wake_mu);
      wake.wait_for(lock, std::chrono::milliseconds(opt.poll_interval_ms),
                    [&] { return woken || !running; });
      woken = false;
    }
  }

  // Writes the documents of these datasets, in this order, into a new database at `path`.
  void build_run(const fs::path& path, std::span<const std::string> ids,
                 const std::function<void()>& on_document) {
    // No fsync: a run is scratch until the joined generation is synced (rebuild()).
    Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC,
                                kBlockSize);
    std::unordered_map<std::string, Xapian::termcount> spelling;
    // every state: drafts and deleted datasets are indexed too (schema.h: kState)
    build_documents(store, ids, false, [&](BuiltDocument& built) {
      db.add_document(built.doc);  // a fresh database and each id once: no lookup needed
      for (const auto& w : built.title_words) ++spelling[w];
      on_document();
    });
    for (const auto& [word, n] : spelling) db.add_spelling(word, n);
    db.commit();
  }

  // Documents Xapian buffers before it writes them into a run's tables: what each shard's share
  // of the memory budget holds, and at most kFlushDocuments.
  std::size_t flush_documents(std::size_t shards) const {
    const std::size_t share =
        opt.index_memory_megabytes * 1024 * 1024 / std::max<std::size_t>(shards, 1);
    return std::clamp<std::size_t>(share / kBufferedBytesPerDocument, 1, kFlushDocuments);
  }

  // Builds a new generation from the catalog, catches it up and swaps it in (see the header).
  void rebuild(const std::function<void(const ReindexProgress&)>& progress) {
    Impl& im = *this;
    std::string gen;
    {
      std::lock_guard lock(im.write_mu);
      gen = next_generation(im.dir);
      fs::create_directories(im.dir / gen);  // reserve the name
    }
    // Documents are numbered most viewed first (the order the runs are built and joined in),
    // so that ranked searches can stop early (doc_table.h). Changes after this revision are
    // applied after the bulk load, so nothing is missed; a dataset seen in both is written twice.
    const std::int64_t start_revision = im.store.head_revision();
    // Drafts and deleted datasets come last: found only when asked for (schema.h: kState).
    const std::vector<std::string> ids = im.store.dataset_ids_by_views();
    ReindexProgress p;
    p.total = static_cast<std::int64_t>(ids.size());
    if (progress) progress(p);
    // Xapian's indexing is single-threaded per database and most of a rebuild's CPU: one
    // shard per core takes the next run of the order, builds it as a database of its own within
    // its share of the memory budget, and all runs are joined in order by one compaction (which
    // also leaves the index fully packed, in bigger blocks: both measured faster to search,
    // docs/BENCHMARKS.md).
    std::size_t shards = im.opt.reindex_shards;
    if (shards == 0) {
      shards = ids.size() < kMinDocumentsPerShard * 2
                   ? 1
                   : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxShards);
    }
    shards = std::clamp<std::size_t>(shards, 1, std::max<std::size_t>(ids.size(), 1));
    const std::size_t per_run =
        opt.reindex_run_documents > 0 ? opt.reindex_run_documents : kRunDocuments;
    const std::size_t runs = std::max<std::size_t>((ids.size() + per_run - 1) / per_run, 1);
    std::vector<fs::path> parts;
    for (std::size_t i = 0; i < runs; ++i) {
      parts.push_back(im.dir / (gen + ".part-" + std::to_string(i)));  // cleaned up like any gen-
    }
    // Xapian writes its buffered postings every XAPIAN_FLUSH_THRESHOLD documents (read when a
    // database opens). A value set by the operator is kept.
    static const bool threshold_from_operator = std::getenv("XAPIAN_FLUSH_THRESHOLD") != nullptr;
    if (!threshold_from_operator) {
      setenv("XAPIAN_FLUSH_THRESHOLD", std::to_string(flush_documents(shards)).c_str(), 1);
    }
    std::mutex progress_mu;
    std::atomic<std::size_t> next_run{0};
    std::atomic<bool> failed{false};
    std::vector<std::exception_ptr> errors(shards);
    std::vector<std::thread> workers;
    for (std::size_t i = 0; i < shards; ++i) {
      workers.emplace_back([&, i] {
        try {
          for (std::size_t r = next_run++; r < runs && !failed; r = next_run++) {
            const std::size_t from = std::min(r * per_run, ids.size());
            const std::size_t to = std::min(from + per_run, ids.size());
            build_run(parts[r], std::span(ids).subspan(from, to - from), [&] {
              std::lock_guard lock(progress_mu);
              ++p.done;
              if (progress && (p.done % 1000 == 0 || p.done == p.total)) progress(p);
            });
          }
        } catch (...) {
          errors[i] = std::current_exception();
          failed = true;
        }
      });
    }
    for (auto& w : workers) w.join();
    auto remove_parts = [&] {
      std::error_code ec;
      for (const auto& part : parts) fs::remove_all(part, ec);
    };
    for (auto& e : errors) {
      if (e) {
        remove_parts();
        std::rethrow_exception(e);
      }
    }
    {
      Xapian::Database all;
      for (const auto& part : parts) all.add_database(Xapian::Database(part.string()));
      fs::remove_all(im.dir / gen);  // compact() creates it
      all.compact((im.dir / gen).string(), 0, kBlockSize);  // docids follow the shards in order
    }
    remove_parts();
    sync_files(im.dir / gen);  // on disk before the stub can name it
    {
      Xapian::WritableDatabase db((im.dir / gen).string(), Xapian::DB_OPEN);
      db.set_metadata(schema::kSchemaKey, schema::kSchemaVersion);
      db.set_metadata(schema::kRevisionKey, std::to_string(start_revision));
      db.commit();
      while (im.apply_batch(db) == im.batch_limit()) {
      }
    }
    {
      // Swap: the last changes under the writer lock, then the stub.
      std::lock_guard lock(im.write_mu);
      {
        Xapian::WritableDatabase db((im.dir / gen).string(), Xapian::DB_OPEN);
        while (im.apply_batch(db) > 0) {
        }
      }
      write_current(im.dir, gen);
      im.writer.reset();
      im.writer_gen.clear();
      im.version.fetch_add(1);
      im.remove_old_generations();
    }
    p.finished = true;
    if (progress) progress(p);
  }

  // Writes one shard (see SearchService::write_shards) and swaps it in.
  void write_shard(const fs::path& shard_dir, std::size_t index, std::size_t count,
                   std::span<const std::string> ids, std::int64_t revision,
                   const std::function<void()>& on_document) {
    fs::create_directories(shard_dir);
    const std::string gen = next_generation(shard_dir);
    const fs::path part = shard_dir / (gen + ".part");  // cleaned up like any gen-
    build_run(part, ids, on_document);
    {
      Xapian::Database built(part.string());
      built.compact((shard_dir / gen).string(), 0, kBlockSize);  // packed, as rebuild() leaves it
    }
    fs::remove_all(part);
    sync_files(shard_dir / gen);
    {
      Xapian::WritableDatabase db((shard_dir / gen).string(), Xapian::DB_OPEN);
      db.set_metadata(schema::kSchemaKey, schema::kSchemaVersion);
      db.set_metadata(schema::kRevisionKey, std::to_string(revision));
      db.set_metadata(kShardKey, std::to_string(index) + "/" + std::to_string(count));
      db.commit();
    }
    write_current(shard_dir, gen);
    remove_other_generations(shard_dir, "");
  }

  std::int64_t write_shards(const fs::path& out, std::size_t count,
                            const std::function<void(const ReindexProgress&)>& progress) {
    if (count < 1) throw std::invalid_argument("at least one shard");
    const std::int64_t revision = store.head_revision();
    const std::vector<std::string> ids = store.dataset_ids_by_views();  // as rebuild() numbers them
    std::vector<std::vector<std::string>> shard_ids(count);
    for (std::size_t i = 0; i < ids.size(); ++i) shard_ids[i % count].push_back(ids[i]);
    ReindexProgress p;
    p.total = static_cast<std::int64_t>(ids.size());
    if (progress) progress(p);
    std::mutex progress_mu;
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(count);
    std::vector<std::thread> workers;
    const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1,
                                                        std::min(count, kMaxShards));
    for (std::size_t t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        for (std::size_t k = next++; k < count; k = next++) {
          try {
            write_shard(out / ("shard-" + std::to_string(k)), k, count, shard_ids[k], revision,
                        [&] {
                          std::lock_guard lock(progress_mu);
                          ++p.done;
                          if (progress && (p.done % 1000 == 0 || p.done == p.total)) progress(p);
                        });
          } catch (...) {
            errors[k] = std::current_exception();
          }
        }
      });
    }
    for (auto& w : workers) w.join();
    for (auto& e : errors) {
      if (e) std::rethrow_exception(e);
    }
    p.finished = true;
    if (progress) progress(p);
    return revision;
  }

  // ---- readers

  std::unique_ptr<Reader> acquire() {
    std::unique_ptr<Reader> r;
    {
      std::lock_guard lock(pool_mu);
      if (!pool.empty()) {
        r = std::move(pool.back());
        pool.pop_back();
      }
    }
    if (!r) r = std::make_unique<Reader>();
    return r;
  }

  void refresh(Reader& r, bool force) {
    if (remote()) {
      const auto now = std::chrono::steady_clock::now();
      if (!r.db || force || now - r.opened > kRemoteReconnect) {
        r.db.reset();  // its connections first
        r.db = open_remote_shards(opt.remote_shards, opt.remote_timeout_ms);
        r.opened = r.reopened = now;
      } else if (now - r.reopened > kRemoteReopen) {
        r.db->reopen();  // what the shard indexer committed since
        r.reopened = now;
      }
      return;
    }
    const std::string gen = read_current(dir);
    const std::uint64_t v = version.load();
    if (!r.db || r.gen != gen || force) {
      r.db = std::make_unique<Xapian::Database>((dir / gen).string());
      r.gen = gen;
      r.version = v;
    } else if (r.version != v) {
      r.db->reopen();
      r.version = v;
    }
  }

  void release(std::unique_ptr<Reader> r) {
    std::lock_guard lock(pool_mu);
    if (pool.size() < 16) pool.push_back(std::move(r));
  }

  // ---- the doc table

  // A shared lock on `table`, brought up to the revision of `db`, a reader of generation `gen`.
  std::shared_lock<std::shared_mutex> table_for(const Xapian::Database& db, const std::string& gen) {
    for (;;) {
      {
        std::shared_lock lock(table_mu);
        if (table && table_gen == gen && table_xapian_revision >= db.get_revision()) return lock;
      }
      std::unique_lock lock(table_mu);
      if (table && table_gen == gen && table_xapian_revision >= db.get_revision()) continue;
      const std::int64_t revision = revision_of(db);
      if (!table || table_gen != gen || !bring_table_forward(db, revision)) {
        table = std::make_unique<DocTable>(db);
      }
      table_gen = gen;
      table_revision = revision;
      table_xapian_revision = db.get_revision();
    }
  }

  // Under table_mu: re-reads the documents changed since the table's revision. False when so
  // many changed that reading the whole table again is cheaper.
  bool bring_table_forward(const Xapian::Database& db, std::int64_t revision) {
    constexpr std::size_t kMaxChanges = 50000;
    std::set<std::string> terms;
    std::size_t seen = 0;
    for (std::int64_t from = table_revision; from < revision;) {
      auto changes = store.changes_since(from, 5000);
      std::erase_if(changes, [&](const catalog::Change& c) { return c.revision > revision; });
      if (changes.empty()) break;
      seen += changes.size();
      if (seen > kMaxChanges) return false;
      terms.merge(touched_terms(store, changes));
      from = changes.back().revision;
    }
    table->update(db, terms);
    return true;
  }

  // Runs fn with an up-to-date reader and its doc table; a reader overtaken by the writer is
  // reopened and retried.
  template <typename Fn>
  auto with_reader(Fn fn) {
    auto r = acquire();
    for (int attempt = 0;; ++attempt) {
      try {
        refresh(*r, attempt > 0);
        auto result = fn(*r);
        release(std::move(r));
        return result;
      } catch (const Xapian::DatabaseError&) {
        // Overtaken by the writer, or a swap removed the generation being opened: the stub
        // names a newer one, so open again.
        if (attempt >= 5) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(attempt));
      } catch (const Xapian::NetworkError& e) {
        // A remote shard restarted (connect again) or is down (say so: not a bug, a 503).
        if (!remote()) throw;
        if (attempt >= 1) {
          throw ServiceUnavailable("a search shard cannot be reached: " + e.get_msg(), 5);
        }
      }
    }
  }

  // Reads the doc table of the live generation now, so that the first search after a start or
  // a swap does not wait for it (about a second at 1M datasets).
  void warm_table() {
    if (remote()) return;  // searches of remote shards use no doc table
    try {
      with_reader([&](const Reader& r) {
        auto lock = table_for(*r.db, r.gen);
        return 0;
      });
    } catch (const std::exception& e) {
      std::fprintf(stderr, "search indexer: %s\n", e.what());
    } catch (const Xapian::Error& e) {
      std::fprintf(stderr, "search indexer: %s\n", e.get_description().c_str());
    }
  }
};

SearchService::SearchService(catalog::Store& store, SearchOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {}

SearchService::~SearchService() {
  stop();
}

void SearchService::start() {
  if (impl_->remote() && !impl_->shard_indexer) return;  // no index to keep
  if (impl_->running.exchange(true)) return;
  impl_->thread = std::thread([this] { impl_->run(); });
}

void SearchService::stop() {
  if (!impl_->running.exchange(false)) return;
  notify();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void SearchService::notify() {
  {
    std::lock_guard lock(impl_->wake_mu);
    impl_->woken = true;
  }
  impl_->wake.notify_one();
}

std::int64_t SearchService::catch_up() {
  if (impl_->remote() && !impl_->shard_indexer) return applied_revision();  // another node's
  return impl_->catch_up();
}

SearchResponse SearchService::search(const SearchRequest& request) {
  return impl_->with_reader([&](const Reader& r) {
    if (impl_->remote()) {
      return run_search(*r.db, nullptr, impl_->synonyms, impl_->opt.readings, request);
    }
    auto lock = impl_->table_for(*r.db, r.gen);
    return run_search(*r.db, impl_->table.get(), impl_->synonyms, impl_->opt.readings, request);
  });
}

std::vector<AutocompleteItem> SearchService::autocomplete(const std::string& q, std::size_t limit,
                                                          const SearchRequest& visibility) {
  return impl_->with_reader(
      [&](const Reader& r) { return run_autocomplete(*r.db, q, limit, visibility); });
}

const SynonymTable& SearchService::synonyms() const {
  return impl_->synonyms;
}

const QueryReadings& SearchService::readings() const {
  return impl_->opt.readings;
}

std::int64_t SearchService::applied_revision() {
  return impl_->with_reader([](const Reader& r) { return revision_of(*r.db); });
}

std::int64_t SearchService::document_count() {
  // Active datasets: drafts and deleted ones are indexed too but found only when asked for.
  return impl_->with_reader([](const Reader& r) {
    const std::string state = schema::kState;
    return static_cast<std::int64_t>(r.db->get_doccount()) -
           static_cast<std::int64_t>(r.db->get_termfreq(state + "draft")) -
           static_cast<std::int64_t>(r.db->get_termfreq(state + "deleted"));
  });
}

void SearchService::reindex(const std::function<void(const ReindexProgress&)>& progress) {
  if (impl_->remote()) {
    throw std::runtime_error(
        "this node searches remote shards: write them with "
        "`datamap reindex --shards N` on the catalog's indexer node");
  }
  impl_->rebuild(progress);
}

std::int64_t SearchService::write_shards(
    const std::string& out_dir, std::size_t count,
    const std::function<void(const ReindexProgress&)>& progress) {
  return impl_->write_shards(out_dir, count, progress);
}

bool parse_shard_address(const std::string& address, std::string& host, int& port) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) return false;
  host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string digits = address.substr(colon + 1);
  if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  port = std::stoi(digits);
  return !host.empty() && port >= 1 && port <= 65535;
}

}  // namespace datamap::search
