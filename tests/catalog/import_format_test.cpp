#include <gtest/gtest.h>

#include "catalog/import/format.h"
#include "tests/catalog/import_fixtures.h"

namespace datamap::catalog::importer {
namespace {

using testing::fixture;

TEST(ImportFormat, DatagoListCsvIsRecognisedFromItsContent) {
  EXPECT_EQ(detect_format(testing::datago_2022_head(3)), Format::datago_csv);
}

TEST(ImportFormat, CkanShapesAreRecognised) {
  std::string array = fixture("datagov-harvest-sources.ckan.json");
  EXPECT_EQ(detect_format(array), Format::ckan_json);
  EXPECT_EQ(detect_format("{\"help\": \"x\", \"success\": true, \"result\": {\"count\": 145, "
                          "\"results\": " +
                          array + "}}"),
            Format::ckan_json);
  EXPECT_EQ(detect_format("{\"count\": 1, \"results\": []}"), Format::ckan_json);
  EXPECT_EQ(detect_format("{\"id\": \"a\", \"name\": \"x\", \"title\": \"X\"}"), Format::ckan_json);
  EXPECT_EQ(detect_format("{\"name\": \"a\"}\n{\"name\": \"b\"}\n"), Format::ckan_jsonl);
  EXPECT_EQ(detect_format("[]"), Format::ckan_json);
}

TEST(ImportFormat, DcatFilesAreRecognisedForTheHarvestReaders) {
  EXPECT_EQ(detect_format(fixture("cdc-data.json.2024-09")), Format::datajson);
  EXPECT_EQ(detect_format(fixture("upo-catalog.dcat-ap-it.rdf")), Format::rdf_xml);
  EXPECT_EQ(detect_format(fixture("dcat-ap-shacl/dcat-ap-SHACL.ttl")), Format::turtle);
  EXPECT_EQ(detect_format("{\"@context\": {\"dcat\": \"http://www.w3.org/ns/dcat#\"}, "
                          "\"@graph\": []}"),
            Format::jsonld);
}

TEST(ImportFormat, OtherContentIsUnknown) {
  EXPECT_EQ(detect_format(""), Format::unknown);
  EXPECT_EQ(detect_format("just some words\nwithout commas\n"), Format::unknown);
  EXPECT_EQ(detect_format("<html><body>not a catalog</body></html>"), Format::unknown);
  EXPECT_EQ(detect_format("{\"foo\": 1}"), Format::unknown);
}

TEST(ImportFormat, HarvestReadersCanBeRegistered) {
  EXPECT_TRUE(find_reader(Format::datago_csv));
  EXPECT_TRUE(find_reader(Format::ckan_json));
  EXPECT_TRUE(find_reader(Format::ckan_jsonl));
  int calls = 0;
  register_reader(Format::jsonld,
                  [&](std::string_view, const ReadContext&, const RecordSink&) { ++calls; });
  Reader reader = find_reader(Format::jsonld);
  ASSERT_TRUE(reader);
  reader("{}", ReadContext{}, [](Record&&) {});
  EXPECT_EQ(calls, 1);
  register_reader(Format::jsonld, Reader());  // leave the table as the catalog ships it
  EXPECT_FALSE(find_reader(Format::jsonld));
}

}  // namespace
}  // namespace datamap::catalog::importer
