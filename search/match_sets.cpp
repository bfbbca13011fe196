#include "search/match_sets.h"

namespace datamap::search {
namespace {

// A term in fewer documents is read again each time: its posting list is short, and keeping
// its set would cost as much memory as a frequent term's.
constexpr Xapian::doccount kKeepFromDocuments = 2000;

}  // namespace

std::size_t DocSet::count() const {
  std::size_t n = 0;
  for (std::uint64_t w : words_) n += static_cast<std::size_t>(std::popcount(w));
  return n;
}

void DocSet::intersect(const DocSet& other) {
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= other.words_[i];
}

void DocSet::unite(const DocSet& other) {
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] |= other.words_[i];
}

void DocSet::subtract(const DocSet& other) {
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= ~other.words_[i];
}

void DocSet::toggle(const DocSet& other) {
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] ^= other.words_[i];
}

std::shared_ptr<const DocSet> MatchSets::evaluate(const Xapian::Database& db,
                                                  const Xapian::Query& query) {
  const std::size_t docids = static_cast<std::size_t>(db.get_lastdocid()) + 1;
  return set_of(db, query, docids);
}

void MatchSets::clear() {
  std::lock_guard lock(mu_);
  kept_.clear();
  lru_.clear();
  used_bytes_ = 0;
}

std::shared_ptr<const DocSet> MatchSets::term_set(const Xapian::Database& db,
                                                  const std::string& term, std::size_t docids) {
  const bool keep = db.get_termfreq(term) >= kKeepFromDocuments;
  const Xapian::rev revision = db.get_revision();
  if (keep) {
    std::lock_guard lock(mu_);
    if (revision == revision_ && docids == docids_) {
      if (auto it = kept_.find(term); it != kept_.end()) {
        lru_.splice(lru_.begin(), lru_, it->second.age);
        ++hits_;
        return it->second.set;
      }
    }
  }
  auto set = std::make_shared<DocSet>(docids);
  // MatchAll's term "" lists every document.
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) set->add(*it);
  std::lock_guard lock(mu_);
  ++terms_read_;
  if (!keep || set->bytes() > cache_bytes_) return set;
  if (revision != revision_ || docids != docids_) {
    // Sets of an older revision are of no use any more; a reader still at an older revision
    // than the kept sets keeps them for the others.
    if (revision < revision_) return set;
    kept_.clear();
    lru_.clear();
    used_bytes_ = 0;
    revision_ = revision;
    docids_ = docids;
  }
  if (kept_.count(term)) return set;  // another thread read it at the same time
  while (used_bytes_ + set->bytes() > cache_bytes_ && !lru_.empty()) {
    auto oldest = kept_.find(lru_.back());
    used_bytes_ -= oldest->second.set->bytes();
    kept_.erase(oldest);
    lru_.pop_back();
  }
  lru_.push_front(term);
  kept_.emplace(term, Entry{set, lru_.begin()});
  used_bytes_ += set->bytes();
  return set;
}

std::shared_ptr<const DocSet> MatchSets::set_of(const Xapian::Database& db, const Xapian::Query& q,
                                                std::size_t docids) {
  using Query = Xapian::Query;
  switch (q.get_type()) {
    case Query::LEAF_TERM:
      return term_set(db, *q.get_terms_begin(), docids);
    case Query::LEAF_MATCH_ALL:
      return term_set(db, std::string(), docids);
    case Query::LEAF_MATCH_NOTHING:
      return std::make_shared<DocSet>(docids);
    case Query::OP_SCALE_WEIGHT:
    case Query::OP_AND_MAYBE:  // the sides after the first only add weight
      return set_of(db, q.get_subquery(0), docids);
    case Query::OP_AND:
    case Query::OP_FILTER:
    case Query::OP_OR:
    case Query::OP_SYNONYM:
    case Query::OP_AND_NOT:
    case Query::OP_XOR: {
      const Query::op op = q.get_type();
      std::shared_ptr<const DocSet> first = set_of(db, q.get_subquery(0), docids);
      if (!first) return nullptr;
      auto out = std::make_shared<DocSet>(*first);  // a kept set is never changed
      for (std::size_t i = 1; i < q.get_num_subqueries(); ++i) {
        std::shared_ptr<const DocSet> side = set_of(db, q.get_subquery(i), docids);
        if (!side) return nullptr;
        if (op == Query::OP_AND || op == Query::OP_FILTER) {
          out->intersect(*side);
        } else if (op == Query::OP_AND_NOT) {
          out->subtract(*side);
        } else if (op == Query::OP_XOR) {
          out->toggle(*side);
        } else {
          out->unite(*side);
        }
      }
      return out;
    }
    default:  // phrases, ranges, wildcards, posting sources, ...: Xapian's matcher counts them
      return nullptr;
  }
}

}  // namespace datamap::search
