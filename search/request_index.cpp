#include "search/request_index.h"

#include <xapian.h>

#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>

#include "catalog/errors.h"
#include "search/analysis.h"
#include "search/document.h"
#include "search/lexicon.h"
#include "search/query_builder.h"
#include "search/query_parser.h"
#include "search/schema.h"

namespace datamap::search {
namespace {

// Bumped whenever what a request document holds changes: the index is then rebuilt.
constexpr const char* kRequestSchemaVersion = "2";
// Requests read from the records per step of a rebuild, changes per step of a catch-up.
constexpr std::int64_t kBatch = 1000;

// Two title words that together are one vocabulary word (주차장 정보 -> 주차장정보), so the word
// typed without the space finds the title: the query side does not split a word the vocabulary
// knows (query_builder.cpp), and a request's title is often written with spaces a catalog
// title would not have.
void index_joined_words(Xapian::Document& doc, std::string_view title) {
  const Lexicon& lexicon = default_lexicon();
  std::vector<Token> words;
  for (auto& t : tokenize(title))
    if (!t.part) words.push_back(std::move(t));
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i].script != Script::Hangul || words[i + 1].script != Script::Hangul) continue;
    const std::string joined = words[i].text + words[i + 1].stem;
    if (!lexicon.contains(joined) || joined.size() > schema::kMaxTermBytes - 1) continue;
    doc.add_term(joined, schema::kWeightTitle);
    doc.add_term(schema::kTitle + joined, 1);
  }
}

Xapian::Document request_document(const catalog::DataRequest& r,
                                  const std::optional<catalog::Organization>& org) {
  Xapian::Document doc;
  index_title(doc, r.title);
  index_joined_words(doc, r.title);
  index_text(doc, r.description, schema::kWeightText);
  index_text(doc, r.fields, schema::kWeightText);
  index_text(doc, r.format, schema::kWeightText);
  if (org) {
    index_text(doc, org->title, schema::kWeightAgency);
    index_text(doc, org->name, schema::kWeightAgency);
  }
  doc.add_boolean_term(schema::kId + r.id);
  doc.add_value(schema::kIdValue, r.id);
  return doc;
}

}  // namespace

struct RequestIndex::Impl {
  catalog::Store& store;
  catalog::DemandRecords& records;
  const SynonymTable& synonyms;
  QueryReadings readings;
  std::mutex mu;
  std::unique_ptr<Xapian::WritableDatabase> db;

  Impl(catalog::Store& s, catalog::DemandRecords& r, const std::string& dir,
       const SynonymTable& syn, QueryReadings rd)
      : store(s), records(r), synonyms(syn), readings(rd) {
    std::filesystem::create_directories(dir);
    try {
      db = std::make_unique<Xapian::WritableDatabase>(dir, Xapian::DB_CREATE_OR_OPEN);
    } catch (const Xapian::DatabaseLockError&) {
      throw std::runtime_error("the request index " + dir +
                               " is in use by another process (a running server keeps it)");
    }
    if (db->get_metadata(schema::kSchemaKey) != kRequestSchemaVersion) rebuild();
  }

  void put(const catalog::DataRequest& r) {
    auto org = r.organization_id.empty() ? std::nullopt : store.organization(r.organization_id);
    db->replace_document(schema::kId + r.id, request_document(r, org));
  }

  // Every request from the records; the revision is read first, so a change made meanwhile is
  // applied again by the next catch-up rather than missed.
  void rebuild() {
    const std::int64_t head = store.head_revision();
    for (Xapian::docid id : all_documents()) db->delete_document(id);
    catalog::RequestQuery q;
    q.sort = "created asc";
    q.limit = kBatch;
    for (;; q.offset += kBatch) {
      auto page = records.requests(q);
      for (const auto& r : page.items) put(r);
      if (static_cast<std::int64_t>(page.items.size()) < kBatch) break;
    }
    db->set_metadata(schema::kSchemaKey, kRequestSchemaVersion);
    db->set_metadata(schema::kRevisionKey, std::to_string(head));
    db->commit();
  }

  std::vector<Xapian::docid> all_documents() {
    std::vector<Xapian::docid> ids;
    for (auto it = db->postlist_begin(""); it != db->postlist_end(""); ++it) ids.push_back(*it);
    return ids;
  }

  std::int64_t applied() {
    std::string v = db->get_metadata(schema::kRevisionKey);
    return v.empty() ? 0 : std::stoll(v);
  }

  std::int64_t catch_up() {
    std::int64_t last = applied();
    for (;;) {
      auto changes = store.changes_since(last, kBatch);
      if (changes.empty()) break;
      std::set<std::string> requests, organizations;
      for (const auto& c : changes) {
        if (c.entity == "datarequest") requests.insert(c.id);
        if (c.entity == "organization") organizations.insert(c.id);
        last = c.revision;
      }
      for (const auto& org : organizations) {  // its title is in its requests' documents
        catalog::RequestQuery q;
        q.organization_id = org;
        q.limit = 1'000'000;
        for (const auto& r : records.requests(q).items) requests.insert(r.id);
      }
      for (const auto& id : requests) {
        if (auto r = records.request(id))
          put(*r);
        else
          db->delete_document(schema::kId + id);
      }
      db->set_metadata(schema::kRevisionKey, std::to_string(last));
      db->commit();
    }
    return last;
  }

  std::vector<std::string> run(const Xapian::Query& match, const Xapian::Query& boost,
                               std::size_t limit) {
    Xapian::Enquire enquire(*db);
    enquire.set_query(boost.empty() ? match
                                    : Xapian::Query(Xapian::Query::OP_AND_MAYBE, match, boost));
    // Among equal matches, a fixed order (the id), so pages do not shuffle.
    enquire.set_sort_by_relevance_then_value(schema::kIdValue, false);
    std::vector<std::string> ids;
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
    for (auto it = mset.begin(); it != mset.end(); ++it)
      ids.push_back(it.get_document().get_value(schema::kIdValue));
    return ids;
  }
};

RequestIndex::RequestIndex(catalog::Store& store, catalog::DemandRecords& records, std::string dir,
                           const SynonymTable& synonyms, QueryReadings readings)
    : impl_(std::make_unique<Impl>(store, records, dir, synonyms, readings)) {}

RequestIndex::~RequestIndex() = default;

std::int64_t RequestIndex::catch_up() {
  std::lock_guard lock(impl_->mu);
  return impl_->catch_up();
}

std::int64_t RequestIndex::rebuild() {
  std::lock_guard lock(impl_->mu);
  impl_->rebuild();
  return impl_->db->get_doccount();
}

std::vector<std::string> RequestIndex::match(const std::string& q, std::size_t limit,
                                             bool plain_words) {
  QueryNode tree;
  if (plain_words) {
    tree.kind = QueryNode::Kind::Text;
    tree.value = q;
  } else {
    tree = parse_query(q, &is_query_field, true);
  }
  QueryBuilder builder(impl_->synonyms, {}, impl_->readings);
  BuiltQuery strict = builder.build_q(tree, false);
  if (!strict.has_text) return {};
  std::lock_guard lock(impl_->mu);
  impl_->catch_up();
  std::vector<std::string> ids = impl_->run(strict.match, strict.boost, limit);
  if (ids.empty()) {  // nothing has every word: those with any of them
    BuiltQuery relaxed = builder.build_q(tree, true);
    ids = impl_->run(relaxed.match, relaxed.boost, limit);
  }
  return ids;
}

std::int64_t RequestIndex::document_count() {
  std::lock_guard lock(impl_->mu);
  return impl_->db->get_doccount();
}

}  // namespace datamap::search
