// The CKAN DataStore actions over real HTTP (api/actions/datastore_actions.cpp): create with
// fields and records, every datastore_search parameter, upsert by primary key, delete, info,
// the data dictionary edit, and who may read and write which table.
#include <gtest/gtest.h>

#include <string>

#include "tests/api/api_world.h"

namespace datamap::testing {
namespace {

struct DataStoreWorld : ApiWorld {
  std::string dataset_id, rid;
  explicit DataStoreWorld(bool is_private = false) {
    dataset_id = dataset("parks", "agency-a", is_private);
    auto created = ok("datastore_create", R"({
      "resource": {"package_id": "parks", "name": "공원 목록", "format": "CSV"},
      "fields": [{"id": "공원명", "type": "text", "info": {"label": "공원 이름"}},
                 {"id": "면적", "type": "numeric"}, {"id": "개수", "type": "int"},
                 {"id": "개방", "type": "bool"}, {"id": "지정일", "type": "date"}],
      "primary_key": ["공원명"],
      "records": [
        {"공원명": "율하체육공원", "면적": 1500.5, "개수": 3, "개방": true, "지정일": "2020-01-02"},
        {"공원명": "Central Park", "면적": "341", "개수": "7", "개방": "false", "지정일": "20191231"},
        {"공원명": "하늘어린이공원", "면적": null, "개수": 1, "개방": false},
        {"공원명": "두류공원", "면적": 20, "개수": 7, "개방": true}]})",
                      editor_a);
    rid = created["result"]["resource_id"].GetString();
  }
  rapidjson::Document search(const std::string& params, const std::string& token = "") {
    return ok("datastore_search", R"({"resource_id":")" + rid + "\"," + params + "}", token);
  }
  std::vector<std::string> names(const rapidjson::Document& d) {
    std::vector<std::string> out;
    for (const auto& r : d["result"]["records"].GetArray()) out.push_back(r["공원명"].GetString());
    return out;
  }
};

TEST(DataStoreActions, CreateMakesATypedTableOnANewResource) {
  DataStoreWorld w;
  auto shown = w.ok("resource_show", R"({"id":")" + w.rid + "\"}");
  EXPECT_TRUE(shown["result"]["datastore_active"].GetBool());
  auto info = w.ok("datastore_info", R"({"id":")" + w.rid + "\"}");
  EXPECT_EQ(info["result"]["meta"]["count"].GetInt(), 4);
  EXPECT_STREQ(info["result"]["fields"][1]["type"].GetString(), "numeric");
  EXPECT_STREQ(info["result"]["fields"][0]["info"]["label"].GetString(), "공원 이름");
  auto all = w.search(R"("sort":"_id")");
  const auto& r = all["result"]["records"];
  EXPECT_EQ(r[1]["면적"].GetDouble(), 341.0);
  EXPECT_EQ(r[1]["개수"].GetInt(), 7);
  EXPECT_FALSE(r[1]["개방"].GetBool());
  EXPECT_STREQ(r[1]["지정일"].GetString(), "2019-12-31");
  EXPECT_TRUE(r[2]["면적"].IsNull());
  EXPECT_EQ(all["result"]["total"].GetInt(), 4);
  EXPECT_STREQ(all["result"]["fields"][0]["id"].GetString(), "_id");
}

TEST(DataStoreActions, AValueThatDoesNotFitIs409NamingFieldAndRow) {
  DataStoreWorld w;
  auto r = w.http.action("datastore_upsert",
                         R"({"resource_id":")" + w.rid +
                             R"(","method":"insert","records":[
      {"공원명":"가","개수":1},{"공원명":"나","개수":"여러 개"}]})",
                         w.editor_a);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("row 2"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("개수"), std::string::npos) << r.body;
  auto info = w.ok("datastore_info", R"({"id":")" + w.rid + "\"}");
  EXPECT_EQ(info["result"]["meta"]["count"].GetInt(), 4);  // the good row went nowhere either
}

TEST(DataStoreActions, SearchTakesEveryParameter) {
  DataStoreWorld w;
  EXPECT_EQ(w.names(w.search(R"("q":"공원","sort":"_id")")),
            (std::vector<std::string>{"율하체육공원", "하늘어린이공원", "두류공원"}));
  EXPECT_EQ(w.names(w.search(R"("q":"체육공원")")), std::vector<std::string>{"율하체육공원"});
  EXPECT_EQ(w.names(w.search(R"("q":"central")")), std::vector<std::string>{"Central Park"});
  EXPECT_EQ(w.names(w.search(R"("q":{"공원명":"어린이"})")),
            std::vector<std::string>{"하늘어린이공원"});
  EXPECT_EQ(w.names(w.search(R"("filters":{"개수":7},"sort":"공원명 desc")")),
            (std::vector<std::string>{"두류공원", "Central Park"}));
  EXPECT_EQ(w.names(w.search(R"("filters":"{\"개수\":[1,3]}","sort":["개수 desc"])")),
            (std::vector<std::string>{"율하체육공원", "하늘어린이공원"}));
  auto distinct = w.search(R"("fields":"개수","distinct":true,"sort":"개수")");
  EXPECT_EQ(distinct["result"]["records"].Size(), 3u);
  EXPECT_EQ(distinct["result"]["total"].GetInt(), 3);
  auto page = w.search(R"("sort":"개수, 공원명 desc","limit":1,"offset":2,"include_total":false)");
  EXPECT_EQ(w.names(page), std::vector<std::string>{"두류공원"});
  EXPECT_FALSE(page["result"].HasMember("total"));
  EXPECT_NE(std::string(page["result"]["_links"]["next"].GetString()).find("offset=3"),
            std::string::npos);
  auto lists = w.search(R"("fields":["공원명","개수"],"records_format":"lists","sort":"_id")");
  EXPECT_STREQ(lists["result"]["records"][0][0].GetString(), "율하체육공원");
  EXPECT_EQ(lists["result"]["records"][0][1].GetInt(), 3);
  auto csv = w.search(
      R"("fields":"공원명,개수","records_format":"csv","filters":{"개수":7},"sort":"_id")");
  EXPECT_STREQ(csv["result"]["records"].GetString(), "Central Park,7\r\n두류공원,7\r\n");
  auto tsv = w.search(R"("fields":"공원명,개수","records_format":"tsv","limit":1)");
  EXPECT_STREQ(tsv["result"]["records"].GetString(), "율하체육공원\t3\r\n");
  auto capped = w.search(R"("limit":1000000)");
  EXPECT_EQ(capped["result"]["limit"].GetInt(), 32000);
  // Over GET, as ckanapi and browsers send it.
  auto got = w.http.get("/api/3/action/datastore_search?resource_id=" + w.rid +
                        "&q=%EC%96%B4%EB%A6%B0%EC%9D%B4&fields=%EA%B3%B5%EC%9B%90%EB%AA%85");
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_NE(got.body.find("하늘어린이공원"), std::string::npos);
}

TEST(DataStoreActions, BadSearchParametersArePreciseErrors) {
  DataStoreWorld w;
  auto unknown_sort =
      w.http.action("datastore_search", R"({"resource_id":")" + w.rid + R"(","sort":"nope desc"})");
  EXPECT_EQ(unknown_sort.status, 409) << unknown_sort.body;
  EXPECT_NE(unknown_sort.body.find("unknown field 'nope'"), std::string::npos);
  auto bad_filter = w.http.action(
      "datastore_search", R"({"resource_id":")" + w.rid + R"(","filters":{"개수":"many"}})");
  EXPECT_EQ(bad_filter.status, 409) << bad_filter.body;
  auto bad_json = w.http.action("datastore_search",
                                R"({"resource_id":")" + w.rid + R"(","filters":"{not json"})");
  EXPECT_EQ(bad_json.status, 400) << bad_json.body;
  EXPECT_NE(bad_json.body.find("filters:"), std::string::npos) << bad_json.body;
  auto format = w.http.action("datastore_search",
                              R"({"resource_id":")" + w.rid + R"(","records_format":"xml"})");
  EXPECT_EQ(format.status, 409) << format.body;
  auto missing = w.http.action("datastore_search", R"({"resource_id":"no-such-resource"})");
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_NE(missing.body.find("Not found: Resource"), std::string::npos);
}

TEST(DataStoreActions, UpsertUpdateAndDeleteByPrimaryKey) {
  DataStoreWorld w;
  auto up = w.ok("datastore_upsert", R"({"resource_id":")" + w.rid + R"(","records":[
      {"공원명":"율하체육공원","개수":9},{"공원명":"새공원","개수":2}]})",
                 w.editor_a);
  EXPECT_EQ(up["result"]["records_written"].GetInt(), 2);
  EXPECT_EQ(
      w.search(R"("filters":{"공원명":"율하체육공원"})")["result"]["records"][0]["개수"].GetInt(),
      9);
  w.ok("datastore_upsert",
       R"({"resource_id":")" + w.rid +
           R"(","method":"update","records":[{"공원명":"새공원","면적":5}]})",
       w.editor_a);
  auto missing = w.http.action("datastore_upsert",
                               R"({"resource_id":")" + w.rid +
                                   R"(","method":"update","records":[{"공원명":"없음","면적":5}]})",
                               w.editor_a);
  EXPECT_EQ(missing.status, 409) << missing.body;
  auto dup = w.http.action(
      "datastore_upsert",
      R"({"resource_id":")" + w.rid + R"(","method":"insert","records":[{"공원명":"새공원"}]})",
      w.editor_a);
  EXPECT_EQ(dup.status, 409) << dup.body;
  auto del = w.ok("datastore_delete",
                  R"({"resource_id":")" + w.rid + R"(","filters":{"개수":[2,7]}})", w.editor_a);
  EXPECT_EQ(del["result"]["deleted"].GetInt(), 3);
  EXPECT_EQ(w.search(R"("q":"새공원")")["result"]["total"].GetInt(), 0);  // the index followed
  w.ok("datastore_delete", R"({"resource_id":")" + w.rid + "\"}", w.editor_a);
  EXPECT_EQ(w.http.action("datastore_info", R"({"id":")" + w.rid + "\"}").status, 404);
  auto shown = w.ok("resource_show", R"({"id":")" + w.rid + "\"}");
  EXPECT_FALSE(shown["result"]["datastore_active"].GetBool());
}

// A common value's exact total (read from the per-value counts, datastore/sqlite_value_counts.h)
// equals SQL's count(*) of the same rows after every kind of write, and a value that does not fit
// its field is still a 409.
TEST(DataStoreActions, ACommonValuesTotalStaysExactThroughUpsertsAndDeletes) {
  ApiWorld w;
  w.dataset("lots", "agency-a");
  std::string records;
  for (int i = 0; i < 1200; ++i)
    records += std::string(i ? "," : "") + R"({"id":)" + std::to_string(i) + R"(,"구분":")" +
               (i % 12 ? "공영" : "민영") + R"(","면수":)" + std::to_string(i % 30) + "}";
  auto created = w.ok("datastore_create", R"({
      "resource": {"package_id": "lots", "name": "주차장", "format": "CSV"},
      "fields": [{"id": "id", "type": "int"}, {"id": "구분", "type": "text"},
                 {"id": "면수", "type": "int"}],
      "primary_key": ["id"], "indexes": ["구분", "면수"], "records": [)" + records + "]}",
                      w.editor_a);
  const std::string rid = created["result"]["resource_id"].GetString();
  auto expect_exact = [&](const char* when) {
    for (const char* value : {"공영", "민영"}) {
      auto found = w.ok("datastore_search", R"({"resource_id":")" + rid +
                                                R"(","limit":2,"filters":{"구분":")" + value +
                                                R"("}})");
      auto sql = w.ok("datastore_search_sql", R"({"sql":"SELECT count(*) AS n FROM \")" + rid +
                                                  R"(\" WHERE \"구분\" = ')" + value + R"('"})");
      EXPECT_EQ(found["result"]["total"].GetInt64(),
                sql["result"]["records"][0]["n"].GetInt64())
          << when << " " << value;
    }
  };
  expect_exact("created");
  auto common = w.ok("datastore_search", R"({"resource_id":")" + rid +
                                             R"(","limit":0,"filters":{"구분":"공영"}})");
  EXPECT_EQ(common["result"]["total"].GetInt(), 1100);
  w.ok("datastore_upsert", R"({"resource_id":")" + rid + R"(","method":"upsert","records":[
      {"id":1,"구분":"민영"},{"id":2,"구분":"민영"},{"id":5000,"구분":"공영"},{"id":5001,"구분":"기타"}]})",
       w.editor_a);
  expect_exact("after upserts");
  w.ok("datastore_delete", R"({"resource_id":")" + rid + R"(","filters":{"면수":[3,4,5]}})",
       w.editor_a);
  expect_exact("after deletes");
  auto bad = w.http.action("datastore_search", R"({"resource_id":")" + rid +
                                                   R"(","filters":{"면수":"많음"}})");
  EXPECT_EQ(bad.status, 409) << bad.body;
}

TEST(DataStoreActions, DataDictionaryIsEditedThroughCreate) {
  DataStoreWorld w;
  w.ok("datastore_create", R"({"resource_id":")" + w.rid + R"(","fields":[
      {"id":"개수","info":{"label":"시설 수","notes":"운동시설 개수","standard_term":"시설수"}},
      {"id":"면적","type":"numeric","info":{"type_override":"text"}},
      {"id":"주소","type":"text"}]})",
       w.editor_a);
  auto info = w.ok("datastore_info", R"({"id":")" + w.rid + "\"}");
  const auto& f = info["result"]["fields"];
  EXPECT_STREQ(f[2]["info"]["label"].GetString(), "시설 수");
  EXPECT_STREQ(f[2]["info"]["standard_term"].GetString(), "시설수");
  EXPECT_STREQ(f[2]["type"].GetString(), "int");
  EXPECT_STREQ(f[1]["type"].GetString(), "text");  // retyped by the override
  EXPECT_STREQ(f[5]["id"].GetString(), "주소");    // a new field
  EXPECT_EQ(info["result"]["meta"]["count"].GetInt(), 4);
  auto row = w.search(R"("filters":{"공원명":"율하체육공원"})");
  EXPECT_STREQ(row["result"]["records"][0]["면적"].GetString(), "1500.5");
  // An override the values do not fit: 409 naming the field, and nothing changed.
  auto bad = w.http.action("datastore_create",
                           R"({"resource_id":")" + w.rid +
                               R"(","fields":[{"id":"공원명","info":{"type_override":"int"}}]})",
                           w.editor_a);
  EXPECT_EQ(bad.status, 409) << bad.body;
  EXPECT_NE(bad.body.find("공원명"), std::string::npos) << bad.body;
}

TEST(DataStoreActions, PrivateTablesAreOnlyTheirMembersAndWritesOnlyTheirEditors) {
  DataStoreWorld w(/*is_private=*/true);
  const std::string body = R"({"resource_id":")" + w.rid + "\"}";
  for (const std::string& who : {std::string(), w.editor_b}) {
    for (const char* action : {"datastore_search", "datastore_info"}) {
      auto r = w.http.action(action, body, who);
      EXPECT_EQ(r.status, 404) << action << " " << r.body;
      EXPECT_EQ(r.body.find("율하"), std::string::npos);
    }
    auto sql = w.http.action("datastore_search_sql",
                             R"({"sql":"SELECT * FROM \")" + w.rid + R"(\""})", who);
    EXPECT_EQ(sql.status, 400) << sql.body;
    EXPECT_EQ(sql.body.find("율하"), std::string::npos);
  }
  EXPECT_EQ(w.search("\"limit\":1", w.member_a)["result"]["total"].GetInt(), 4);
  w.ok("datastore_search_sql", R"({"sql":"SELECT count(*) FROM \")" + w.rid + R"(\""})",
       w.member_a);
  // Writes: a member may not, another agency's editor sees no table at all here.
  auto by_member =
      w.http.action("datastore_upsert",
                    R"({"resource_id":")" + w.rid + R"(","records":[{"공원명":"x"}]})", w.member_a);
  EXPECT_EQ(by_member.status, 403) << by_member.body;
  auto by_b = w.http.action("datastore_delete", body, w.editor_b);
  EXPECT_EQ(by_b.status, 404) << by_b.body;
  EXPECT_EQ(w.search("\"limit\":1", w.member_a)["result"]["total"].GetInt(), 4);
}

TEST(DataStoreActions, AnotherAgencysEditorCannotWriteAPublicTable) {
  DataStoreWorld w;
  for (const auto& [action, params] : std::vector<std::pair<std::string, std::string>>{
           {"datastore_upsert", R"(,"records":[{"공원명":"x"}])"},
           {"datastore_delete", ""},
           {"datastore_create", R"(,"fields":[{"id":"x","type":"text"}])"}}) {
    auto r = w.http.action(action, R"({"resource_id":")" + w.rid + "\"" + params + "}", w.editor_b);
    EXPECT_EQ(r.status, 403) << action << " " << r.body;
    auto anon = w.http.action(action, R"({"resource_id":")" + w.rid + "\"" + params + "}");
    EXPECT_EQ(anon.status, 403) << action << " " << anon.body;
  }
  auto new_resource = w.http.action(
      "datastore_create",
      R"({"resource":{"package_id":"parks"},"fields":[{"id":"x","type":"text"}]})", w.editor_b);
  EXPECT_EQ(new_resource.status, 403) << new_resource.body;
  EXPECT_EQ(w.ok("datastore_info", R"({"id":")" + w.rid + "\"}")["result"]["fields"].Size(), 5u);
}

}  // namespace
}  // namespace datamap::testing
