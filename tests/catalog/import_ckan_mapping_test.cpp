// CKAN package dicts -> records, without a store: the three shapes of input give the same
// records, the source's ids and names are kept, and what has no model field is kept in extras.
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "catalog/errors.h"
#include "catalog/import/ckan_reader.h"
#include "catalog/package_json.h"
#include "tests/catalog/import_fixtures.h"

namespace datamap::catalog::importer {
namespace {

std::vector<Record> read(void (*reader)(std::string_view, const ReadContext&, const RecordSink&),
                         std::string_view text) {
  std::vector<Record> out;
  reader(text, ReadContext{}, [&](Record&& r) { out.push_back(std::move(r)); });
  return out;
}

std::string extra(const Dataset& d, std::string_view key) {
  for (const auto& [k, v] : d.extras)
    if (k == key) return v;
  return "<absent>";
}

// The fixture's array as `ckanapi dump` writes it: one package per line.
std::string as_jsonl(const std::string& array_json) {
  rapidjson::Document doc;
  doc.Parse(array_json.c_str());
  std::string out;
  for (const auto& p : doc.GetArray()) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    p.Accept(w);
    out += std::string(sb.GetString(), sb.GetSize()) + "\n";
  }
  return out;
}

TEST(ImportCkanMapping, AnArrayOfPackagesKeepsIdsNamesAndOrganizations) {
  auto records = read(read_ckan_json, testing::fixture("datagov-harvest-sources.ckan.json"));
  ASSERT_EQ(records.size(), 145u);
  for (const auto& r : records) ASSERT_TRUE(r.errors.empty()) << r.where << describe(r.errors);
  const Record& r = records[0];
  const Dataset& d = r.dataset;
  EXPECT_EQ(d.id, "11cd07d8-f5a7-4207-9852-6160e09ff240");
  EXPECT_EQ(d.source_key, "11cd07d8-f5a7-4207-9852-6160e09ff240");
  EXPECT_EQ(d.name, "u-s-forest-service-geospatial-data-discovery");
  EXPECT_EQ(d.title, "U.S. Forest Service Geospatial Data Discovery");
  EXPECT_EQ(d.source, "ckan");
  EXPECT_EQ(d.type, "dataset");            // "harvest" is no dataset type here...
  EXPECT_EQ(extra(d, "type"), "harvest");  // ...but it is not lost
  EXPECT_EQ(extra(d, "source_type"), "datajson");
  EXPECT_EQ(d.frequency, "MANUAL");
  EXPECT_EQ(d.issued, "2018-08-02T18:15:34.198842");
  EXPECT_EQ(d.modified, "2018-08-03T01:45:47.874032");
  EXPECT_EQ(d.url, "https://enterprisecontent-usfs.opendata.arcgis.com/data.json");
  ASSERT_TRUE(r.organization);
  EXPECT_EQ(r.organization->id, "4ae51f6c-467a-4f9d-b40a-2c52e83c326a");
  EXPECT_EQ(r.organization->name, "usda-gov");
  EXPECT_EQ(r.organization->title, "Department of Agriculture");
  EXPECT_EQ(d.owner_org, r.organization->id);
  EXPECT_EQ(r.where, "package[0]");
}

TEST(ImportCkanMapping, PackageSearchResponseResultsAndJsonLinesGiveTheSameRecords) {
  std::string array = testing::fixture("datagov-harvest-sources.ckan.json");
  auto plain = read(read_ckan_json, array);
  auto search = read(read_ckan_json,
                     "{\"help\": \"https://catalog.data.gov/api/3/action/"
                     "help_show?name=package_search\", \"success\": true, "
                     "\"result\": {\"count\": 145, \"results\": " +
                         array + "}}");
  auto results = read(read_ckan_json, "{\"count\": 145, \"results\": " + array + "}");
  auto lines = read(read_ckan_jsonl, as_jsonl(array));
  ASSERT_EQ(plain.size(), 145u);
  ASSERT_EQ(search.size(), 145u);
  ASSERT_EQ(results.size(), 145u);
  ASSERT_EQ(lines.size(), 145u);
  for (std::size_t i = 0; i < plain.size(); ++i) {
    std::string expected = package_to_json(plain[i].dataset);
    EXPECT_EQ(package_to_json(search[i].dataset), expected);
    EXPECT_EQ(package_to_json(results[i].dataset), expected);
    EXPECT_EQ(package_to_json(lines[i].dataset), expected);
  }
  EXPECT_EQ(search[3].where, "result.results[3]");
  EXPECT_EQ(lines[3].where, "line 4");
}

TEST(ImportCkanMapping, ABrokenJsonLineIsOneRejectedRecord) {
  std::string text =
      "{\"id\": \"a1\", \"name\": \"first\", \"title\": \"First\"}\n"
      "{\"id\": \"a2\", \"name\": \"second\", \"title\": \n"
      "{\"id\": \"a3\", \"name\": \"third\", \"title\": \"Third\", \"tags\": 5}\n"
      "{\"id\": \"a4\", \"name\": \"fourth\", \"title\": \"Fourth \xFF\"}\n"
      "{\"id\": \"a5\", \"name\": \"fifth\", \"title\": \"Fifth\"}\n";
  auto records = read(read_ckan_jsonl, text);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_TRUE(records[0].errors.empty());
  EXPECT_NE(describe(records[1].errors).find("invalid JSON"), std::string::npos);
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_NE(describe(records[2].errors).find("tags"), std::string::npos);
  EXPECT_NE(describe(records[3].errors).find("invalid JSON"), std::string::npos);
  EXPECT_TRUE(records[4].errors.empty());
}

TEST(ImportCkanMapping, UnusableIdsNamesLicensesAndUrlsAreRepairedWithoutLosingThem) {
  auto records = read(read_ckan_json,
                      "[{\"id\": \"has spaces/and slashes\", \"name\": \"Not A Slug!\", "
                      "\"title\": \"Weather stations\", \"license_id\": \"CC-BY-4.0\", "
                      "\"url\": \"ftp://example.org/x\", \"issued\": \"last tuesday\", "
                      "\"license_title\": \"Creative Commons Attribution 4.0\", "
                      "\"resources\": [{\"url\": \"ftp://example.org/x.csv\", \"format\": "
                      "\"csv\"}], \"groups\": [{\"name\": \"Environment\", \"title\": "
                      "\"Environment and weather\"}]},"
                      "{\"name\": \"odd-license\", \"title\": \"X\", \"license_id\": "
                      "\"my-own-license\"}]");
  ASSERT_EQ(records.size(), 2u);
  const Record& r = records[0];
  const Dataset& d = r.dataset;
  EXPECT_TRUE(r.errors.empty()) << describe(r.errors);
  EXPECT_EQ(d.source_key, "has spaces/and slashes");
  EXPECT_EQ(extra(d, "original_id"), "has spaces/and slashes");
  EXPECT_EQ(d.name, "not-a-slug");
  EXPECT_EQ(extra(d, "original_name"), "Not A Slug!");
  EXPECT_EQ(d.license_id, "cc-by");
  EXPECT_EQ(d.url, "");
  EXPECT_EQ(extra(d, "original_url"), "ftp://example.org/x");
  EXPECT_EQ(d.issued, "");
  EXPECT_EQ(extra(d, "issued"), "last tuesday");
  ASSERT_EQ(d.resources.size(), 1u);
  EXPECT_EQ(d.resources[0].format, "CSV");
  EXPECT_EQ(d.resources[0].url, "");
  EXPECT_EQ(d.groups, std::vector<std::string>{"environment"});
  ASSERT_EQ(r.groups.size(), 1u);
  EXPECT_EQ(r.groups[0].title, "Environment and weather");

  const Dataset& odd = records[1].dataset;
  EXPECT_EQ(odd.license_id, "");
  EXPECT_EQ(extra(odd, "license_id"), "my-own-license");
  EXPECT_EQ(odd.source_key, "odd-license");  // no id: the name is the key
  EXPECT_FALSE(odd.id.empty());
}

TEST(ImportCkanMapping, ADocumentThatIsNotJsonIsRefusedAsAWhole) {
  EXPECT_THROW(read(read_ckan_json, "[{\"name\": \"a\"},"), BadRequest);
  EXPECT_THROW(read(read_ckan_json, "{\"success\": false, \"error\": {}}"), BadRequest);
  EXPECT_THROW(read(read_ckan_json, "{\"result\": {\"results\": 5}}"), BadRequest);
}

}  // namespace
}  // namespace datamap::catalog::importer
