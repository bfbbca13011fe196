// Match sets (search/match_sets.h) against Xapian's own matcher: for random boolean queries over
// a real on-disk index, the set of docids must be exactly the documents an unweighted Enquire
// returns, also after documents are deleted and changed (kept term sets must not go stale).
#include "search/match_sets.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

using namespace datamap;
using namespace datamap::search;
using Xapian::Query;

namespace {

// Terms of very different frequencies: common ones are kept by MatchSets (>= 2,000 documents),
// rare ones read each time, and "absent" is in no document.
const std::vector<std::string> kTerms = {"common", "half", "third", "tenth", "rare", "absent"};

Xapian::Document document_for(std::mt19937& rng, std::size_t i) {
  Xapian::Document doc;
  doc.add_term("Q" + std::to_string(i));
  doc.add_term("common");
  if (rng() % 2) doc.add_term("half");
  if (rng() % 3 == 0) doc.add_term("third");
  if (rng() % 10 == 0) doc.add_term("tenth");
  if (rng() % 500 == 0) doc.add_term("rare");
  doc.add_value(0, std::to_string(i % 7));
  return doc;
}

std::set<Xapian::docid> xapian_matches(const Xapian::Database& db, const Query& q) {
  Xapian::Enquire enquire(db);
  enquire.set_query(q);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  std::set<Xapian::docid> out;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount() + 1);
  for (auto it = mset.begin(); it != mset.end(); ++it) out.insert(*it);
  return out;
}

std::set<Xapian::docid> members(const DocSet& set) {
  std::set<Xapian::docid> out;
  set.for_each([&](Xapian::docid did) { out.insert(did); });
  return out;
}

// A random tree of every operator MatchSets answers, up to `depth` levels.
Query random_query(std::mt19937& rng, int depth) {
  if (depth == 0 || rng() % 4 == 0) {
    switch (rng() % 8) {
      case 0:
        return Query::MatchAll;
      case 1:
        return Query::MatchNothing;
      default:
        return Query(kTerms[rng() % kTerms.size()]);
    }
  }
  static const Query::op ops[] = {Query::OP_AND,          Query::OP_OR,     Query::OP_AND_NOT,
                                  Query::OP_XOR,          Query::OP_FILTER, Query::OP_AND_MAYBE,
                                  Query::OP_SCALE_WEIGHT, Query::OP_SYNONYM};
  const Query::op op = ops[rng() % std::size(ops)];
  if (op == Query::OP_SCALE_WEIGHT) {
    return Query(op, random_query(rng, depth - 1), (rng() % 3) * 0.5);
  }
  std::vector<Query> sides;
  const std::size_t n = 2 + rng() % 3;
  for (std::size_t i = 0; i < n; ++i) sides.push_back(random_query(rng, depth - 1));
  if (op == Query::OP_SYNONYM) {  // Xapian allows only terms (and wildcards) under a synonym
    sides.clear();
    for (std::size_t i = 0; i < n; ++i) sides.emplace_back(kTerms[rng() % kTerms.size()]);
  }
  return Query(op, sides.begin(), sides.end());
}

class MatchSetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Xapian::WritableDatabase db(dir_.path() + "/index", Xapian::DB_CREATE);
    for (std::size_t i = 0; i < 6000; ++i) db.add_document(document_for(rng_, i));
    db.commit();
  }
  std::string path() const { return dir_.path() + "/index"; }

  // Every random query of this seed answers as Xapian does; returns how many had a set.
  int compare_random_queries(MatchSets& sets, unsigned seed, int queries) {
    Xapian::Database db(path());
    std::mt19937 rng(seed);
    int answered = 0;
    for (int i = 0; i < queries; ++i) {
      const Query q = random_query(rng, 3);
      auto set = sets.evaluate(db, q);
      EXPECT_TRUE(set) << q.get_description();
      if (!set) continue;
      EXPECT_EQ(members(*set), xapian_matches(db, q)) << q.get_description();
      EXPECT_EQ(set->count(), members(*set).size());
      ++answered;
    }
    return answered;
  }

  datamap::testing::TempDir dir_;
  std::mt19937 rng_{42};
};

TEST_F(MatchSetsTest, RandomBooleanQueriesMatchWhatXapianMatches) {
  MatchSets sets;
  EXPECT_EQ(compare_random_queries(sets, 1, 300), 300);
  // The common terms were kept and found kept the second time round.
  EXPECT_GT(sets.terms_kept_hits(), 0u);
  const std::uint64_t read = sets.terms_read();
  EXPECT_EQ(compare_random_queries(sets, 1, 300), 300);
  EXPECT_GT(sets.terms_read(), read);  // rare terms are read again: they are not kept
}

TEST_F(MatchSetsTest, KeptSetsFollowDeletionsAndChangesOfTheIndex) {
  MatchSets sets;
  compare_random_queries(sets, 2, 100);
  {
    Xapian::WritableDatabase db(path(), Xapian::DB_OPEN);
    for (Xapian::docid did = 1; did <= 6000; did += 3) db.delete_document(did);
    for (Xapian::docid did = 2; did <= 6000; did += 7) {
      Xapian::Document doc;
      doc.add_term("tenth");  // no longer "common", now "tenth"
      db.replace_document(did, doc);
    }
    for (std::size_t i = 0; i < 500; ++i) db.add_document(document_for(rng_, 6000 + i));
    db.commit();
  }
  // The same MatchSets: what it kept belongs to the previous revision.
  EXPECT_EQ(compare_random_queries(sets, 2, 100), 100);
  EXPECT_EQ(compare_random_queries(sets, 3, 100), 100);
}

TEST_F(MatchSetsTest, AReaderAtAnOlderRevisionGetsItsOwnAnswer) {
  MatchSets sets;
  Xapian::Database old_reader(path());
  {
    Xapian::WritableDatabase db(path(), Xapian::DB_OPEN);
    for (Xapian::docid did = 1; did <= 3000; ++did) db.delete_document(did);
    db.commit();
  }
  Xapian::Database new_reader(path());
  const Query q("common");
  // Alternately, so each finds the other's revision kept.
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(sets.evaluate(new_reader, q)->count(), 3000u);
    EXPECT_EQ(sets.evaluate(old_reader, q)->count(), 6000u);
  }
}

TEST_F(MatchSetsTest, QueriesASetCannotAnswerAreLeftToXapian) {
  MatchSets sets;
  Xapian::Database db(path());
  const std::vector<Query> words{Query("common"), Query("half")};
  const Query phrase(Query::OP_PHRASE, words.begin(), words.end());
  const Query range(Query::OP_VALUE_RANGE, 0, "1", "3");
  const Query wildcard(Query::OP_WILDCARD, "ha");
  for (const Query& unanswerable : {phrase, range, wildcard}) {
    EXPECT_FALSE(sets.evaluate(db, unanswerable)) << unanswerable.get_description();
    // Anywhere in the tree.
    const Query nested(Query::OP_AND, Query("common"),
                       Query(Query::OP_OR, Query("half"), unanswerable));
    EXPECT_FALSE(sets.evaluate(db, nested)) << nested.get_description();
  }
  // A range on the weighing side of AND_MAYBE selects nothing and is not looked at.
  EXPECT_TRUE(sets.evaluate(db, Query(Query::OP_AND_MAYBE, Query("half"), range)));
}

TEST_F(MatchSetsTest, TheCacheStaysWithinItsBudget) {
  // Room for one set of 6,001 docids (752 bytes) only: every other kept set pushes it out.
  MatchSets sets(800);
  Xapian::Database db(path());
  for (int round = 0; round < 3; ++round) {
    for (const char* term : {"common", "half"}) {  // both in >= 2,000 documents: kept
      EXPECT_EQ(members(*sets.evaluate(db, Query(term))), xapian_matches(db, Query(term)));
    }
  }
  EXPECT_EQ(sets.terms_kept_hits(), 0u);  // each was pushed out before it came round again
  EXPECT_EQ(sets.terms_read(), 6u);
  // Asked twice in a row, the last one is found kept.
  sets.evaluate(db, Query("half"));
  EXPECT_EQ(sets.terms_kept_hits(), 1u);
}

}  // namespace
