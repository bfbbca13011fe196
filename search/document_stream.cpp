#include "search/document_stream.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "catalog/quality_inputs.h"
#include "search/schema.h"

namespace datamap::search {

DocumentBuilder::DocumentBuilder(catalog::Store& store) : store_(store) {
  group_of_ = [this](const std::string& name) -> const catalog::Group* {
    auto it = groups_.find(name);
    if (it == groups_.end()) it = groups_.emplace(name, store_.group(name)).first;
    return it->second ? &*it->second : nullptr;
  };
}

BuiltDocument DocumentBuilder::build(const catalog::Dataset& d) {
  const catalog::Organization* org = nullptr;
  if (!d.owner_org.empty()) {
    auto it = organizations_.find(d.owner_org);
    if (it == organizations_.end()) {
      it = organizations_.emplace(d.owner_org, store_.organization(d.owner_org)).first;
    }
    if (it->second) org = &*it->second;
  }
  return build_document(d, org, group_of_, catalog::quality::link_results(store_, d));
}

namespace {

// How far the builder may run ahead of the writer: enough to keep both busy, few enough that
// the queue's memory (a document is ~10 KB of terms) stays small.
constexpr std::size_t kAhead = 256;

// Thrown inside the store's loop to end it early when the writer has failed.
struct Cancelled {};

// Documents in flight between the builder thread and the writer. A document crosses threads as
// a unique_ptr: Xapian's documents count their references without atomics, so each one is only
// ever touched by one thread at a time.
struct Handoff {
  std::mutex mu;
  std::condition_variable changed;
  std::deque<std::unique_ptr<BuiltDocument>> ready;
  bool finished = false;   // the builder has built everything (or failed)
  bool cancelled = false;  // the writer has failed: the builder stops
  std::exception_ptr error;
};

}  // namespace

void build_documents(catalog::Store& store, std::span<const std::string> ids, bool second_thread,
                     const std::function<void(BuiltDocument&)>& write) {
  if (!second_thread) {
    DocumentBuilder builder(store);
    store.for_each_dataset_of(ids, [&](const catalog::Dataset& d) {
      BuiltDocument built = builder.build(d);
      write(built);
    });
    return;
  }
  Handoff h;
  std::thread builder_thread([&] {
    try {
      DocumentBuilder builder(store);
      store.for_each_dataset_of(ids, [&](const catalog::Dataset& d) {
        auto built = std::make_unique<BuiltDocument>(builder.build(d));
        std::unique_lock lock(h.mu);
        h.changed.wait(lock, [&] { return h.ready.size() < kAhead || h.cancelled; });
        if (h.cancelled) throw Cancelled{};
        h.ready.push_back(std::move(built));
        h.changed.notify_all();
      });
    } catch (const Cancelled&) {
    } catch (...) {
      std::lock_guard lock(h.mu);
      h.error = std::current_exception();
    }
    std::lock_guard lock(h.mu);
    h.finished = true;
    h.changed.notify_all();
  });
  try {
    for (;;) {
      std::deque<std::unique_ptr<BuiltDocument>> taken;
      {
        std::unique_lock lock(h.mu);
        h.changed.wait(lock, [&] { return !h.ready.empty() || h.finished; });
        if (h.ready.empty()) break;  // finished, all written
        taken.swap(h.ready);
        h.changed.notify_all();
      }
      for (auto& built : taken) write(*built);
    }
  } catch (...) {
    {
      std::lock_guard lock(h.mu);
      h.cancelled = true;
      h.changed.notify_all();
    }
    builder_thread.join();
    throw;
  }
  builder_thread.join();
  if (h.error) std::rethrow_exception(h.error);
}

std::vector<std::string> ids_with_term(const Xapian::Database& db, const std::string& term) {
  std::vector<std::string> ids;
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    ids.push_back(db.get_document(*it).get_value(schema::kIdValue));
  }
  return ids;
}

std::set<std::string> touched_terms(catalog::Store& store,
                                    const std::vector<catalog::Change>& changes) {
  std::set<std::string> terms;
  for (const auto& c : changes) {
    if (c.entity == "dataset") terms.insert(schema::kId + c.id);
    if (c.entity == "organization") terms.insert(schema::kOrgId + c.id);
    if (c.entity == "group") {
      auto g = store.group(c.id);  // its datasets' terms name it
      terms.insert(schema::kGroup + (g ? g->name : c.id));
    }
  }
  return terms;
}

}  // namespace datamap::search
