// The commands besides `serve` on a PostgreSQL catalog: `import`, `reindex`, `quality snapshot`
// and `harvest run` with --catalog, and `[catalog] url` in the config file in place of the flag
// (issue 20). Each writes to or reads from the real throwaway PostgreSQL
// (tests/support/pg_cluster.h), never the data directory's SQLite catalog.
#include <gtest/gtest.h>

#include <fstream>

#include "catalog/store.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

const char* kPackages = R"([
  {"name": "bus-stops", "title": "버스 정류장 위치", "tags": [{"name": "교통"}]},
  {"name": "air-quality", "title": "대기 오염 측정", "tags": [{"name": "환경"}]}])";

std::int64_t datasets_in(const std::string& url) {
  return catalog::open_postgres_store(url)->count_datasets();
}

std::int64_t datasets_in_sqlite(const std::string& data_dir) {
  return catalog::open_sqlite_store(data_dir + "/catalog.db")->count_datasets();
}

TEST(PostgresCli, ImportAndReindexUseTheCatalogFlag) {
  const std::string url = PgCluster::shared().new_database();
  TempDir dir;
  const std::string file = dir.file("packages.json");
  std::ofstream(file) << kPackages;
  auto imported = run_datamap({"import", "--data", dir.file("node"), "--catalog", url, file});
  ASSERT_EQ(imported.exit_code, 0) << imported.output << imported.errors;
  EXPECT_NE(imported.output.find("added 2"), std::string::npos) << imported.output;
  EXPECT_EQ(datasets_in(url), 2);
  EXPECT_EQ(datasets_in_sqlite(dir.file("node")), 0) << "the node's SQLite catalog stays empty";

  // Another node's directory: its search index is built from the shared catalog.
  auto reindexed = run_datamap({"reindex", "--data", dir.file("other"), "--catalog", url});
  ASSERT_EQ(reindexed.exit_code, 0) << reindexed.output << reindexed.errors;
  EXPECT_NE(reindexed.output.find("search index: 2 datasets"), std::string::npos)
      << reindexed.output;

  // The day's quality snapshot scores the shared catalog's datasets.
  auto snapshot =
      run_datamap({"quality", "snapshot", "--data", dir.file("node"), "--catalog", url});
  ASSERT_EQ(snapshot.exit_code, 0) << snapshot.output << snapshot.errors;
  EXPECT_NE(snapshot.output.find(", 2 datasets,"), std::string::npos) << snapshot.output;

  // Bad input: a catalog that is not a PostgreSQL URL stops the command, and nothing is written.
  auto refused =
      run_datamap({"import", "--data", dir.file("node"), "--catalog", "sqlite:///tmp/x", file});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.errors.find("postgresql://"), std::string::npos) << refused.errors;
  EXPECT_EQ(datasets_in_sqlite(dir.file("node")), 0);
  EXPECT_EQ(datasets_in(url), 2);
}

TEST(PostgresCli, HarvestRunWritesToTheCatalogFlag) {
  const std::string url = PgCluster::shared().new_database();
  FixtureHttpServer remote;
  remote.route("/data.json", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json",
             R"({"dataset": [{"identifier": "env-1", "title": "Air quality"},
                             {"identifier": "env-2", "title": "Water quality"}]})");
  });
  TempDir dir;
  auto run = run_datamap({"harvest", "run", remote.url("/data.json"), "--type", "datajson",
                          "--data", dir.path(), "--catalog", url, "--allow-host", "127.0.0.1"});
  ASSERT_EQ(run.exit_code, 0) << run.output << run.errors;
  EXPECT_NE(run.output.find("added 2"), std::string::npos) << run.output;
  EXPECT_EQ(datasets_in(url), 2);
  EXPECT_EQ(datasets_in_sqlite(dir.path()), 0);
}

// A node configured once: `[catalog] url` serves for `user add` and `serve` without a flag, and a
// --catalog flag still wins over it.
TEST(PostgresCli, TheConfigFilesCatalogUrlNeedsNoFlag) {
  const std::string url = PgCluster::shared().new_database();
  TempDir dir;
  const std::string config = dir.file("datamap.toml");
  std::ofstream(config) << "[catalog]\nurl = \"" << url << "\"\n";
  auto added = run_datamap(
      {"user", "add", "admin", "--sysadmin", "--data", dir.file("node"), "--config", config});
  ASSERT_EQ(added.exit_code, 0) << added.errors;
  std::string token = added.output;
  while (!token.empty() && (token.back() == '\n' || token.back() == ' ')) token.pop_back();
  EXPECT_TRUE(catalog::open_postgres_store(url)->user("admin").has_value());

  TestServer::Options o;
  o.config_toml = "[catalog]\nurl = \"" + url + "\"\n";
  TestServer server(o);
  auto org = server.client().action("organization_create", R"({"name":"from-config"})", token);
  ASSERT_EQ(org.status, 200) << org.body << server.log();
  EXPECT_TRUE(catalog::open_postgres_store(url)->organization("from-config").has_value());

  // The flag wins: the same config with --catalog naming another database.
  const std::string other = PgCluster::shared().new_database();
  auto elsewhere = run_datamap({"user", "add", "second", "--data", dir.file("node"), "--config",
                                config, "--catalog", other});
  ASSERT_EQ(elsewhere.exit_code, 0) << elsewhere.errors;
  EXPECT_TRUE(catalog::open_postgres_store(other)->user("second").has_value());
  EXPECT_FALSE(catalog::open_postgres_store(url)->user("second").has_value());

  // Bad input: a [catalog] url that is not PostgreSQL's is refused by name, not ignored.
  std::ofstream(config) << "[catalog]\nurl = \"mysql://somewhere/db\"\n";
  auto refused = run_datamap({"reindex", "--data", dir.file("node"), "--config", config});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.errors.find("[catalog] url"), std::string::npos) << refused.errors;
}

}  // namespace
}  // namespace datamap::testing
