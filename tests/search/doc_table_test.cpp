// The in-memory doc table (search/doc_table.h) against a real Xapian index written with the
// project's own documents.
#include <gtest/gtest.h>

#include <xapian.h>

#include <cmath>
#include <set>

#include "search/doc_table.h"
#include "search/document.h"
#include "search/schema.h"
#include "tests/support/temp_dir.h"

using namespace datamap;
using namespace datamap::search;

namespace {

catalog::Dataset dataset(const std::string& id, std::vector<std::string> tags, std::int64_t views) {
  catalog::Dataset d;
  d.id = id;
  d.name = "ds-" + id;
  d.title = "표본 " + id;
  d.tags = std::move(tags);
  d.views = views;
  return d;
}

// What the metadata quality score adds to a dataset's ranking prior (search/schema.h).
double quality_share(const catalog::Dataset& d) {
  return schema::kQualityPrior *
         catalog::quality::score_dataset(d, nullptr, {}, catalog::quality::today_utc()).ratio();
}

std::set<std::string> tags_of(const DocTable& table, Xapian::docid did) {
  const std::size_t tag_field = find_facet_field("tags") - facet_fields().data();
  std::set<std::string> out;
  for (std::uint32_t v : table.values(did)) {
    if (DocTable::field_of(v) == tag_field) {
      out.emplace(table.value_text(tag_field, DocTable::number_of(v)));
    }
  }
  return out;
}

}  // namespace

TEST(DocTable, ReadsFacetsAndPopularityAndFollowsUpdates) {
  datamap::testing::TempDir dir;
  Xapian::WritableDatabase db(dir.file("index"), Xapian::DB_CREATE | Xapian::DB_NO_SYNC);
  const auto a = db.add_document(build_document(dataset("a", {"버스", "교통"}, 999), nullptr).doc);
  const auto b = db.add_document(build_document(dataset("b", {"환경"}, 0), nullptr).doc);
  db.commit();

  DocTable table(db);
  EXPECT_EQ(tags_of(table, a), (std::set<std::string>{"버스", "교통"}));
  EXPECT_EQ(tags_of(table, b), std::set<std::string>{"환경"});
  // log10(1 + views) and the quality score's share (the same for these two: tags, no more).
  const double q = quality_share(dataset("a", {"버스", "교통"}, 999));
  ASSERT_EQ(q, quality_share(dataset("b", {"환경"}, 0)));
  EXPECT_NEAR(table.popularity(a), 3.0 + q, 1e-6);  // log10(1 + 999)
  EXPECT_NEAR(table.max_popularity_from(1), 3.0 + q, 1e-6);
  EXPECT_NEAR(table.max_popularity_from(b), 0.0 + q, 1e-6);  // what is left after a
  EXPECT_TRUE(table.values(b + 100).empty());             // a docid it does not know

  // b changes two thousand times: the table keeps up, and its memory does not grow with the
  // number of updates.
  for (int i = 0; i < 2000; ++i) {
    std::string tag = "대기";  // (not "대기" + to_string: GCC 12 warns falsely on it)
    tag += std::to_string(i % 3);
    auto d = dataset("b", {"환경", tag}, 9999);
    BuiltDocument built = build_document(d, nullptr);
    db.replace_document(built.id_term, built.doc);
    db.commit();
    table.update(db, {built.id_term});
  }
  EXPECT_EQ(tags_of(table, b), (std::set<std::string>{"환경", "대기1"}));  // 1999 % 3
  EXPECT_EQ(tags_of(table, a), (std::set<std::string>{"버스", "교통"}));
  EXPECT_NEAR(table.max_popularity_from(b), 4.0 + q, 1e-6);  // log10(1 + 9999)
  EXPECT_LT(table.arena_size(), 5000u) << "superseded values are dropped";

  // A new document is picked up by its id term; a deleted one is simply never reached.
  BuiltDocument c = build_document(dataset("c", {"새로움"}, 5), nullptr);
  const auto c_did = db.add_document(c.doc);
  db.delete_document(a);
  db.commit();
  std::string a_term = schema::kId;
  a_term += "a";
  table.update(db, {c.id_term, a_term});
  EXPECT_EQ(tags_of(table, c_did), std::set<std::string>{"새로움"});
}

// FacetCounter's counts (read from the doc table's value ids) equal counting the stored facet
// blobs directly, for every choice of fields: the guard for any change to how it reads them.
TEST(FacetCounter, CountsEqualTheStoredValuesForEveryChoiceOfFields) {
  datamap::testing::TempDir dir;
  Xapian::WritableDatabase db(dir.file("index"), Xapian::DB_CREATE | Xapian::DB_NO_SYNC);
  const std::vector<std::string> licenses = {"KOGL-1", "KOGL-4", ""};
  const std::vector<std::string> formats = {"CSV", "XLSX", "JSON"};
  for (int i = 0; i < 60; ++i) {
    auto d = dataset(std::to_string(i), {"tag" + std::to_string(i % 7), "공통"}, i);
    d.license_id = licenses[i % 3];
    d.frequency = i % 2 ? "연간" : "";
    for (int r = 0; r <= i % 3; ++r) {
      catalog::Resource res;
      res.format = formats[(i + r) % 3];
      d.resources.push_back(res);
    }
    for (int c = 0; c < i % 5; ++c) d.columns.push_back({"열" + std::to_string(c), "text", "", ""});
    db.add_document(build_document(d, nullptr).doc);
  }
  db.commit();
  const DocTable table(db);

  const std::vector<std::vector<std::string>> choices = {
      {"tags"},        {"res_format"},        {"license_id"},
      {"columns"},     {"frequency", "tags"}, {"columns", "res_format", "license_id"},
      {"organization"}};
  for (const auto& names : choices) {
    std::vector<const FacetField*> fields;
    for (const auto& n : names) fields.push_back(find_facet_field(n));
    FacetCounter counter(table, fields);
    std::vector<FacetCounts> expected(fields.size());
    for (Xapian::docid did = 1; did <= db.get_lastdocid(); ++did) {
      const Xapian::Document doc = db.get_document(did);
      counter(doc, 0);
      for_each_facet_entry(doc.get_value(schema::kFacets), [&](char code, std::string_view text) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
          if (fields[i]->code == code) ++expected[i][std::string(text)];
        }
        return true;
      });
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
      EXPECT_EQ(counter.counts(i), expected[i]) << names[i] << " of " << names.size();
      if (names[i] != "organization") {  // no organization given to build_document
        EXPECT_FALSE(expected[i].empty()) << names[i];
      }
    }
  }
}
