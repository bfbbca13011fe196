// datastore_search_sql over real HTTP and the hostile inputs of issue 13 §9 that reach the
// table store: SQL that writes, ATTACH, PRAGMA, load_extension, reading SQLite's or the
// store's own tables, two statements, a query that runs forever, a column named like an
// injection, 5,000 columns. Each is a precise 4xx, the server stays up, the data unchanged.
#include <gtest/gtest.h>

#include <string>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

std::string json_text(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct SqlWorld : ApiWorld {
  std::string parks, sido;
  SqlWorld() : ApiWorld(ServerOptions()) {
    dataset("parks", "agency-a");
    parks = create(R"({"resource":{"package_id":"parks"},"fields":[{"id":"공원명","type":"text"},
        {"id":"시도코드","type":"text"},{"id":"면적","type":"numeric"}],"records":[
        {"공원명":"율하체육공원","시도코드":"27","면적":10},{"공원명":"두류공원","시도코드":"27","면적":20},
        {"공원명":"남산공원","시도코드":"11","면적":30}]})");
    sido = create(R"({"resource":{"package_id":"parks"},"fields":[{"id":"시도코드","type":"text"},
        {"id":"시도명","type":"text"}],"records":[{"시도코드":"11","시도명":"서울특별시"},
        {"시도코드":"27","시도명":"대구광역시"}]})");
  }
  static TestServer::Options ServerOptions() {
    TestServer::Options o;
    o.config_toml = "[limits]\ndatastore_sql_timeout_ms = 500\n";
    return o;
  }
  std::string create(const std::string& body) {
    return ok("datastore_create", body, sysadmin)["result"]["resource_id"].GetString();
  }
  HttpReply sql(const std::string& text, const std::string& token = "") {
    return http.action("datastore_search_sql", "{\"sql\":" + json_text(text) + "}", token);
  }
  int count_parks() {
    auto r = ok("datastore_search", R"({"resource_id":")" + parks + R"(","limit":0})");
    return r["result"]["total"].GetInt();
  }
};

TEST(DataStoreSql, CountsAndJoinsOfTwoTables) {
  SqlWorld w;
  auto count = w.sql("SELECT count(*) AS n FROM \"" + w.parks + "\" WHERE \"시도코드\" = '27'");
  ASSERT_EQ(count.status, 200) << count.body;
  auto d = count.json();
  EXPECT_EQ(d["result"]["records"][0]["n"].GetInt(), 2);
  EXPECT_STREQ(d["result"]["fields"][0]["id"].GetString(), "n");
  EXPECT_TRUE(d["result"].HasMember("sql"));
  auto join =
      w.sql("SELECT s.\"시도명\", sum(p.\"면적\") AS 면적 FROM \"" + w.parks + "\" p JOIN \"" +
            w.sido + "\" s ON s.\"시도코드\" = p.\"시도코드\" GROUP BY 1 ORDER BY 1");
  ASSERT_EQ(join.status, 200) << join.body;
  auto j = join.json();
  ASSERT_EQ(j["result"]["records"].Size(), 2u);
  EXPECT_STREQ(j["result"]["records"][0]["시도명"].GetString(), "대구광역시");
  EXPECT_EQ(j["result"]["records"][0]["면적"].GetDouble(), 30.0);
}

TEST(DataStoreSql, EverythingButOneReadIsRefusedAndNothingChanges) {
  SqlWorld w;
  const std::string t = "\"" + w.parks + "\"";
  const std::vector<std::pair<std::string, std::string>> hostile = {
      {"INSERT INTO " + t + " (\"공원명\") VALUES ('x')", "INSERT"},
      {"UPDATE " + t + " SET \"면적\" = 0", "UPDATE"},
      {"DELETE FROM " + t, "DELETE"},
      {"DROP TABLE " + t, "DROP"},
      {"CREATE TABLE x (a)", "CREATE"},
      {"WITH d AS (SELECT 1) DELETE FROM " + t, "DELETE"},
      {"ATTACH DATABASE '/tmp/evil.db' AS evil", "ATTACH"},
      {"PRAGMA writable_schema = 1", "PRAGMA"},
      {"SELECT * FROM pragma_table_info('_ds_tables')", "Not authorized"},
      {"SELECT load_extension('/tmp/evil.so')", "load_extension"},
      {"SELECT name FROM sqlite_master", "sqlite_master"},
      {"SELECT count(*) FROM sqlite_schema", "sqlite_schema"},
      {"SELECT * FROM _ds_tables", "_ds_tables"},
      {"SELECT * FROM _ds_fields", "_ds_fields"},
      {"SELECT * FROM " + t + "; DROP TABLE " + t, "more than one statement"},
      {"SELECT 1; SELECT 2", "more than one statement"},
      {"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n",
       "took too long"},
      {"VACUUM INTO '/tmp/copy.db'", "not a SELECT"},
      {"SELEC nothing", "syntax error"},
  };
  for (const auto& [text, why] : hostile) {
    auto r = w.sql(text, w.sysadmin);  // even a sysadmin
    EXPECT_EQ(r.status, 400) << text << " -> " << r.body;
    EXPECT_NE(r.body.find(why), std::string::npos) << text << " -> " << r.body;
  }
  EXPECT_EQ(w.count_parks(), 3);
  EXPECT_EQ(w.ok("status_show", "{}")["success"].GetBool(), true);
}

TEST(DataStoreSql, ARowCapCutsLongResults) {
  SqlWorld w;
  auto r = w.sql(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000) "
      "SELECT i FROM n");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  auto d = r.json();
  EXPECT_EQ(d["result"]["records"].Size(), 32000u);
  EXPECT_TRUE(d["result"]["records_truncated"].GetBool());
}

TEST(DataStoreHostile, AColumnNamedLikeAnInjectionIsJustAColumn) {
  SqlWorld w;
  const std::string evil = "\"; DROP TABLE " + w.parks + "; --";
  auto id = w.create(R"({"resource":{"package_id":"parks"},"fields":[{"id":)" + json_text(evil) +
                     R"(,"type":"text"}],"records":[{)" + json_text(evil) + R"(:"값"}]})");
  auto found =
      w.ok("datastore_search", R"({"resource_id":")" + id + R"(","filters":{)" + json_text(evil) +
                                   R"(:"값"},"sort":)" + json_text(evil + " desc") + "}");
  EXPECT_EQ(found["result"]["total"].GetInt(), 1);
  EXPECT_STREQ(found["result"]["fields"][1]["id"].GetString(), evil.c_str());
  auto sql = w.sql("SELECT \"" + std::string("\"\"; DROP TABLE ") + w.parks + "; --\" FROM \"" +
                   id + "\"");
  EXPECT_EQ(sql.status, 200) << sql.body;
  EXPECT_EQ(w.count_parks(), 3);
}

TEST(DataStoreHostile, FiveThousandColumnsAreRefusedPrecisely) {
  SqlWorld w;
  std::string fields;
  for (int i = 0; i < 5000; ++i)
    fields += std::string(i ? "," : "") + R"({"id":"c)" + std::to_string(i) + R"(","type":"text"})";
  auto r =
      w.http.action("datastore_create",
                    R"({"resource":{"package_id":"parks"},"fields":[)" + fields + "]}", w.sysadmin);
  EXPECT_EQ(r.status, 409) << r.body.substr(0, 300);
  EXPECT_NE(r.body.find("at most 1000 fields"), std::string::npos) << r.body.substr(0, 300);
  EXPECT_EQ(w.count_parks(), 3);
}

}  // namespace
}  // namespace datamap::testing
