// CKAN JSON imported into a real SQLite store, in each of its three shapes.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "catalog/import/importer.h"
#include "catalog/store.h"
#include "tests/catalog/import_fixtures.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog::importer {
namespace {

std::string jsonl(const std::string& array_json) {
  rapidjson::Document doc;
  doc.Parse(array_json.c_str());
  std::string out;
  for (const auto& p : doc.GetArray()) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    p.Accept(w);
    out.append(sb.GetString(), sb.GetSize());
    out += "\n";
  }
  return out;
}

TEST(ImportCkanStore, AllThreeShapesImportTheSame145Packages) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  std::string array = testing::fixture("datagov-harvest-sources.ckan.json");

  ImportSummary first = import_bytes(*store, array);
  EXPECT_EQ(first.format, "CKAN JSON");
  EXPECT_EQ(first.added, 145u);
  EXPECT_TRUE(first.rejected.empty());
  EXPECT_EQ(store->count_datasets(), 145);
  const std::int64_t head = store->head_revision();

  ImportSummary search =
      import_bytes(*store,
                   "{\"help\": \"package_search\", \"success\": true, \"result\": {\"count\": 145, "
                   "\"results\": " +
                       array + "}}");
  EXPECT_EQ(search.unchanged, 145u);
  ImportSummary lines = import_bytes(*store, jsonl(array));
  EXPECT_EQ(lines.format, "CKAN JSON lines (ckanapi dump)");
  EXPECT_EQ(lines.unchanged, 145u);
  EXPECT_EQ(store->head_revision(), head);

  auto d = store->dataset("u-s-forest-service-geospatial-data-discovery");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->id, "11cd07d8-f5a7-4207-9852-6160e09ff240");
  EXPECT_EQ(d->source, "ckan");
  auto org = store->organization("usda-gov");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->id, "4ae51f6c-467a-4f9d-b40a-2c52e83c326a");
  EXPECT_EQ(org->title, "Department of Agriculture");
  EXPECT_EQ(d->owner_org, org->id);
}

TEST(ImportCkanStore, AnOwnerOrgTheCatalogDoesNotKnowIsKeptAsAnExtra) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  store->write([](Transaction& tx) {
    Organization o;
    o.id = "org-id-1";
    o.name = "seoul";
    o.title = "서울특별시";
    tx.put_organization(o);
  });
  ImportSummary s = import_bytes(
      *store,
      "{\"id\": \"p1\", \"name\": \"known-owner\", \"title\": \"A\", \"owner_org\": \"seoul\"}\n"
      "{\"id\": \"p2\", \"name\": \"unknown-owner\", \"title\": \"B\", \"owner_org\": "
      "\"nowhere\"}\n");
  EXPECT_EQ(s.added, 2u);
  EXPECT_EQ(store->dataset("known-owner")->owner_org, "org-id-1");
  auto unknown = store->dataset("unknown-owner");
  EXPECT_EQ(unknown->owner_org, "");
  ASSERT_FALSE(unknown->extras.empty());
  EXPECT_EQ(unknown->extras.back(), (std::pair<std::string, std::string>{"owner_org", "nowhere"}));
  EXPECT_EQ(store->organizations().size(), 1u);  // no agency invented
}

TEST(ImportCkanStore, AChangedPackageUpdatesAndAnInvalidOneIsRejected) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  ASSERT_EQ(import_bytes(*store,
                         "[{\"id\": \"p1\", \"name\": \"alpha\", \"title\": \"Alpha\"},"
                         "{\"id\": \"p2\", \"name\": \"beta\", \"title\": \"Beta\"}]")
                .added,
            2u);
  ImportSummary s = import_bytes(
      *store,
      "[{\"id\": \"p1\", \"name\": \"alpha\", \"title\": \"Alpha, revised\"},"
      "{\"id\": \"p2\", \"name\": \"beta\", \"title\": \"Beta\"},"
      "{\"id\": \"p3\", \"name\": \"gamma\", \"title\": \"\"},"
      "{\"id\": \"p4\", \"name\": \"delta\", \"title\": \"Delta\", \"private\": \"maybe\"}]");
  EXPECT_EQ(s.updated, 1u);
  EXPECT_EQ(s.unchanged, 1u);
  ASSERT_EQ(s.rejected.size(), 2u);
  EXPECT_EQ(s.rejected[0].where, "package[2]");
  EXPECT_NE(s.rejected[0].reason.find("title: Missing value"), std::string::npos);
  EXPECT_NE(s.rejected[1].reason.find("private"), std::string::npos);
  EXPECT_EQ(store->dataset("alpha")->title, "Alpha, revised");
  EXPECT_FALSE(store->dataset("gamma"));
}

}  // namespace
}  // namespace datamap::catalog::importer
