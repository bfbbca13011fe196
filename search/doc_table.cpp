#include "search/doc_table.h"

#include <algorithm>

#include "search/schema.h"

namespace datamap::search {
namespace {

std::size_t field_index(const FacetField* f) {
  return static_cast<std::size_t>(f - facet_fields().data());
}

}  // namespace

DocTable::DocTable(const Xapian::Database& db)
    : numbers_(facet_fields().size()), texts_(facet_fields().size()) {
  const std::size_t size = static_cast<std::size_t>(db.get_lastdocid()) + 1;
  popularity_.assign(size, 0.0f);
  first_.assign(size, 0);
  count_.assign(size, 0);
  values_.reserve(size * 8);
  // Both value streams are walked in docid order: sequential reads of the index.
  for (auto it = db.valuestream_begin(schema::kFacets); it != db.valuestream_end(schema::kFacets);
       ++it) {
    set(it.get_docid(), *it, {});
  }
  for (auto it = db.valuestream_begin(schema::kPopularity);
       it != db.valuestream_end(schema::kPopularity); ++it) {
    popularity_[it.get_docid()] = static_cast<float>(Xapian::sortable_unserialise(*it));
  }
  values_.shrink_to_fit();  // grown by doubling: up to half of it unused
  compute_suffix_max();
}

void DocTable::update(const Xapian::Database& db, const std::set<std::string>& terms) {
  match_sets_.clear();
  // A deleted document is in no posting list: its old entry stays, never reached.
  for (const auto& term : terms) {
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
      const Xapian::docid did = *it;
      Xapian::Document doc = db.get_document(did);
      if (did >= popularity_.size()) {
        popularity_.resize(did + 1, 0.0f);
        first_.resize(did + 1, 0);
        count_.resize(did + 1, 0);
      }
      set(did, doc.get_value(schema::kFacets), doc.get_value(schema::kPopularity));
    }
  }
  compact_if_wasteful();
  compute_suffix_max();
}

void DocTable::compact_if_wasteful() {
  // Each update appends a document's values and leaves its old ones behind: once more than half
  // of the arena is left behind, copy the live values into a new one.
  std::size_t live = 0;
  for (std::uint8_t n : count_) live += n;
  if (values_.size() <= 2 * live + 4096) return;
  std::vector<std::uint32_t> packed;
  packed.reserve(live);
  for (std::size_t did = 0; did < first_.size(); ++did) {
    const std::uint32_t from = first_[did];
    first_[did] = static_cast<std::uint32_t>(packed.size());
    packed.insert(packed.end(), values_.begin() + from, values_.begin() + from + count_[did]);
  }
  values_ = std::move(packed);
}

void DocTable::compute_suffix_max() {
  suffix_max_.assign(popularity_.size() + 1, 0.0f);
  for (std::size_t i = popularity_.size(); i-- > 0;) {
    suffix_max_[i] = std::max(suffix_max_[i + 1], popularity_[i]);
  }
}

void DocTable::set(Xapian::docid did, const std::string& blob, const std::string& popularity) {
  // A changed document's values are appended; the old ones stay unused until the next full read.
  first_[did] = static_cast<std::uint32_t>(values_.size());
  std::size_t n = 0;
  for_each_facet_entry(blob, [&](char code, std::string_view text) {
    if (int field = facet_field_index(code); field >= 0) {
      values_.push_back(intern(static_cast<std::size_t>(field), text));
      ++n;
    }
    return n < 255;
  });
  count_[did] = static_cast<std::uint8_t>(n);
  if (!popularity.empty()) {
    popularity_[did] = static_cast<float>(Xapian::sortable_unserialise(popularity));
  }
}

std::uint32_t DocTable::intern(std::size_t field, std::string_view text) {
  auto& numbers = numbers_[field];
  auto it = numbers.find(text);
  if (it == numbers.end()) {
    it = numbers.emplace(std::string(text), static_cast<std::uint32_t>(texts_[field].size())).first;
    texts_[field].push_back(&it->first);
  }
  return static_cast<std::uint32_t>(field << kFieldShift) | it->second;
}

// ---- FacetCounter

FacetCounter::FacetCounter(const DocTable& table, const std::vector<const FacetField*>& fields)
    : table_(table), counts_(facet_fields().size()) {
  for (const FacetField* f : fields) {
    const std::size_t i = field_index(f);
    fields_.push_back(i);
    wanted_ |= 1u << i;
    counts_[i].assign(table.value_count(i), 0);
  }
}

void FacetCounter::add_all(const DocSet& matches) {
  // In batches: the members' entries are asked for, then their values, then counted, so that
  // the cache misses of a batch overlap instead of following one another (at 1M the table is
  // ~90 MB and a match set's members are scattered over it).
  constexpr std::size_t kBatch = 16;
  Xapian::docid batch[kBatch];
  std::size_t n = 0;
  auto count_batch = [&] {
    for (std::size_t i = 0; i < n; ++i) table_.prefetch_entry(batch[i]);
    for (std::size_t i = 0; i < n; ++i) table_.prefetch_values(batch[i]);
    for (std::size_t i = 0; i < n; ++i) add(batch[i]);
    n = 0;
  };
  matches.for_each([&](Xapian::docid did) {
    batch[n++] = did;
    if (n == kBatch) count_batch();
  });
  count_batch();
}

FacetCounts FacetCounter::counts(std::size_t i) const {
  FacetCounts out;
  const std::size_t field = fields_[i];
  for (std::uint32_t v : seen_) {
    if (DocTable::field_of(v) != field) continue;
    const std::uint32_t number = DocTable::number_of(v);
    out.emplace(std::string(table_.value_text(field, number)), counts_[field][number]);
  }
  return out;
}

// ---- PopularitySource

PopularitySource::PopularitySource(const DocTable& table, double factor)
    : table_(table), factor_(factor) {}

void PopularitySource::init(const Xapian::Database& db) {
  did_ = 0;
  last_ = std::min<Xapian::docid>(db.get_lastdocid(), table_.last_docid());
  doccount_ = db.get_doccount();
  set_maxweight(factor_ * table_.max_popularity_from(1));
}

void PopularitySource::lower_bound() {
  const double bound = factor_ * table_.max_popularity_from(did_);
  // Telling the matcher makes it recompute its bounds: worth it only for a real drop.
  if (bound < get_maxweight() * 0.97) set_maxweight(bound);
}

void PopularitySource::next(double) {
  ++did_;
  lower_bound();
}

void PopularitySource::skip_to(Xapian::docid did, double) {
  did_ = std::max(did_, did);
  lower_bound();
}

bool PopularitySource::check(Xapian::docid did, double) {
  did_ = did;
  lower_bound();
  return true;
}

}  // namespace datamap::search
