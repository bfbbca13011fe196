// The requests the real ckanapi client (4.11) sends, as captured from it running against datamap
// (bench/ckanapi_check.sh repeats that run): the same paths, headers and bodies, and what a
// user of ckanapi would notice in the answers.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <thread>

#include "tests/conformance/conformance.h"

namespace datamap::testing {
namespace {

const Headers kCkanapi = {
    {"User-Agent", "ckanapi-cli/4.11 (+https://github.com/open-data/ckanapi)"},
    {"Content-Type", "application/json"}};

Headers as(const std::string& token) {
  Headers h = kCkanapi;
  h["Authorization"] = token;
  h["X-CKAN-API-Key"] = token;
  return h;
}

std::string text(const rapidjson::Value& v) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  v.Accept(writer);
  return out.GetString();
}

// `ckanapi dump datasets` then `ckanapi load datasets` into a site without the dataset: the
// worker's package_show (by id with include_* flags, then by name) and a package_create whose
// body is the dumped line as it is, package_show's computed fields (quality, datarequests,
// reuse_count, organization) included. Those must not come back as extras.
TEST(CkanapiRequests, ALoadedDumpLineKeepsItsExtrasAndNothingComputedBecomesOne) {
  ApiWorld w;
  auto created = create(w, R"({"name":"ckanapi-line","owner_org":"agency-a","notes":"n",
      "extras":[{"key":"담당부서","value":"교통과"}],
      "resources":[{"name":"a","url":"https://example.org/a.csv","format":"CSV"}]})");
  const std::string id = created["result"]["id"].GetString();

  // ckanapi dump's worker (cli/dump.py), to /api/action/ without the version.
  auto shown = w.http.post("/api/action/package_show",
                           R"({"id": ")" + id +
                               R"(", "include_datasets": false, "include_password_hash": true, )"
                               R"("include_users": true})",
                           as(w.sysadmin));
  ASSERT_EQ(shown.status, 200) << shown.body;
  auto dumped = shown.json();
  const std::string line = text(dumped["result"]);
  ASSERT_NE(line.find("\"datarequests\""), std::string::npos);  // what made the extras grow
  ASSERT_NE(line.find("\"reuse_count\""), std::string::npos);

  w.ok("dataset_purge", R"({"id":"ckanapi-line"})", w.sysadmin);
  // ckanapi load's worker: not found by id, nor by name, so created from the line.
  EXPECT_EQ(w.http
                .post("/api/action/package_show",
                      R"({"id": ")" + id +
                          R"(", "include_datasets": false, "include_password_hash": true, )"
                          R"("include_users": true})",
                      as(w.sysadmin))
                .status,
            404);
  EXPECT_EQ(
      w.http.post("/api/action/package_show", R"({"id": "ckanapi-line"})", as(w.sysadmin)).status,
      404);
  auto loaded = w.http.post("/api/action/package_create", line, as(w.sysadmin));
  ASSERT_EQ(loaded.status, 200) << loaded.body;

  auto again = w.ok("package_show", R"({"id":"ckanapi-line"})");
  EXPECT_EQ(std::string(again["result"]["id"].GetString()), id);
  const auto& extras = again["result"]["extras"];
  ASSERT_EQ(extras.Size(), 1u) << text(extras);
  EXPECT_EQ(std::string(extras[0]["key"].GetString()), "담당부서");
  EXPECT_EQ(std::string(extras[0]["value"].GetString()), "교통과");
  EXPECT_EQ(again["result"]["resources"].Size(), 1u);
  EXPECT_EQ(again["result"]["reuse_count"].GetInt(), 0);
  EXPECT_TRUE(again["result"]["datarequests"].IsArray());

  // Loading the same line again (ckanapi load run twice) is an update that changes nothing.
  auto update = w.http.post("/api/action/package_update", line, as(w.sysadmin));
  ASSERT_EQ(update.status, 200) << update.body;
  EXPECT_EQ(w.ok("package_show", R"({"id":"ckanapi-line"})")["result"]["extras"].Size(), 1u);
}

// `ckanapi action resource_create package_id=... name=... format=CSV upload@FILE`: a multipart
// body as python-requests builds it (the file part has no Content-Type), to /api/action/; then
// `ckanapi action datastore_search resource_id=... limit:2` on the loaded table. The file is
// CP949, as data.go.kr publishes its CSVs.
TEST(CkanapiRequests, AMultipartUploadLoadsAndDatastoreSearchReadsIt) {
  ApiWorld w;
  create(w, R"({"name":"ckanapi-upload","owner_org":"agency-a"})");
  const std::string boundary = "75b6889b4f6b19503b01ea6704149a47";
  const std::string csv =
      "\xb0\xf8\xbf\xf8\xb8\xed,\xb8\xe9\xc0\xfb\n\xc0\xb2\xc7\xcf\xc3\xbc\xc0\xb0\xb0"
      "\xf8\xbf\xf8,187515\n\xc1\xdf\xbe\xd3\xb0\xf8\xbf\xf8,31459\n";  // 공원명,면적
  std::string body;
  for (const auto& [name, value] : std::initializer_list<std::pair<const char*, const char*>>{
           {"package_id", "ckanapi-upload"}, {"name", "upload-test"}, {"format", "CSV"}})
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  body += "--" + boundary +
          "\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"parks.csv\"\r\n\r\n" +
          csv + "\r\n--" + boundary + "--\r\n";
  Headers headers = as(w.sysadmin);
  headers["Content-Type"] = "multipart/form-data; boundary=" + boundary;
  auto created = w.http.post("/api/action/resource_create", body, headers);
  ASSERT_EQ(created.status, 200) << created.body;
  auto resource = created.json();
  const std::string id = resource["result"]["id"].GetString();
  EXPECT_EQ(std::string(resource["result"]["url_type"].GetString()), "upload");
  EXPECT_EQ(resource["result"]["size"].GetInt64(), static_cast<std::int64_t>(csv.size()));

  const std::string search = R"({"resource_id": ")" + id + R"(", "limit": 2})";
  HttpReply found;
  for (int i = 0; i < 600; ++i) {  // the load runs in the background
    found = w.http.post("/api/action/datastore_search", search, kCkanapi);
    if (found.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(found.status, 200) << found.body;
  auto table = found.json();
  EXPECT_EQ(table["result"]["total"].GetInt(), 2);
  ASSERT_EQ(table["result"]["records"].Size(), 2u);
  EXPECT_EQ(std::string(table["result"]["records"][0]["공원명"].GetString()), "율하체육공원");
}

}  // namespace
}  // namespace datamap::testing
