#include "search/searcher.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>

#include "catalog/errors.h"
#include "catalog/text.h"
#include "search/analysis.h"
#include "search/doc_table.h"
#include "search/facets.h"
#include "search/highlight.h"
#include "search/query_builder.h"
#include "search/query_parser.h"
#include "search/remote_sort.h"
#include "search/schema.h"
#include "search/shard_facets.h"

namespace datamap::search {
namespace {

using Xapian::Query;

[[noreturn]] void fail(const std::string& message) {
  throw BadRequest("Search Query Error", message);
}

// Ranking constants, tuned on bench/relevance (see docs/BENCHMARKS.md): b = 0.75 (BM25's usual
// length normalisation; it was 0.1, for long boilerplate descriptions, until the development set
// of issue 18 — randomly drawn targets — measured 0.505 -> 0.520 with the tuned set 0.841 ->
// 0.839: a short title-like record that has the words beats a long one that mentions them), and
// a popularity prior per decade of
// views so that among equal matches the dataset most people use comes first (swept 10-26 on
// both the popular-item queries and the blind long-tail ones: 18 is where the long tail peaks).
constexpr double kPopularityWeight = 18.0;
Xapian::BM25Weight bm25() {
  return Xapian::BM25Weight(0.6, 0, 1, 0.75, 0.5);
}

struct SortKey {
  std::string field;
  bool descending;
};

struct SortPlan {
  std::vector<SortKey> keys;  // without score
  bool score_first = false;   // relevance decides first, keys break ties
  bool uses_score = false;
  std::string normalised;
};

SortPlan parse_sort(const std::string& sort, bool has_text) {
  SortPlan plan;
  std::string s = sort.empty() ? "score desc, metadata_modified desc" : sort;
  std::stringstream in(s);
  std::string clause;
  while (std::getline(in, clause, ',')) {
    std::stringstream words(clause);
    std::string field, dir, extra;
    words >> field >> dir >> extra;
    if (field.empty()) continue;
    if (!extra.empty()) fail("invalid sort clause '" + clause + "'");
    if (dir.empty()) dir = "asc";
    dir = catalog::to_lower_ascii(dir);
    if (dir != "asc" && dir != "desc") fail("sort direction must be asc or desc, not '" + dir + "'");
    static const char* const known[] = {"score", "metadata_modified", "metadata_created",
                                        "title_string", "name", "views", "downloads", "issued",
                                        "modified", "quality"};
    if (std::find_if(std::begin(known), std::end(known),
                     [&](const char* k) { return field == k; }) == std::end(known)) {
      fail("cannot sort by '" + field + "'");
    }
    if (!plan.normalised.empty()) plan.normalised += ", ";
    plan.normalised += field + " " + dir;
    if (field == "score") {
      if (dir == "asc") fail("sorting by score ascending is not supported");
      if (plan.keys.empty()) plan.score_first = true;
      plan.uses_score = true;
    } else {
      plan.keys.push_back({field, dir == "desc"});
    }
    if (plan.keys.size() > 4) fail("too many sort fields");
  }
  if (plan.normalised.empty()) fail("empty sort");
  // Without text every score is equal: relevance then keys is the keys' order.
  if (!has_text) plan.uses_score = false;
  return plan;
}

Xapian::valueno sort_slot(const std::string& field) {
  if (field == "metadata_modified") return schema::kModified;
  if (field == "metadata_created") return schema::kCreated;
  if (field == "title_string") return schema::kTitleSort;
  if (field == "name") return schema::kNameSort;
  if (field == "views") return schema::kViews;
  if (field == "downloads") return schema::kDownloads;
  if (field == "issued") return schema::kIssued;
  if (field == "quality") return schema::kQuality;
  return schema::kModifiedSource;
}

// ---- cursors: "o" + offset (relevance order), or "k" + the last sort key (search-after).

std::string hex(std::string_view s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

bool unhex(std::string_view s, std::string& out) {
  if (s.size() % 2) return false;
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); i += 2) {
    int a = val(s[i]), b = val(s[i + 1]);
    if (a < 0 || b < 0) return false;
    out.push_back(static_cast<char>(a * 16 + b));
  }
  return true;
}

class AfterKey : public Xapian::MatchDecider {
 public:
  AfterKey(Xapian::KeyMaker& keys, std::string after) : keys_(keys), after_(std::move(after)) {}
  bool operator()(const Xapian::Document& doc) const override { return keys_(doc) > after_; }

 private:
  Xapian::KeyMaker& keys_;
  std::string after_;
};

// The documents a request may see, or an empty query when that is every document (a sysadmin
// in an index of active datasets only, or an index of public active datasets only): no filter
// then, which spares each search a walk along the posting list of the public term.
//
// Active datasets: public ones, private ones of the caller's organizations and collaborations.
// Drafts and deleted ones (kState) only when asked for, and only those the caller may edit.
Query visibility_filter(const Xapian::Database& db, const SearchRequest& r) {
  const std::string draft_term = std::string(schema::kState) + "draft";
  const std::string deleted_term = std::string(schema::kState) + "deleted";
  const bool any_inactive = db.get_termfreq(draft_term) + db.get_termfreq(deleted_term) > 0;
  const Query draft(draft_term), deleted(deleted_term);
  Query active;
  if (!r.all_private) {
    if (db.get_termfreq(schema::kPublic) == db.get_doccount()) return Query();
    std::vector<Query> allowed{Query(schema::kPublic)};
    for (const auto& org : r.private_org_ids) allowed.emplace_back(schema::kPrivateOrg + org);
    for (const auto& id : r.private_dataset_ids) allowed.emplace_back(schema::kId + id);
    active = Query(Query::OP_OR, allowed.begin(), allowed.end());
  }
  if (!any_inactive) return active;
  // A collaboration names a dataset whatever its state, and a sysadmin's `active` is everything:
  // keep them to active datasets.
  const Query inactive(Query::OP_OR, draft, deleted);
  active = Query(Query::OP_AND_NOT, active.empty() ? Query::MatchAll : active, inactive);

  std::vector<Query> states;
  if (r.include_drafts) states.push_back(draft);
  if (r.include_deleted) states.push_back(deleted);
  if (states.empty()) return active;
  Query editable = Query::MatchAll;
  if (!r.all_editable) {
    std::vector<Query> allowed;
    for (const auto& org : r.editable_org_ids) allowed.emplace_back(schema::kEditOrg + org);
    for (const auto& id : r.editable_dataset_ids) allowed.emplace_back(schema::kId + id);
    if (allowed.empty()) return active;
    editable = Query(Query::OP_OR, allowed.begin(), allowed.end());
  }
  Query shown(Query::OP_AND, Query(Query::OP_OR, states.begin(), states.end()), editable);
  if (!r.include_private) shown = Query(Query::OP_AND_NOT, shown, Query(schema::kCapacityPrivate));
  return Query(Query::OP_OR, active, shown);
}

// `match` restricted by `filter`; an empty filter restricts nothing.
Query filtered(const Query& match, const Query& filter) {
  return filter.empty() ? match : Query(Query::OP_FILTER, match, filter);
}

std::vector<FacetItem> facet_items(const FacetField& f, const FacetCounts& counts,
                                   std::int64_t limit, std::int64_t mincount) {
  std::vector<FacetItem> items;
  for (const auto& [value, count] : counts) {
    if (count < mincount) continue;
    FacetItem item;
    if (f.code == 'o' || f.code == 'g' || f.code == 'm') {  // "name\x1ftitle" (document.cpp)
      auto sep = value.find('\x1f');
      item.name = value.substr(0, sep);
      item.display_name = sep == std::string::npos ? item.name : value.substr(sep + 1);
      if (item.display_name.empty()) item.display_name = item.name;
    } else {
      item.name = value;
      item.display_name = value;
    }
    item.count = count;
    items.push_back(std::move(item));
  }
  std::sort(items.begin(), items.end(), [](const FacetItem& a, const FacetItem& b) {
    return a.count != b.count ? a.count > b.count : a.name < b.name;
  });
  if (limit >= 0 && static_cast<std::int64_t>(items.size()) > limit) items.resize(limit);
  return items;
}

void validate(const SearchRequest& r) {
  if (r.rows < 0) fail("rows must not be negative");
  if (r.rows > kMaxRows) fail("rows must be at most " + std::to_string(kMaxRows));
  if (r.start < 0) fail("start must not be negative");
  if (r.start > kMaxStart) {
    fail("start must be at most " + std::to_string(kMaxStart) + "; use the cursor for deep pages");
  }
  if (r.facet_limit < -1) fail("facet.limit must be -1 or more");
  if (r.facet_limit > kMaxFacetLimit) {
    fail("facet.limit must be at most " + std::to_string(kMaxFacetLimit) +
         " (-1: the most frequent " + std::to_string(kMaxFacetLimit) + ")");
  }
  if (r.facet_fields.size() > 20) fail("too many facet fields");
  for (const auto& f : r.facet_fields) {
    if (!find_facet_field(f)) fail("cannot facet on '" + f + "'");
  }
  for (const std::string* s : {&r.q, &r.fq, &r.sort, &r.cursor}) {
    if (!catalog::is_valid_utf8(*s)) fail("query is not valid UTF-8");
  }
}

// What ranked searches match and weigh: the match, with the title/phrase boosts and the
// popularity prior adding weight to documents it already matches. Among equally good matches
// the datasets people use most come first.
Query ranked_query(const BuiltQuery& built, const Query& main, const DocTable* table) {
  // The prior is the outermost AND_MAYBE's right side on purpose: inside an OR with the boosts,
  // its falling maximum weight (doc_table.h) gave some documents wrong weights with Xapian 1.4
  // (measured on bench/relevance: 0.747 instead of 0.776 MRR@10, top documents over-weighted).
  // Remote shards read the same prior from its value slot with Xapian's own posting source. Its
  // weight is not scaled up there (with OP_SCALE_WEIGHT over it the second page of "주차장"
  // differed from the local index's, tests/search/remote_shards_test.cpp), so the text's weight
  // is scaled down by the same factor instead: the same order, weights 1/kPopularityWeight of the
  // local ones.
  if (!table) {
    Query text = built.boost.empty() ? main : Query(Query::OP_AND_MAYBE, main, built.boost);
    return Query(Query::OP_AND_MAYBE, Query(Query::OP_SCALE_WEIGHT, text, 1 / kPopularityWeight),
                 Query((new Xapian::ValueWeightPostingSource(schema::kPopularity))->release()));
  }
  Query popularity((new PopularitySource(*table, kPopularityWeight))->release());
  Query boosted = built.boost.empty() ? main : Query(Query::OP_AND_MAYBE, main, built.boost);
  return Query(Query::OP_AND_MAYBE, boosted, popularity);
}

// Whether some document the request may see has `word` in its title. The spelling dictionary
// is one for every caller and keeps the words of datasets made private or deleted since (Xapian
// cannot tell whose a word was), so a suggestion is only offered when it finds something the
// caller can read.
bool seen_in_a_visible_title(const Xapian::Database& db, const Query& visibility,
                             const std::string& word) {
  const std::string term = schema::kTitle + word;
  if (db.get_termfreq(term) == 0) return false;
  if (visibility.empty()) return true;
  Xapian::Enquire enquire(db);
  enquire.set_query(Query(Query::OP_FILTER, Query(term), visibility));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  return !enquire.get_mset(0, 1).empty();
}

std::string spelling_suggestion(const Xapian::Database& db, const std::vector<std::string>& words,
                                const Query& visibility) {
  std::string out;
  bool changed = false;
  for (const auto& w : words) {
    std::string s = utf8_length(w) >= 2 ? db.get_spelling_suggestion(w, 2) : std::string();
    if (!out.empty()) out.push_back(' ');
    if (!s.empty() && s != w && seen_in_a_visible_title(db, visibility, s)) {
      out += s;
      changed = true;
    } else {
      out += w;
    }
  }
  return changed ? out : std::string();
}

// "Did you mean" from the jamo-level corrections the query already searched (typo.h): offered
// when the word as typed is in no title the caller can see and a correction is, i.e. when the
// correction is what ranks; of several, the one in most titles. (Corrections exist only for
// words whose stem the vocabulary does not know, so the typed form is the one to look for.)
std::string correction_suggestion(const Xapian::Database& db, const BuiltQuery& built,
                                  const Query& visibility) {
  if (built.corrections.size() != built.words.size()) return {};
  std::string out;
  bool changed = false;
  for (std::size_t i = 0; i < built.words.size(); ++i) {
    const std::string& typed = built.words[i];
    std::string best;
    Xapian::doccount best_titles = 0;
    if (!built.corrections[i].empty() && !seen_in_a_visible_title(db, visibility, typed)) {
      for (const auto& c : built.corrections[i]) {
        const Xapian::doccount titles = db.get_termfreq(schema::kTitle + c);
        if (titles > best_titles && seen_in_a_visible_title(db, visibility, c)) {
          best = c;
          best_titles = titles;
        }
      }
    }
    if (!out.empty()) out.push_back(' ');
    out += best.empty() ? typed : best;
    changed |= !best.empty();
  }
  return changed ? out : std::string();
}

}  // namespace

SearchResponse run_search(const Xapian::Database& db, const DocTable* table,
                          const SynonymTable& synonyms, const QueryReadings& readings,
                          const SearchRequest& request) {
  validate(request);
  const double docs = db.get_doccount();
  QueryBuilder builder(synonyms, request.canonical, readings, [&db, docs](const std::string& t) {
    const double n = db.get_termfreq(t);
    // BM25's idf, kept above 0 for a term most documents have
    return n == 0 ? 0.0 : std::max(0.01, std::log((docs - n + 0.5) / (n + 0.5)));
  });
  QueryNode q_tree = parse_query(request.q, &is_query_field, true);
  QueryNode fq_tree = parse_query(request.fq, &is_query_field, false);
  Query filter = visibility_filter(db, request);
  if (fq_tree.kind != QueryNode::Kind::All) {  // fq given
    filter = filter.empty() ? builder.build_filter(fq_tree)
                            : Query(Query::OP_FILTER, builder.build_filter(fq_tree), filter);
  }

  SearchResponse response;
  const Xapian::doccount total = std::max<Xapian::doccount>(db.get_doccount(), 1);
  BuiltQuery built;
  SortPlan plan;
  std::vector<const FacetField*> facet_list;
  for (const auto& f : request.facet_fields) facet_list.push_back(find_facet_field(f));

  // Cursor
  std::int64_t start = request.start;
  std::string after_key;
  if (!request.cursor.empty()) {
    std::string raw;
    if (!unhex(request.cursor, raw) || raw.size() < 2) fail("invalid cursor");
    if (raw[0] == 'o') {
      try {
        start = std::stoll(raw.substr(1));
      } catch (const std::exception&) {
        fail("invalid cursor");
      }
      if (start < 0 || start > kMaxStart) fail("invalid cursor");
    } else if (raw[0] == 'k') {
      // Xapian's remote backend runs no MatchDecider: a node searching remote shards pages
      // sorted searches by offset and never hands out these cursors.
      if (!table) fail("this cursor does not fit a search over remote shards");
      after_key = raw.substr(1);
      start = 0;
    } else {
      fail("invalid cursor");
    }
  }

  built = builder.build_q(q_tree, false);
  plan = parse_sort(request.sort, built.has_text);
  if (!after_key.empty() && plan.score_first) fail("this cursor does not fit the sort");
  Xapian::MultiValueKeyMaker keys;
  for (const auto& k : plan.keys) keys.add_value(sort_slot(k.field), k.descending);
  keys.add_value(schema::kIdValue, false);
  AfterKey after(keys, after_key);
  std::unique_ptr<FacetCounter> facets;
  std::unique_ptr<ShardFacetCounter> shard_facets;
  auto facet_spy = [&]() -> Xapian::MatchSpy* {
    if (table) return facets.get();
    return shard_facets->spy();
  };

  // Runs the search: the page, the exact count and the facets. Returns the count.
  std::vector<PageItem> page_items;
  auto take_page = [&](const Xapian::MSet& mset) {
    page_items.clear();
    // Of remote shards: ask for the page's documents at once. (The range form: Xapian 1.4.22's
    // MSet::fetch() without one crashes for a page that does not start at 0.)
    if (!table && !mset.empty()) mset.fetch(mset.begin(), mset.end());
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      page_items.push_back({it.get_document(), it.get_weight()});
    }
  };
  auto execute = [&]() -> Xapian::doccount {
    Query main = filtered(built.match, filter);
    if (table) {
      facets = std::make_unique<FacetCounter>(*table, facet_list);
    } else {
      shard_facets = std::make_unique<ShardFacetCounter>(facet_list);
    }
    const auto first = static_cast<Xapian::doccount>(start);
    const auto rows = static_cast<Xapian::doccount>(request.rows);
    const Xapian::MatchDecider* decider = after_key.empty() ? nullptr : &after;
    if (!plan.uses_score || !plan.score_first) {
      // Sorted by keys first (or no text to rank by): the matcher has to look at every match
      // anyway, so one pass gives the page, the count and the facets.
      Xapian::Enquire enquire(db);
      const Query query = plan.uses_score ? ranked_query(built, main, table) : main;
      const Xapian::BM25Weight ranked_weight = bm25();
      const Xapian::BoolWeight bool_weight;
      const Xapian::Weight& weight =
          plan.uses_score ? static_cast<const Xapian::Weight&>(ranked_weight) : bool_weight;
      enquire.set_query(query);
      enquire.set_weighting_scheme(weight);
      if (table) {
        if (!facet_list.empty()) enquire.add_matchspy(facet_spy());
        if (plan.uses_score) {
          enquire.set_sort_by_key_then_relevance(&keys, false);
        } else {
          enquire.set_sort_by_key(&keys, false);
        }
        const Xapian::MSet mset = enquire.get_mset(first, rows, total, nullptr, decider);
        take_page(mset);
        return mset.get_matches_estimated();
      }
      // The remote backend sorts by one value slot (no KeyMaker): by the first field, and the
      // full key settles the page (remote_sort.h).
      const Xapian::valueno slot =
          plan.keys.empty() ? schema::kIdValue : sort_slot(plan.keys.front().field);
      const bool descending = !plan.keys.empty() && plan.keys.front().descending;
      enquire.set_sort_by_value(slot, descending);
      const Xapian::MSet mset = enquire.get_mset(first, rows, total);
      const Xapian::doccount matches = mset.get_matches_estimated();
      if (!facet_list.empty()) {
        // A match spy on the value-sorted remote match counted one document too many (Xapian
        // 1.4.22, an organization's facet in remote_shards_test): count in an unsorted pass,
        // as ranked searches do.
        Xapian::Enquire all(db);
        all.set_query(main);
        all.set_weighting_scheme(Xapian::BoolWeight());
        all.add_matchspy(facet_spy());
        all.get_mset(0, 0, total);
      }
      page_items =
          remote_sorted_page(db, query, weight, slot, descending, keys, mset, first, matches);
      return matches;
    }
    // Ranked: the page from a weighted match that stops as soon as no other document can reach
    // it, then the exact count and the facets from every match without weights: the match as a
    // set of docids, or else an unweighted pass of the matcher (only posting lists and the
    // in-memory facet table either way).
    Xapian::Enquire ranked(db);
    ranked.set_query(ranked_query(built, main, table));
    ranked.set_weighting_scheme(bm25());
    // Ties in score are rare (the popularity prior separates most documents) and go by index
    // order: breaking them by key would read two more values of every match.
    ranked.set_sort_by_relevance();
    const Xapian::MSet mset = ranked.get_mset(first, rows, Xapian::doccount{0});
    take_page(mset);
    if (mset.get_matches_lower_bound() == mset.get_matches_upper_bound() &&
        facet_list.empty()) {
      return mset.get_matches_estimated();  // the weighted pass already saw every match
    }
    if (table) {
      // From the posting lists as a set of docids when the match is boolean operators over
      // terms (match_sets.h): no second pass of the matcher, the same documents.
      if (auto matches = table->match_sets().evaluate(db, main)) {
        if (!facet_list.empty()) facets->add_all(*matches);
        return static_cast<Xapian::doccount>(matches->count());
      }
    }
    Xapian::Enquire all(db);
    all.set_query(main);
    all.set_weighting_scheme(Xapian::BoolWeight());
    if (!facet_list.empty()) all.add_matchspy(facet_spy());
    return all.get_mset(0, 0, total).get_matches_estimated();
  };

  Xapian::doccount count = execute();
  if (count == 0 && built.has_text && request.cursor.empty()) {
    // Nothing has every word: look again for documents with any of them.
    BuiltQuery relaxed = builder.build_q(q_tree, true);
    if (relaxed.match.get_description() != built.match.get_description()) {
      built = std::move(relaxed);
      count = execute();
    }
  }
  // With a search-after cursor, count is what remains after the cursor.
  response.count = static_cast<std::int64_t>(count);
  for (const PageItem& item : page_items) {
    SearchHit hit;
    hit.package_json = item.doc.get_data();
    hit.score = table ? item.weight : item.weight * kPopularityWeight;  // see ranked_query
    if (request.highlight && built.has_text) {
      rapidjson::Document pkg;
      // Our own stored package dict (document.cpp), not untrusted text.
      pkg.Parse(hit.package_json.c_str(), hit.package_json.size());
      if (pkg.IsObject()) {
        for (const char* field : {"notes", "title"}) {
          auto m = pkg.FindMember(field);
          if (m != pkg.MemberEnd() && m->value.IsString()) {
            // Source markup (<br/>, entities) is not text to match or show.
            hit.highlight = highlight(catalog::source_text(std::string_view(
                                          m->value.GetString(), m->value.GetStringLength())),
                                      built.highlight_terms);
            if (!hit.highlight.empty()) break;
          }
        }
      }
    }
    response.results.push_back(std::move(hit));
  }
  // The next page, if there is one.
  const auto page = static_cast<std::int64_t>(page_items.size());
  const std::int64_t remaining = after_key.empty() ? response.count - start : response.count;
  if (request.rows > 0 && page == request.rows && page < remaining) {
    if (plan.score_first || !table) {
      if (start + page <= kMaxStart) response.next_cursor = hex("o" + std::to_string(start + page));
    } else {
      response.next_cursor = hex("k" + keys(page_items.back().doc));
    }
  }
  for (std::size_t i = 0; i < facet_list.size(); ++i) {
    std::int64_t limit = request.facet_limit < 0 ? kMaxFacetLimit
                                                 : std::min(request.facet_limit, kMaxFacetLimit);
    const FacetCounts counts = table ? facets->counts(i) : shard_facets->counts(i);
    response.facets.push_back(
        {facet_list[i]->name, facet_items(*facet_list[i], counts, limit, request.facet_mincount)});
  }
  response.sort = plan.normalised;
  if (built.has_text) {
    const Query visibility = visibility_filter(db, request);
    response.suggestion = correction_suggestion(db, built, visibility);
    if (response.suggestion.empty() && response.count == 0) {
      response.suggestion = spelling_suggestion(db, built.words, visibility);
    }
  }
  return response;
}

std::vector<AutocompleteItem> run_autocomplete(const Xapian::Database& db, const std::string& q,
                                               std::size_t limit,
                                               const SearchRequest& visibility) {
  if (!catalog::is_valid_utf8(q)) fail("query is not valid UTF-8");
  if (q.size() > 200) fail("autocomplete query too long");
  limit = std::clamp<std::size_t>(limit, 1, 100);
  auto tokens = tokenize(catalog::to_nfc(q));
  std::vector<Token> words;
  for (auto& t : tokens) {
    if (!t.part) words.push_back(std::move(t));
  }
  if (words.empty()) return {};
  if (words.size() > 16) fail("autocomplete query has too many words");
  const bool last_complete = !q.empty() && (q.back() == ' ');
  std::vector<Query> parts;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const Token& t = words[i];
    std::vector<Query> alts;
    std::string prefix = std::string(schema::kTitle);
    if (i + 1 == words.size() && !last_complete) {
      // The word being typed: any title term starting with it.
      alts.emplace_back(Query::OP_WILDCARD, prefix + t.text, 200,
                        Query::WILDCARD_LIMIT_MOST_FREQUENT);
    }
    alts.emplace_back(prefix + t.stem);
    auto bigrams = hangul_bigrams(t.stem);
    if (!bigrams.empty()) {
      std::vector<Query> bq;
      for (const auto& b : bigrams) bq.emplace_back(prefix + b);
      alts.emplace_back(Query::OP_AND, bq.begin(), bq.end());
    }
    parts.emplace_back(Query::OP_OR, alts.begin(), alts.end());
  }
  Query match(Query::OP_AND, parts.begin(), parts.end());
  Xapian::Enquire enquire(db);
  enquire.set_query(filtered(match, visibility_filter(db, visibility)));
  enquire.set_weighting_scheme(bm25());
  enquire.set_sort_by_relevance_then_value(schema::kViews, true);
  Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
  std::vector<AutocompleteItem> out;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    rapidjson::Document pkg;
    std::string data = it.get_document().get_data();
    // Our own stored package dict (document.cpp), not untrusted text.
    pkg.Parse(data.c_str(), data.size());
    if (!pkg.IsObject()) continue;
    AutocompleteItem item;
    if (auto m = pkg.FindMember("name"); m != pkg.MemberEnd() && m->value.IsString()) {
      item.name = m->value.GetString();
    }
    if (auto m = pkg.FindMember("title"); m != pkg.MemberEnd() && m->value.IsString()) {
      item.title = m->value.GetString();
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace datamap::search
