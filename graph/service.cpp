#include "graph/service.h"

#include <malloc.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <unordered_set>

#include "catalog/visibility.h"

namespace datamap::graph {

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
// The map is one snapshot for every caller, so it holds public datasets only.
bool on_the_map(const catalog::Dataset& d) {
  return catalog::is_public(d);
}
}  // namespace

std::string default_terms_path() {
  // The same lookup as search/'s data files: $DATAMAP_DATA_FILES, then ./data, then the source
  // tree.
  namespace fs = std::filesystem;
  const fs::path relative = "standard/terms.csv";
  if (const char* env = std::getenv("DATAMAP_DATA_FILES");
      env && fs::exists(fs::path(env) / relative))
    return (fs::path(env) / relative).string();
  if (fs::exists(fs::path("data") / relative)) return (fs::path("data") / relative).string();
  return (fs::path(DATAMAP_DATA_FILES_DIR) / relative).string();
}

MapService::MapService(catalog::Store& store, Options options)
    : store_(store),
      options_(std::move(options)),
      terms_(StandardTerms::load(options_.terms_path)) {}

MapService::MapService(catalog::Store& store) : MapService(store, Options{}) {}

MapService::~MapService() {
  stop();
}

void MapService::start() {
  follower_.start();
}

void MapService::stop() {
  follower_.stop();
}

void MapService::notify() {
  follower_.wake();
}

std::chrono::milliseconds MapService::follow() {
  try {
    catch_up();
    std::lock_guard lock(snapshot_mutex_);
    status_.last_error.clear();
  } catch (const std::exception& e) {
    std::lock_guard lock(snapshot_mutex_);
    status_.last_error = e.what();
  }
  return options_.poll_interval;
}

void MapService::rebuild(const Progress& progress) {
  std::lock_guard lock(update_mutex_);
  load_everything(progress);
}

bool MapService::catch_up() {
  std::lock_guard lock(update_mutex_);
  if (!loaded_) {
    load_everything({});
    return true;
  }
  return apply_changes();
}

void MapService::load_everything(const Progress& progress) {
  auto t0 = std::chrono::steady_clock::now();
  std::int64_t head = store_.head_revision();  // changes after it are applied by the next catch-up
  // This thread streams datasets out of the store in batches; workers detect terms meanwhile.
  constexpr std::size_t kBatch = 512, kMaxQueued = 16;
  std::mutex m;
  std::condition_variable queue_changed;
  std::deque<std::vector<catalog::Dataset>> queue;
  bool reading_done = false;
  unsigned worker_count =
      std::max(1u, options_.build.threads > 1 ? options_.build.threads - 1 : 1u);
  std::vector<std::vector<std::shared_ptr<const DatasetRecord>>> results(worker_count);
  auto work = [&](unsigned w) {
    for (;;) {
      std::vector<catalog::Dataset> batch;
      {
        std::unique_lock lock(m);
        queue_changed.wait(lock, [&] { return !queue.empty() || reading_done; });
        if (queue.empty()) return;
        batch = std::move(queue.front());
        queue.pop_front();
      }
      queue_changed.notify_all();
      for (const auto& d : batch)
        results[w].push_back(std::make_shared<DatasetRecord>(extract_record(d, *terms_)));
    }
  };
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < worker_count; ++w) workers.emplace_back(work, w);
  std::vector<catalog::Dataset> batch;
  std::size_t read = 0;
  auto hand_over = [&] {
    std::unique_lock lock(m);
    queue_changed.wait(lock, [&] { return queue.size() < kMaxQueued; });
    queue.push_back(std::move(batch));
    batch.clear();
    queue_changed.notify_all();
  };
  try {
    store_.for_each_dataset([&](const catalog::Dataset& d) {
      if (!on_the_map(d)) return;
      batch.push_back(d);
      if (batch.size() == kBatch) hand_over();
      if (++read % 100'000 == 0 && progress)
        progress("map: read " + std::to_string(read) + " datasets");
    });
    if (!batch.empty()) hand_over();
  } catch (...) {
    {
      std::lock_guard lock(m);
      reading_done = true;
      queue.clear();
    }
    queue_changed.notify_all();
    for (auto& t : workers) t.join();
    throw;
  }
  {
    std::lock_guard lock(m);
    reading_done = true;
  }
  queue_changed.notify_all();
  for (auto& t : workers) t.join();

  records_.clear();
  records_.reserve(read);
  for (auto& part : results)
    for (auto& r : part) keep_record(std::move(r));
  {
    auto t_join = std::chrono::steady_clock::now();
    joins_.clear();
    nears_.clear();
    join_measured_ = 0;
    for (const auto& [id, r] : records_) {
      if (!r->join_columns.empty()) join_measured_ += joins_.update(r->id, r->join_columns);
      if (!r->near_sides.empty()) nears_.update(r->id, r->near_sides);
    }
    join_seconds_ = seconds_since(t_join);
  }
  reload_side_tables();
  applied_ = head;
  loaded_ = true;
  double extract_seconds = seconds_since(t0);
  if (progress)
    progress("map: " + std::to_string(records_.size()) + " datasets read and analysed in " +
             std::to_string(extract_seconds) + " s; building");
  changes_since_full_ = 0;
  publish(extract_seconds, nullptr, {});
  if (progress) {
    auto s = status();
    progress("map: built in " + std::to_string(s.last.build_seconds) + " s (revision " +
             std::to_string(s.applied_revision) + ")");
  }
}

bool MapService::apply_changes() {
  std::int64_t head = store_.head_revision();
  if (head <= applied_) {
    if (changes_since_full_ > 0 &&
        std::chrono::steady_clock::now() - last_change_ > options_.refresh_after) {
      changes_since_full_ = 0;  // quiet now: refresh what incremental builds carried over
      publish(0, nullptr, {});
      return true;
    }
    return false;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::unordered_set<std::string> datasets;
  bool side_tables = false;
  std::int64_t last = applied_;
  for (;;) {
    auto changes = store_.changes_since(last, 10'000);
    if (changes.empty()) break;
    for (const auto& c : changes) {
      last = c.revision;
      if (c.entity == "dataset")
        datasets.insert(c.id);
      else if (c.entity == "organization" || c.entity == "group" || c.entity == "relationship" ||
               c.entity == "reuse")
        side_tables = true;
    }
    if (datasets.size() > options_.full_reload_threshold) {
      load_everything({});
      return true;
    }
  }
  join_measured_ = 0;
  join_seconds_ = 0;
  for (const auto& id : datasets) {
    auto d = store_.dataset(id);
    auto t_join = std::chrono::steady_clock::now();
    if (d && on_the_map(*d)) {
      auto r = std::make_shared<DatasetRecord>(extract_record(*d, *terms_));
      // Only this dataset's pairs are measured again (JoinIndex).
      join_measured_ += joins_.update(r->id, r->join_columns);
      nears_.update(r->id, r->near_sides);
      keep_record(std::move(r));
    } else {
      joins_.remove(id);
      nears_.remove(id);
      records_.erase(id);
    }
    join_seconds_ += seconds_since(t_join);
  }
  if (side_tables) reload_side_tables();
  applied_ = last;
  if (datasets.empty() && !side_tables) {  // e.g. only users or tokens changed
    std::lock_guard lock(snapshot_mutex_);
    status_.applied_revision = applied_;
    return false;
  }
  // A few changes: build from the current snapshot (only the changed datasets' relations are
  // computed). Many, or many accumulated since the last full build: everything again.
  const std::size_t n = records_.size();
  last_change_ = std::chrono::steady_clock::now();
  bool incremental = n >= options_.incremental_min_datasets &&
                     datasets.size() <= std::max<std::size_t>(1000, n / 100) &&
                     changes_since_full_ + datasets.size() <= std::max<std::size_t>(5000, n / 20);
  auto previous = incremental ? snapshot() : nullptr;
  if (previous) {
    changes_since_full_ += datasets.size();
  } else {
    changes_since_full_ = 0;
    datasets.clear();
  }
  publish(seconds_since(t0), std::move(previous), std::move(datasets));
  return true;
}

void MapService::keep_record(std::shared_ptr<const DatasetRecord> r) {
  records_.erase(r->id);  // last wins; its key views the record it replaces
  std::string_view id = r->id;
  records_.emplace(id, std::move(r));
}

void MapService::reload_side_tables() {
  relationships_.clear();
  store_.for_each_relationship(
      [&](const catalog::Relationship& r) { relationships_.push_back(r); });
  organizations_ = store_.organizations();
  reuses_.clear();
  store_.for_each_reuse([&](const catalog::Reuse& r) { reuses_.push_back(r); });
  groups_ = store_.groups();
}

void MapService::publish(double extract_seconds, std::shared_ptr<const DataMap> previous,
                         std::unordered_set<std::string> changed) {
  MapInput input;
  input.datasets.reserve(records_.size());
  for (const auto& [id, r] : records_) input.datasets.push_back(r);
  input.relationships = relationships_;
  input.organizations = organizations_;
  input.groups = groups_;
  input.reuses = reuses_;
  input.terms = terms_;
  input.joinable = joins_.edges();
  input.near = nears_.edges();
  input.revision = applied_;
  input.extract_seconds = extract_seconds;
  input.previous = std::move(previous);
  input.changed = std::move(changed);
  auto map = build_map(std::move(input), options_.build);
  {
    std::lock_guard lock(snapshot_mutex_);
    snapshot_ = map;
    status_.ready = true;
    status_.applied_revision = applied_;
    status_.datasets = map->dataset_count();
    status_.builds++;
    status_.last = map->stats();
    status_.last_changes = map->stats().changed;
    status_.join_pairs_measured = join_measured_;
    status_.join_seconds = join_seconds_;
    status_.joinable_pairs = map->joinable_count();
    status_.near_pairs = map->near_count();
  }
  snapshot_ready_.notify_all();
  glance_.map_changed(map);
  map.reset();
  // A build frees much of what it allocated (scratch lists, candidate scores: a full build at 1M
  // peaks at 1.7 GB), and malloc keeps what was freed mapped, so the server's RSS stayed at the
  // build's peak. Give the free pages back (docs/BENCHMARKS.md, "A serving node at
  // 1M").
  malloc_trim(0);
}

std::shared_ptr<const DataMap> MapService::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

std::shared_ptr<const DataMap> MapService::wait_for_snapshot(
    std::chrono::milliseconds timeout) const {
  std::unique_lock lock(snapshot_mutex_);
  snapshot_ready_.wait_for(lock, timeout, [this] { return snapshot_ != nullptr; });
  return snapshot_;
}

MapService::Status MapService::status() const {
  std::lock_guard lock(snapshot_mutex_);
  return status_;
}

}  // namespace datamap::graph
