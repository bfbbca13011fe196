#include "search/remote_sort.h"

#include <algorithm>
#include <string>

namespace datamap::search {
namespace {

using Xapian::Query;

// A document without a value in the slot sorts as "" (Xapian's order and MultiValueKeyMaker's).
Query at_or_above(Xapian::valueno slot, const std::string& v) {
  return v.empty() ? Query::MatchAll : Query(Query::OP_VALUE_GE, slot, v);
}

Query above(Xapian::valueno slot, const std::string& v) {
  if (v.empty()) return Query(Query::OP_VALUE_GE, slot, std::string(1, '\0'));  // any value
  return Query(Query::OP_AND_NOT, Query(Query::OP_VALUE_GE, slot, v),
               Query(Query::OP_VALUE_RANGE, slot, v, v));
}

}  // namespace

std::vector<PageItem> remote_sorted_page(const Xapian::Database& db, const Query& query,
                                         const Xapian::Weight& weight, Xapian::valueno slot,
                                         bool descending, const Xapian::KeyMaker& keys,
                                         const Xapian::MSet& slot_page, Xapian::doccount start,
                                         Xapian::doccount matches) {
  if (slot_page.empty()) return {};
  const Xapian::doccount everything = std::max<Xapian::doccount>(db.get_doccount(), 1);
  auto last = slot_page.end();
  --last;
  const std::string first_value = slot_page.begin().get_document().get_value(slot);
  const std::string last_value = last.get_document().get_value(slot);
  const std::string& lo = descending ? last_value : first_value;
  const std::string& hi = descending ? first_value : last_value;

  auto count = [&](const Query& filter) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Query(Query::OP_FILTER, query, filter));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, 0, everything).get_matches_estimated();
  };
  // The matches that sort before the page's first value.
  Xapian::doccount before = 0;
  if (descending) {
    before = count(above(slot, first_value));
  } else if (!first_value.empty()) {
    before = matches - count(at_or_above(slot, first_value));
  }

  Xapian::Enquire enquire(db);
  enquire.set_query(Query(Query::OP_FILTER, query,
                          Query(Query::OP_AND_NOT, at_or_above(slot, lo), above(slot, hi))));
  enquire.set_weighting_scheme(weight);
  Xapian::MSet range = enquire.get_mset(0, everything);
  if (!range.empty()) range.fetch(range.begin(), range.end());  // the documents at once
  struct Keyed {
    std::string key;
    PageItem item;
  };
  std::vector<Keyed> sorted;
  sorted.reserve(range.size());
  for (auto it = range.begin(); it != range.end(); ++it) {
    Xapian::Document doc = it.get_document();
    std::string key = keys(doc);
    sorted.push_back({std::move(key), {std::move(doc), it.get_weight()}});
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const Keyed& a, const Keyed& b) { return a.key < b.key; });
  std::vector<PageItem> page;
  const std::size_t from = start >= before ? start - before : 0;
  for (std::size_t i = from; i < sorted.size() && page.size() < slot_page.size(); ++i) {
    page.push_back(std::move(sorted[i].item));
  }
  return page;
}

}  // namespace datamap::search
