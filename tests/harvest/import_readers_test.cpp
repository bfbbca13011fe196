// `datamap import` reads data.json and DCAT RDF with the harvesters' mappings, and a file
// imported then the same catalog harvested are the same datasets.
#include <gtest/gtest.h>

#include "catalog/store.h"
#include "tests/harvest/harvest_env.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/test_server.h"

namespace datamap::harvest {
namespace {

const std::string kFixtures = DATAMAP_FIXTURES;

TEST(ImportReaders, DatamapImportReadsDataJsonAndDcatRdf) {
  datamap::testing::TempDir dir;
  auto first = datamap::testing::run_datamap({"import", "--data", dir.path(),
                                              kFixtures + "/cdc-data.json.2024-09",
                                              kFixtures + "/upo-catalog.dcat-ap-it.rdf"});
  ASSERT_EQ(first.exit_code, 0) << first.output << first.errors;
  EXPECT_NE(first.output.find("added 1141"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("added 18"), std::string::npos) << first.output;
  auto again = datamap::testing::run_datamap(
      {"import", "--data", dir.path(), kFixtures + "/cdc-data.json.2024-09"});
  EXPECT_NE(again.output.find("unchanged 1141"), std::string::npos) << again.output;

  // Harvesting the same data.json over HTTP finds the imported datasets: nothing is added.
  datamap::testing::FixtureHttpServer remote;
  std::string body = datamap::testing::read_file(kFixtures + "/cdc-data.json.2024-09");
  remote.route("/data.json", [&](const datamap::testing::FixtureRequest&,
                                 datamap::testing::FixtureResponse& res) {
    res.send(200, "application/json", body);
  });
  auto store = catalog::open_sqlite_store(dir.file("catalog.db"));
  auto records = catalog::open_sqlite_harvest_records(dir.file("catalog.db"));
  net::Fetcher fetcher(testing::loopback_fetch_options());
  JobRunner runner(*store, *records, fetcher, testing::HarvestEnv::settings(dir.path()));
  catalog::HarvestSource source;
  source.name = "cdc";
  source.type = "datajson";
  source.url = remote.url("/data.json");
  records->put_source(source);
  auto job = runner.run(new_job(*records, source.id));
  ASSERT_EQ(job.status, "Finished") << job.error;
  EXPECT_EQ(job.added, 0);
  EXPECT_EQ(job.updated + job.unchanged, 1141);  // updated: the provenance label changes
  EXPECT_EQ(store->count_datasets(), 1141 + 18);
}

}  // namespace
}  // namespace datamap::harvest
