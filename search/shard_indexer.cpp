#include "search/shard_indexer.h"

#include <xapian.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "catalog/errors.h"
#include "search/document_stream.h"
#include "search/schema.h"
#include "search/service.h"

namespace datamap::search {

namespace {

// Connections older than this are made again before the next batch, so that the indexer
// follows a generation `datamap reindex --shards` wrote since (xapian-tcpsrv opens the stub
// anew per connection), and before xapian-tcpsrv's idle timeout (--idle-timeout) closes them.
constexpr auto kReconnect = std::chrono::seconds(5);

std::int64_t revision_of(const Xapian::Database& db) {
  const std::string v = db.get_metadata(schema::kRevisionKey);
  return v.empty() ? 0 : std::stoll(v);
}

}  // namespace

void check_shard(const Xapian::Database& shard, std::size_t index, std::size_t count,
                 const std::string& address) {
  const std::string expected = std::to_string(index) + "/" + std::to_string(count);
  const std::string seen = shard.get_metadata(kShardKey);
  if (seen != expected) {
    throw ServiceUnavailable("search shard " + address + " is shard '" + seen + "', expected " +
                                 expected + " (the shard addresses list shard-0 first)",
                             30);
  }
  if (shard.get_metadata(schema::kSchemaKey) != schema::kSchemaVersion) {
    throw ServiceUnavailable("search shard " + address + " has schema " +
                                 shard.get_metadata(schema::kSchemaKey) + ", this build " +
                                 schema::kSchemaVersion + ": write the shards again",
                             30);
  }
}

ShardIndexer::ShardIndexer(catalog::Store& store, std::vector<std::string> addresses,
                           int timeout_ms)
    : store_(store), addresses_(std::move(addresses)), timeout_ms_(timeout_ms) {
  if (addresses_.empty()) throw std::invalid_argument("a shard indexer needs shards");
}

ShardIndexer::~ShardIndexer() = default;

void ShardIndexer::disconnect() {
  shards_.clear();  // each connection's end makes its xapian-tcpsrv child drop the write lock
}

void ShardIndexer::connect_if_stale() {
  const auto now = std::chrono::steady_clock::now();
  if (!shards_.empty() && now - connected_ < kReconnect) return;
  disconnect();
  // In order, shard-0 first: of several indexers only the holder of shard-0 goes on to the next,
  // so two cannot each hold a part of the set.
  for (std::size_t i = 0; i < addresses_.size(); ++i) {
    std::string host;
    int port = 0;
    if (!parse_shard_address(addresses_[i], host, port)) {
      disconnect();
      throw std::invalid_argument("search shard address '" + addresses_[i] + "' is not host:port");
    }
    auto shard = std::make_unique<Xapian::WritableDatabase>(Xapian::Remote::open_writable(
        host, static_cast<unsigned>(port), static_cast<unsigned>(timeout_ms_),
        static_cast<unsigned>(timeout_ms_)));
    check_shard(*shard, i, addresses_.size(), addresses_[i]);
    shards_.push_back(std::move(shard));
  }
  connected_ = now;
}

std::int64_t ShardIndexer::applied_revision() {
  try {
    connect_if_stale();
    std::int64_t lowest = revision_of(*shards_[0]);
    for (const auto& shard : shards_) lowest = std::min(lowest, revision_of(*shard));
    return lowest;
  } catch (...) {
    disconnect();
    throw;
  }
}

std::size_t ShardIndexer::apply_batch(std::size_t limit) {
  try {
    connect_if_stale();
    return apply(limit);
  } catch (...) {
    disconnect();  // uncommitted changes are dropped with the connections: re-applied next time
    throw;
  }
}

std::size_t ShardIndexer::apply(std::size_t limit) {
  const std::size_t n = shards_.size();
  std::int64_t from = revision_of(*shards_[0]);
  for (const auto& shard : shards_) from = std::min(from, revision_of(*shard));
  const auto changes = store_.changes_since(from, limit);
  if (changes.empty()) return 0;

  std::set<std::string> datasets;
  for (const auto& term : touched_terms(store_, changes)) {
    if (term.rfind(schema::kId, 0) == 0) {
      datasets.insert(term.substr(std::string_view(schema::kId).size()));
    } else {
      for (const auto& shard : shards_) {
        for (auto& id : ids_with_term(*shard, term)) datasets.insert(std::move(id));
      }
    }
  }
  // The highest global docid of the joined shards, as Xapian numbers them: a new document takes
  // the next one, as it would in the local index.
  Xapian::docid last = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const Xapian::docid local = shards_[k]->get_lastdocid();
    if (local > 0) last = std::max<Xapian::docid>(last, (local - 1) * n + k + 1);
  }
  const std::vector<std::string> ids(datasets.begin(), datasets.end());
  std::set<std::string> written;
  std::vector<std::unordered_map<std::string, Xapian::termcount>> spelling(n);
  // In the order the local indexer writes them (build_documents keeps the order of `ids`), so a
  // batch of new datasets is numbered alike.
  build_documents(store_, ids, false, [&](BuiltDocument& built) {
    std::size_t k = 0;
    while (k < n && !shards_[k]->term_exists(built.id_term)) ++k;
    if (k < n) {
      shards_[k]->replace_document(built.id_term, built.doc);
    } else {
      const Xapian::docid global = ++last;
      k = (global - 1) % n;
      shards_[k]->replace_document((global - 1) / n + 1, built.doc);
    }
    written.insert(built.id_term);
    for (const auto& w : built.title_words) ++spelling[k][w];
  });
  // Purged from the catalog (drafts and deleted datasets stay indexed: schema.h, kState).
  for (const auto& id : ids) {
    if (written.contains(schema::kId + id)) continue;
    for (const auto& shard : shards_) {
      if (shard->term_exists(schema::kId + id)) shard->delete_document(schema::kId + id);
    }
  }
  const std::string revision = std::to_string(changes.back().revision);
  for (std::size_t k = 0; k < n; ++k) {
    for (const auto& [word, count] : spelling[k]) shards_[k]->add_spelling(word, count);
    shards_[k]->set_metadata(schema::kRevisionKey, revision);
    shards_[k]->commit();
  }
  return changes.size();
}

}  // namespace datamap::search
