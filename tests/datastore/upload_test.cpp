// Uploads over real HTTP (issue 13 §1): resource_create with a multipart `upload` part as
// ckanapi and CKAN's UI send it, the stored file served back at the resource's download URL
// (Content-Type, Content-Length, ETag / 304, Range / 206 / 416, HEAD), resource_update /
// resource_patch / resource_delete, the upload size limit, who may upload, who may download,
// and malformed multipart bodies.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "catalog/ids.h"
#include "tests/api/console_browser.h"
#include "tests/support/multipart_form.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

namespace fs = std::filesystem;

using Form = MultipartForm;
const char* const kBoundary = MultipartForm::kBoundary;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string parking_csv() {
  static const std::string bytes = read_file(
      std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datafiles/datago-std-parking-15012896.csv");
  return bytes;
}

Headers multipart_headers(const std::string& token) {
  return MultipartForm::headers(token);
}

std::string error_message(const HttpReply& r) {
  auto doc = r.json();
  if (!doc.IsObject() || !doc.HasMember("error") || !doc["error"].HasMember("message")) return "";
  return doc["error"]["message"].GetString();
}

// Files the FileStore holds (not counting its reference markers).
int stored_files(const std::string& data_dir) {
  int n = 0;
  fs::path dir = fs::path(data_dir) / "files";
  if (!fs::exists(dir)) return 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().string().find("/refs/") == std::string::npos) ++n;
  return n;
}

// Everything but the base URL of an absolute URL.
std::string path_of(const std::string& url) {
  auto scheme = url.find("://");
  return url.substr(url.find('/', scheme + 3));
}

struct UploadWorld {
  TestServer server;
  HttpClient http;
  std::string sysadmin, editor_a, member_a, editor_b;

  explicit UploadWorld(TestServer::Options options = {})
      : server(std::move(options)), http(server.url()) {
    sysadmin = server.add_user("sysadmin", {"--sysadmin"});
    ok("organization_create", R"({"name":"agency-a","title":"가 기관"})", sysadmin);
    ok("organization_create", R"({"name":"agency-b","title":"나 기관"})", sysadmin);
    editor_a = server.add_user("editor_a", {"--org", "agency-a", "--role", "editor"});
    member_a = server.add_user("member_a", {"--org", "agency-a", "--role", "member"});
    editor_b = server.add_user("editor_b", {"--org", "agency-b", "--role", "editor"});
  }

  rapidjson::Document ok(const std::string& action, const std::string& body,
                         const std::string& token) {
    HttpReply r = http.action(action, body, token);
    EXPECT_EQ(r.status, 200) << action << " " << body << " -> " << r.body;
    return r.json();
  }

  void dataset(const std::string& name, bool is_private = false) {
    ok("package_create",
       R"({"name":")" + name + R"(","title":"주차장 )" + name +
           R"(","owner_org":"agency-a","private":)" + (is_private ? "true" : "false") + "}",
       sysadmin);
  }

  HttpReply upload(const std::string& action, const Form& form, const std::string& token) {
    return http.post("/api/3/action/" + action, form.body(), multipart_headers(token));
  }

  // resource_create of the real parking file into `dataset`; returns the resource dict.
  rapidjson::Document create(const std::string& dataset, const std::string& bytes,
                             const std::string& filename = "parking.csv") {
    Form f{{{"package_id", dataset}, {"description", "전국주차장정보표준데이터"}}, filename, bytes};
    HttpReply r = upload("resource_create", f, editor_a);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  rapidjson::Document package(const std::string& name) {
    return ok("package_show", R"({"id":")" + name + R"("})", sysadmin);
  }
};

TEST(Upload, TheRealCp949FileRoundTripsThroughResourceCreateAndItsDownloadUrl) {
  UploadWorld w;
  w.dataset("parking");
  const std::string csv = parking_csv();
  ASSERT_GT(csv.size(), 4'000'000u);
  auto created = w.create("parking", csv, "전국주차장정보표준데이터.csv");
  const auto& res = created["result"];
  EXPECT_STREQ(res["url_type"].GetString(), "upload");
  EXPECT_EQ(res["size"].GetInt64(), static_cast<std::int64_t>(csv.size()));
  EXPECT_EQ(std::string(res["hash"].GetString()), catalog::sha256_hex(csv));
  EXPECT_STREQ(res["format"].GetString(), "CSV");  // from the file name
  EXPECT_STREQ(res["name"].GetString(), "전국주차장정보표준데이터.csv");
  EXPECT_STREQ(res["mimetype"].GetString(), "text/csv");

  // package_show carries it, with the same url.
  auto pkg = w.package("parking");
  ASSERT_EQ(pkg["result"]["resources"].Size(), 1u);
  const auto& listed = pkg["result"]["resources"][0];
  EXPECT_STREQ(listed["url_type"].GetString(), "upload");
  EXPECT_STREQ(listed["hash"].GetString(), res["hash"].GetString());
  EXPECT_EQ(listed["size"].GetInt64(), static_cast<std::int64_t>(csv.size()));
  std::string url = listed["url"].GetString();
  EXPECT_EQ(url.rfind(w.server.url() + "/dataset/", 0), 0u) << url;

  // Download: byte-identical, with type, length and the hash as ETag.
  HttpReply got = w.http.get(path_of(url));
  ASSERT_EQ(got.status, 200) << got.body.substr(0, 300);
  EXPECT_TRUE(got.body == csv) << "downloaded " << got.body.size() << " bytes";
  EXPECT_EQ(got.header("content-type"), "text/csv");
  EXPECT_EQ(got.header("content-length"), std::to_string(csv.size()));
  std::string etag = got.header("etag");
  EXPECT_EQ(etag, "\"" + catalog::sha256_hex(csv) + "\"");
  EXPECT_EQ(got.header("x-content-type-options"), "nosniff");

  // HEAD: the same headers, no body.
  HttpReply head = w.http.request("HEAD", path_of(url), "");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), std::to_string(csv.size()));
  EXPECT_EQ(head.header("etag"), etag);
  EXPECT_TRUE(head.body.empty());

  // A cached copy is still good: 304, no body.
  HttpReply cached = w.http.get(path_of(url), {{"If-None-Match", etag}});
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());

  // The first 100 bytes.
  HttpReply part = w.http.get(path_of(url), {{"Range", "bytes=0-99"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, csv.substr(0, 100));
  EXPECT_EQ(part.header("content-range"), "bytes 0-99/" + std::to_string(csv.size()));
  // The last 10 bytes.
  HttpReply tail = w.http.get(path_of(url), {{"Range", "bytes=-10"}});
  EXPECT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, csv.substr(csv.size() - 10));
  // Ranges that do not fit.
  for (const char* bad : {"bytes=99999999-", "bytes=50-10", "bytes=abc"}) {
    HttpReply r = w.http.get(path_of(url), {{"Range", bad}});
    EXPECT_EQ(r.status, 416) << bad;
    EXPECT_EQ(r.header("content-range"), "bytes */" + std::to_string(csv.size())) << bad;
  }
  // Still alive and serving after all that.
  EXPECT_EQ(w.http.get(path_of(url)).status, 200);
}

TEST(Upload, TheSameBytesAreStoredOnceAndGoWithTheirLastResource) {
  UploadWorld w;
  w.dataset("parking");
  w.dataset("parking-copy");
  const std::string csv = parking_csv();
  std::string first = w.create("parking", csv)["result"]["id"].GetString();
  std::string second = w.create("parking-copy", csv)["result"]["id"].GetString();
  EXPECT_EQ(stored_files(w.server.data_dir()), 1);

  w.ok("resource_delete", R"({"id":")" + first + R"("})", w.editor_a);
  EXPECT_EQ(stored_files(w.server.data_dir()), 1);  // the other resource still uses it
  auto left = w.package("parking-copy");
  EXPECT_EQ(w.http.get(path_of(left["result"]["resources"][0]["url"].GetString())).status, 200);

  w.ok("resource_delete", R"({"id":")" + second + R"("})", w.editor_a);
  EXPECT_EQ(stored_files(w.server.data_dir()), 0);
  EXPECT_EQ(w.package("parking-copy")["result"]["resources"].Size(), 0u);
}

TEST(Upload, OverTheUploadLimitIs413AndNothingIsWritten) {
  TestServer::Options options;
  options.config_toml = "[datastore]\nmax_upload_bytes = 1000000\n";
  UploadWorld w(options);
  w.dataset("parking");
  Form f{{{"package_id", "parking"}}, "parking.csv", parking_csv()};
  HttpReply r = w.upload("resource_create", f, w.editor_a);
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 300);
  EXPECT_NE(error_message(r).find("1000000"), std::string::npos) << r.body;
  EXPECT_EQ(stored_files(w.server.data_dir()), 0);
  EXPECT_EQ(w.package("parking")["result"]["resources"].Size(), 0u);
  // Under the limit the same server takes it.
  Form small{{{"package_id", "parking"}}, "small.csv", parking_csv().substr(0, 500000)};
  EXPECT_EQ(w.upload("resource_create", small, w.editor_a).status, 200);
}

TEST(Upload, TheUploadLimitAppliesToUploadActionsOnly) {
  UploadWorld w;  // defaults: 10 MiB for every body, 200 MiB for uploads
  w.dataset("parking");
  std::string big(12 * 1024 * 1024, 'x');
  Form f{{{"package_id", "parking"}, {"format", "TXT"}}, "big.txt", big, "text/plain"};
  HttpReply taken = w.upload("resource_create", f, w.editor_a);
  EXPECT_EQ(taken.status, 200) << taken.body.substr(0, 300);
  // The same body to another action is over server.max_body_bytes.
  HttpReply refused =
      w.http.post("/api/3/action/package_patch", f.body(), multipart_headers(w.editor_a));
  EXPECT_EQ(refused.status, 413);
}

TEST(Upload, AnotherAgencysEditorIs403AndNothingIsStored) {
  UploadWorld w;
  w.dataset("parking");
  w.dataset("hidden", true);
  Form f{{{"package_id", "parking"}}, "parking.csv", parking_csv()};
  HttpReply r = w.upload("resource_create", f, w.editor_b);
  EXPECT_EQ(r.status, 403) << r.body;
  // A member of the agency may read but not upload.
  EXPECT_EQ(w.upload("resource_create", f, w.member_a).status, 403);
  // A private dataset of another agency does not exist for the caller.
  Form hidden{{{"package_id", "hidden"}}, "parking.csv", parking_csv()};
  EXPECT_EQ(w.upload("resource_create", hidden, w.editor_b).status, 404);
  // Anonymous: 403.
  EXPECT_EQ(w.upload("resource_create", f, "").status, 403);
  EXPECT_EQ(stored_files(w.server.data_dir()), 0);
  EXPECT_EQ(w.package("parking")["result"]["resources"].Size(), 0u);
}

TEST(Upload, APrivateDatasetsFileIsHiddenFromOutsiders) {
  UploadWorld w;
  w.dataset("hidden", true);
  auto created = w.create("hidden", "a,b\n1,2\n", "small.csv");
  std::string path = path_of(created["result"]["url"].GetString());
  EXPECT_EQ(w.http.get(path).status, 404);
  EXPECT_EQ(w.http.request("HEAD", path, "").status, 404);
  EXPECT_EQ(w.http.get(path, {{"Authorization", w.editor_b}}).status, 404);
  HttpReply member = w.http.get(path, {{"Authorization", w.member_a}});
  EXPECT_EQ(member.status, 200);
  EXPECT_EQ(member.body, "a,b\n1,2\n");
  // A resource id under another dataset's path is not found either.
  w.dataset("public");
  std::string rid = created["result"]["id"].GetString();
  EXPECT_EQ(w.http
                .get("/dataset/public/resource/" + rid + "/download/small.csv",
                     {{"Authorization", w.member_a}})
                .status,
            404);
}

TEST(Upload, MalformedMultipartBodiesAre400WithAClearMessage) {
  UploadWorld w;
  w.dataset("parking");
  Form good{{{"package_id", "parking"}}, "parking.csv", "a,b\n1,2\n"};
  const std::string body = good.body();
  const std::string action = "/api/3/action/resource_create";
  Headers no_boundary{{"Content-Type", "multipart/form-data"}, {"Authorization", w.editor_a}};
  struct Case {
    const char* what;
    std::string body;
    Headers headers;
    const char* message;
  };
  Form traversal = good;
  traversal.filename = "../../etc/passwd";
  Form backslash = good;
  backslash.filename = "..\\..\\x.csv";
  std::string huge_header = std::string("--") + kBoundary +
                            "\r\nContent-Disposition: form-data; name=\"package_id\"\r\nX-Pad: " +
                            std::string(20000, 'a') + "\r\n\r\nparking\r\n--" + kBoundary +
                            "--\r\n";
  const Case cases[] = {
      {"no boundary", body, no_boundary, "no boundary"},
      {"truncated body", body.substr(0, body.size() / 2), multipart_headers(w.editor_a),
       "truncated"},
      {"missing final boundary", body.substr(0, body.rfind(std::string("--") + kBoundary)),
       multipart_headers(w.editor_a), "closing boundary"},
      {"huge part header", huge_header, multipart_headers(w.editor_a), "8 KiB"},
      {"filename with ../", traversal.body(), multipart_headers(w.editor_a), "path"},
      {"filename with ..\\", backslash.body(), multipart_headers(w.editor_a), "path"},
      {"wrong boundary",
       body,
       {{"Content-Type", "multipart/form-data; boundary=nope"}, {"Authorization", w.editor_a}},
       "never occurs"},
  };
  for (const auto& c : cases) {
    HttpReply r = w.http.post(action, c.body, c.headers);
    EXPECT_EQ(r.status, 400) << c.what << ": " << r.body;
    EXPECT_NE(error_message(r).find(c.message), std::string::npos) << c.what << ": " << r.body;
  }
  EXPECT_EQ(stored_files(w.server.data_dir()), 0);
  EXPECT_EQ(w.package("parking")["result"]["resources"].Size(), 0u);
  // A file sent to an action that takes none.
  HttpReply wrong = w.http.post("/api/3/action/package_patch", body, multipart_headers(w.editor_a));
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  // The server is alive and takes a good upload.
  EXPECT_EQ(w.http.post(action, body, multipart_headers(w.editor_a)).status, 200);
}

TEST(Upload, ResourceUpdateWithANewFileReplacesItsBytes) {
  UploadWorld w;
  w.dataset("parking");
  auto created = w.create("parking", "a,b\n1,2\n", "v1.csv");
  std::string id = created["result"]["id"].GetString();
  Form next{{{"id", id}, {"name", "두 번째 판"}}, "v2.csv", "a,b\n3,4\n5,6\n"};
  HttpReply updated = w.upload("resource_update", next, w.editor_a);
  ASSERT_EQ(updated.status, 200) << updated.body;
  auto doc = updated.json();
  EXPECT_STREQ(doc["result"]["name"].GetString(), "두 번째 판");
  EXPECT_EQ(doc["result"]["size"].GetInt64(), 12);
  std::string url = doc["result"]["url"].GetString();
  EXPECT_NE(url.find("/download/v2.csv"), std::string::npos) << url;
  EXPECT_EQ(w.http.get(path_of(url)).body, "a,b\n3,4\n5,6\n");
  EXPECT_EQ(stored_files(w.server.data_dir()), 1);  // v1's bytes went with their last use
  // Another agency's editor may not replace it.
  EXPECT_EQ(w.upload("resource_update", next, w.editor_b).status, 403);
}

TEST(Upload, ResourcePatchChangesOnlyTheGivenFields) {
  UploadWorld w;
  w.dataset("parking");
  auto created = w.create("parking", "a,b\n1,2\n", "v1.csv");
  std::string id = created["result"]["id"].GetString();
  auto patched =
      w.ok("resource_patch", R"({"id":")" + id + R"(","description":"매일 갱신"})", w.editor_a);
  const auto& r = patched["result"];
  EXPECT_STREQ(r["description"].GetString(), "매일 갱신");
  EXPECT_STREQ(r["name"].GetString(), created["result"]["name"].GetString());
  EXPECT_STREQ(r["url"].GetString(), created["result"]["url"].GetString());
  EXPECT_STREQ(r["hash"].GetString(), created["result"]["hash"].GetString());
  EXPECT_STREQ(r["url_type"].GetString(), "upload");
  EXPECT_STREQ(r["format"].GetString(), "CSV");
  EXPECT_EQ(r["size"].GetInt64(), 8);
  EXPECT_EQ(w.http.get(path_of(r["url"].GetString())).body, "a,b\n1,2\n");
  // A client cannot point a resource at another file by sending a hash.
  auto forged =
      w.ok("resource_patch", R"({"id":")" + id + R"(","hash":")" + std::string(64, 'a') + R"("})",
           w.editor_a);
  EXPECT_STREQ(forged["result"]["hash"].GetString(), created["result"]["hash"].GetString());
}

TEST(Upload, ResourceDeleteRemovesTheResourceAndItsFile) {
  UploadWorld w;
  w.dataset("parking");
  auto created = w.create("parking", "a,b\n1,2\n", "v1.csv");
  std::string id = created["result"]["id"].GetString();
  std::string path = path_of(created["result"]["url"].GetString());
  EXPECT_EQ(w.http.action("resource_delete", R"({"id":")" + id + R"("})", w.editor_b).status, 403);
  w.ok("resource_delete", R"({"id":")" + id + R"("})", w.editor_a);
  EXPECT_EQ(w.package("parking")["result"]["resources"].Size(), 0u);
  EXPECT_EQ(w.http.action("resource_show", R"({"id":")" + id + R"("})").status, 404);
  EXPECT_EQ(w.http.get(path).status, 404);
  EXPECT_EQ(stored_files(w.server.data_dir()), 0);
  EXPECT_EQ(w.http.action("resource_delete", R"({"id":")" + id + R"("})", w.editor_a).status, 404);
}

TEST(Upload, AResourceWithAUrlAndNoFileIsCreatedFromJson) {
  UploadWorld w;
  w.dataset("parking");
  auto r =
      w.ok("resource_create",
           R"({"package_id":"parking","url":"https://example.org/parking.xlsx","name":"원본"})",
           w.editor_a);
  EXPECT_STREQ(r["result"]["url"].GetString(), "https://example.org/parking.xlsx");
  EXPECT_FALSE(r["result"].HasMember("url_type"));
  EXPECT_EQ(w.package("parking")["result"]["resources"].Size(), 1u);
}

TEST(Upload, TheConsolesUploadFormStoresTheFileThroughResourceCreate) {
  UploadWorld w;
  w.dataset("parking");
  ConsoleBrowser browser(w.server.url());
  ASSERT_EQ(browser.sign_in(w.editor_a).status, 303);
  // The dashboard links the form; the form is a plain multipart POST (works without JavaScript).
  // (The dashboard lists the agency's datasets from the search index, which follows the catalog.)
  bool linked = false;
  for (int i = 0; i < 100 && !linked; ++i) {
    linked =
        browser.get("/console").body.find("/console/dataset/parking/upload") != std::string::npos;
    if (!linked) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(linked);
  HttpReply form = browser.get("/console/dataset/parking/upload");
  ASSERT_EQ(form.status, 200) << form.body.substr(0, 500);
  EXPECT_NE(form.body.find("enctype=\"multipart/form-data\""), std::string::npos);
  EXPECT_NE(form.body.find("type=\"file\""), std::string::npos);
  ASSERT_FALSE(browser.csrf().empty());

  Form f{{{"csrf", browser.csrf()}, {"name", "주차장 파일"}, {"description", ""}, {"format", ""}},
         "parking.csv",
         parking_csv()};
  HttpReply posted =
      browser.post("/console/dataset/parking/upload", f.body(),
                   {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}});
  ASSERT_EQ(posted.status, 303) << posted.body.substr(0, 500);
  EXPECT_EQ(posted.header("location"), "/dataset/parking");

  auto pkg = w.package("parking");
  ASSERT_EQ(pkg["result"]["resources"].Size(), 1u);
  const auto& r = pkg["result"]["resources"][0];
  EXPECT_STREQ(r["name"].GetString(), "주차장 파일");
  EXPECT_STREQ(r["format"].GetString(), "CSV");
  EXPECT_STREQ(r["hash"].GetString(), catalog::sha256_hex(parking_csv()).c_str());
  // The dataset page shows the resource.
  HttpReply page = w.http.get("/dataset/parking", {{"Accept", "text/html"}});
  EXPECT_NE(page.body.find("주차장 파일"), std::string::npos);
  EXPECT_TRUE(w.http.get(path_of(r["url"].GetString())).body == parking_csv());

  // Without the CSRF field nothing is stored.
  Form forged{{{"name", "forged"}}, "x.csv", "a\n1\n"};
  HttpReply refused =
      browser.post("/console/dataset/parking/upload", forged.body(),
                   {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}});
  EXPECT_NE(refused.status, 303);
  EXPECT_EQ(w.package("parking")["result"]["resources"].Size(), 1u);
}

}  // namespace
}  // namespace datamap::testing
