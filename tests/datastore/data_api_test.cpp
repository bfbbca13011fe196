// The automatic Open API and the downloads over real HTTP (api/formats/table_routes.h): tables
// made with datastore_create hold Korean text; /openapi/data/{resource} pages and filters them
// with cond[...] in data.go.kr's envelope, behind the same key, quota and error codes as
// /openapi/datasets; /openapi/data/{resource}/openapi.json passes redocly lint; /datastore/dump
// files read back (Python's csv, iconv, RapidJSON, GDAL/OGR) to the rows that went in.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <fstream>

#include "tests/datastore/gdal_sheets.h"
#include "tests/formats/node_tool.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

constexpr int kRows = 25;

// Row i of the parking table: 주차장명, 구분, 주차구획수, 요금, 비고.
struct Parking {
  std::string name, kind;
  int spaces;
  double fee;
  std::string note;
};
Parking parking(int i) {
  return {(i % 5 == 0 ? "시청앞 주차장 " : "동네 주차장 ") + std::to_string(i),
          i % 2 == 0 ? "공영" : "민영", 10 * i, 500.5 + i,
          i == 7 ? "쉼표, \"따옴표\"\n줄바꿈" : (i == 9 ? "웃음 🙂" : "")};
}

std::string records_json() {
  std::string out = "[";
  for (int i = 0; i < kRows; ++i) {
    Parking p = parking(i);
    rapidjson::StringBuffer note;
    rapidjson::Writer<rapidjson::StringBuffer> w(note);
    w.String(p.note.c_str());
    out += std::string(i ? "," : "") + R"({"주차장명":")" + p.name + R"(","구분":")" + p.kind +
           R"(","주차구획수":)" + std::to_string(p.spaces) + R"(,"요금":)" + std::to_string(p.fee) +
           R"(,"비고":)" + note.GetString() + "}";
  }
  return out + "]";
}

const char* kFields =
    R"([{"id":"주차장명","type":"text","info":{"label":"주차장 이름","notes":"시설의 이름"}},)"
    R"({"id":"구분","type":"text"},{"id":"주차구획수","type":"int","info":{"notes":"칸 수"}},)"
    R"({"id":"요금","type":"numeric"},{"id":"비고","type":"text"}])";

// One server for the suite: an agency, a public and a private dataset, each with a table.
class DataApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    admin_ = server_->add_user("admin", {"--sysadmin"});
    action("organization_create", R"({"name":"seoul","title":"서울특별시"})");
    member_ = server_->add_user("member", {"--org", "seoul", "--role", "member"});
    outsider_ = server_->add_user("outsider");
    public_ = make_table("parking", false);
    private_ = make_table("secret-parking", true);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static rapidjson::Document action(const std::string& name, const std::string& body) {
    auto r = server_->client().action(name, body, admin_);
    EXPECT_EQ(r.status, 200) << name << ": " << r.body;
    return r.json();
  }
  // A dataset with one resource and its table; returns the resource id.
  static std::string make_table(const std::string& name, bool is_private) {
    auto created = action(
        "package_create",
        R"({"name":")" + name + R"(","title":"전국주차장정보","owner_org":"seoul","private":)" +
            (is_private ? "true" : "false") +
            R"(,"resources":[{"url":"https://example.org/p.csv","format":"CSV","name":"주차장 정보.csv"}]})");
    std::string rid = created["result"]["resources"][0]["id"].GetString();
    action("datastore_create", R"({"resource_id":")" + rid + R"(","fields":)" + kFields +
                                   R"(,"records":)" + records_json() + "}");
    return rid;
  }
  static HttpReply get(const std::string& path) { return server_->client().get(path); }
  static std::string data_url(const std::string& rid, const std::string& query,
                              const std::string& token = admin_) {
    return "/openapi/data/" + rid + "?serviceKey=" + url_encode(token) + query;
  }
  static std::string cond(const std::string& column, const std::string& op, const std::string& v) {
    return "&" + url_encode("cond[" + column + "::" + op + "]") + "=" + url_encode(v);
  }
  static int match_count(const std::string& query) {
    auto r = get(data_url(public_, query));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["matchCount"].GetInt();
  }

  static TestServer* server_;
  static std::string admin_, member_, outsider_, public_, private_;
};
TestServer* DataApi::server_ = nullptr;
std::string DataApi::admin_, DataApi::member_, DataApi::outsider_, DataApi::public_,
    DataApi::private_;

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  return out;
}

std::string saved(const TempDir& dir, const std::string& name, const std::string& body) {
  std::string path = dir.file(name);
  std::ofstream(path, std::ios::binary) << body;
  return path;
}

// Rows as Python's csv module reads the file.
std::vector<std::vector<std::string>> python_csv(const std::string& path, const char* encoding,
                                                 const char* delimiter = ",") {
  std::string script =
      std::string(
          "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='") +
      encoding + "', newline=''), delimiter='" + delimiter + "'))))";
  rapidjson::Document d;
  d.Parse(run("python3 -c " + shell_quote(script) + " " + shell_quote(path)).c_str());
  std::vector<std::vector<std::string>> out;
  if (!d.IsArray()) return out;
  for (const auto& r : d.GetArray()) {
    out.emplace_back();
    for (const auto& c : r.GetArray()) out.back().emplace_back(c.GetString());
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// The table as text rows (header first, without _id), rows `which` in load order.
std::vector<std::vector<std::string>> expected_rows(const std::vector<int>& which) {
  std::vector<std::vector<std::string>> out{{"주차장명", "구분", "주차구획수", "요금", "비고"}};
  for (int i : which) {
    Parking p = parking(i);
    out.push_back({p.name, p.kind, std::to_string(p.spaces), number(p.fee), p.note});
  }
  return out;
}
std::vector<int> all_rows() {
  std::vector<int> v;
  for (int i = 0; i < kRows; ++i) v.push_back(i);
  return v;
}
std::vector<std::vector<std::string>> without_id(std::vector<std::vector<std::string>> rows) {
  for (auto& r : rows)
    if (!r.empty()) r.erase(r.begin());
  return rows;
}

// ---- /openapi/data/{resource}

TEST_F(DataApi, EnvelopeAndPaging) {
  auto r = get(data_url(public_, "&page=2&perPage=10"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
  auto d = r.json();
  EXPECT_EQ(d["page"].GetInt(), 2);
  EXPECT_EQ(d["perPage"].GetInt(), 10);
  EXPECT_EQ(d["totalCount"].GetInt(), kRows);
  EXPECT_EQ(d["matchCount"].GetInt(), kRows);
  EXPECT_EQ(d["currentCount"].GetInt(), 10);
  ASSERT_EQ(d["data"].Size(), 10u);
  EXPECT_EQ(std::string(d["data"][0]["주차장명"].GetString()), parking(10).name);
  EXPECT_EQ(d["data"][0]["주차구획수"].GetInt(), 100);
  EXPECT_DOUBLE_EQ(d["data"][0]["요금"].GetDouble(), 510.5);
  EXPECT_FALSE(d["data"][0].HasMember("_id")) << "data.go.kr's rows carry only the file's columns";

  auto last = get(data_url(public_, "&page=3&perPage=10")).json();
  EXPECT_EQ(last["currentCount"].GetInt(), 5);
  auto beyond = get(data_url(public_, "&page=9&perPage=10")).json();
  EXPECT_EQ(beyond["currentCount"].GetInt(), 0);
  EXPECT_EQ(beyond["data"].Size(), 0u);
  auto defaults = get(data_url(public_, "")).json();
  EXPECT_EQ(defaults["page"].GetInt(), 1);
  EXPECT_EQ(defaults["perPage"].GetInt(), 10);

  // perPage is capped: over 1000 is refused with code 10, not silently cut.
  auto too_many = get(data_url(public_, "&perPage=1001"));
  EXPECT_EQ(too_many.status, 400);
  EXPECT_STREQ(too_many.json()["response"]["header"]["resultCode"].GetString(), "10");
}

TEST_F(DataApi, EveryCondOperator) {
  EXPECT_EQ(match_count(cond("구분", "EQ", "공영")), 13);
  EXPECT_EQ(match_count(cond("주차장명", "LIKE", "시청앞")), 5);
  EXPECT_EQ(match_count(cond("주차구획수", "GT", "200")), 4);   // 210..240
  EXPECT_EQ(match_count(cond("주차구획수", "GTE", "200")), 5);  // 200..240
  EXPECT_EQ(match_count(cond("주차구획수", "LT", "30")), 3);    // 0, 10, 20
  EXPECT_EQ(match_count(cond("주차구획수", "LTE", "30")), 4);
  EXPECT_EQ(match_count(cond("요금", "GTE", "520.5")), 5);  // numeric compared as numbers
  // Conditions combine (all must hold), and the page shows only matching rows.
  auto r = get(data_url(public_, cond("구분", "EQ", "공영") + cond("주차구획수", "LT", "100") +
                                     cond("주차장명", "LIKE", "주차장")));
  auto d = r.json();
  EXPECT_EQ(d["matchCount"].GetInt(), 5);  // 0, 2, 4, 6, 8
  EXPECT_EQ(d["totalCount"].GetInt(), kRows);
  for (const auto& row : d["data"].GetArray()) EXPECT_STREQ(row["구분"].GetString(), "공영");
  // LIKE takes % and _ as plain characters.
  EXPECT_EQ(match_count(cond("주차장명", "LIKE", "%")), 0);
}

TEST_F(DataApi, UnknownColumnOperatorOrValueIsCode10WithAClearMessage) {
  auto r = get(data_url(public_, cond("없는컬럼", "EQ", "x")));
  EXPECT_EQ(r.status, 400);
  auto d = r.json();
  EXPECT_STREQ(d["response"]["header"]["resultCode"].GetString(), "10");
  std::string msg = d["response"]["header"]["resultMsg"].GetString();
  EXPECT_NE(msg.find("No column named '없는컬럼'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("주차구획수"), std::string::npos) << "names the columns there are: " << msg;

  auto op = get(data_url(public_, cond("구분", "NEQ", "x")));
  EXPECT_EQ(op.status, 400);
  EXPECT_NE(op.body.find("Unknown operator 'NEQ'"), std::string::npos) << op.body;
  auto value = get(data_url(public_, cond("주차구획수", "GT", "many")));
  EXPECT_EQ(value.status, 400) << value.body;
  auto type = get(data_url(public_, "&returnType=csv"));
  EXPECT_EQ(type.status, 400);
  // The same error in XML when XML was asked for.
  auto xml = get(data_url(public_, "&returnType=xml" + cond("없는컬럼", "EQ", "x")));
  EXPECT_EQ(xml.status, 400);
  EXPECT_NE(xml.body.find("<resultCode>10</resultCode>"), std::string::npos) << xml.body;
  EXPECT_EQ(get(data_url(public_, "")).status, 200) << "the server is alive";
}

TEST_F(DataApi, XmlIsWellFormedWithTheSameRows) {
  auto r = get(data_url(public_, "&returnType=xml&perPage=25" + cond("주차구획수", "GTE", "70") +
                                     cond("주차구획수", "LTE", "90")));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/xml; charset=utf-8");
  TempDir dir;
  std::string path = saved(dir, "page.xml", r.body);
  // Python's XML parser: the document is well-formed and carries the rows, text escaped.
  std::string script =
      "import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); "
      "print(r.find('matchCount').text, len(r.find('data')), "
      "'|'.join(c.text or '' for c in r.find('data')[0] if c.get('name')=='비고'))";
  std::string out = run("python3 -c " + shell_quote(script) + " " + shell_quote(path));
  EXPECT_EQ(out, "3 3 쉼표, \"따옴표\"\n줄바꿈\n") << r.body;
}

TEST_F(DataApi, KeyIsRequiredAndPrivateResourcesAreOnlyForMembers) {
  auto none = get("/openapi/data/" + public_);
  EXPECT_EQ(none.status, 401);
  EXPECT_STREQ(none.json()["response"]["header"]["resultCode"].GetString(), "30");
  auto wrong = get("/openapi/data/" + public_ + "?serviceKey=dm_not_a_key");
  EXPECT_STREQ(wrong.json()["response"]["header"]["resultCode"].GetString(), "30");
  // The Authorization header serves as the key too.
  EXPECT_EQ(
      server_->client().get("/openapi/data/" + public_, {{"Authorization", outsider_}}).status,
      200);

  auto outsider = get(data_url(private_, "", outsider_));
  EXPECT_EQ(outsider.status, 404);
  EXPECT_STREQ(outsider.json()["response"]["header"]["resultCode"].GetString(), "03");
  auto unknown = get(data_url("no-such-resource", "", outsider_));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_STREQ(outsider.json()["response"]["header"]["resultMsg"].GetString(),
               unknown.json()["response"]["header"]["resultMsg"].GetString())
      << "a private resource looks exactly like a missing one";
  auto member = get(data_url(private_, "", member_));
  EXPECT_EQ(member.status, 200) << member.body;
  EXPECT_EQ(member.json()["totalCount"].GetInt(), kRows);

  EXPECT_EQ(get("/openapi/data/" + private_ + "/openapi.json").status, 404);
  EXPECT_EQ(get("/datastore/dump/" + private_).status, 404);
  EXPECT_EQ(
      server_->client().get("/datastore/dump/" + private_, {{"Authorization", outsider_}}).status,
      404);
  EXPECT_EQ(
      server_->client().get("/datastore/dump/" + private_, {{"Authorization", member_}}).status,
      200);
  EXPECT_EQ(server_->client()
                .get("/openapi/data/" + private_ + "/openapi.json", {{"Authorization", member_}})
                .status,
            200);
}

TEST(DataApiQuota, TheTokensQuotaAppliesWithCode22) {
  TestServer server(TestServer::Options{"", "[quota]\nper_day = 4\n", {}, {}});
  std::string admin = server.add_user("admin", {"--sysadmin"});
  auto http = server.client();
  ASSERT_EQ(
      http.action("organization_create", R"({"name":"seoul","title":"서울특별시"})", admin).status,
      200);
  auto created = http.action(
      "package_create",
      R"({"name":"quota-p","title":"주차장","owner_org":"seoul","resources":[{"url":"https://example.org/p.csv"}]})",
      admin);
  ASSERT_EQ(created.status, 200) << created.body;
  std::string rid = created.json()["result"]["resources"][0]["id"].GetString();
  ASSERT_EQ(http.action("datastore_create",
                        R"({"resource_id":")" + rid + R"(","records":[{"a":"가"}]})", admin)
                .status,
            200);
  std::string dev = server.add_user("dev");
  std::string url = "/openapi/data/" + rid + "?serviceKey=" + url_encode(dev);
  int ok = 0;
  HttpReply last;
  for (int i = 0; i < 6; ++i) {
    last = http.get(url);
    if (last.status != 200) break;
    ++ok;
  }
  EXPECT_EQ(ok, 4);
  EXPECT_EQ(last.status, 429);
  EXPECT_STREQ(last.json()["response"]["header"]["resultCode"].GetString(), "22");
  EXPECT_GT(std::stoi(last.header("retry-after")), 0);
}

// ---- /openapi/data/{resource}/openapi.json

TEST_F(DataApi, PerResourceOpenApiDocumentValidates) {
  auto r = get("/openapi/data/" + public_ + "/openapi.json");
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = r.json();
  EXPECT_STREQ(d["openapi"].GetString(), "3.1.0");
  const auto& props = d["components"]["schemas"]["Row"]["properties"];
  EXPECT_STREQ(props["주차장명"]["title"].GetString(), "주차장 이름");
  EXPECT_NE(std::string(props["주차구획수"]["description"].GetString()).find("칸 수"),
            std::string::npos);
  EXPECT_STREQ(props["주차구획수"]["type"][0].GetString(), "integer");
  std::string path = "/openapi/data/" + public_;
  ASSERT_TRUE(d["paths"].HasMember(path.c_str()));
  bool has_cond = false;
  for (const auto& p : d["paths"][path.c_str()]["get"]["parameters"].GetArray())
    has_cond = has_cond || std::string(p["name"].GetString()) == "cond[주차구획수::GTE]";
  EXPECT_TRUE(has_cond);

  std::string redocly = std::string(DATAMAP_SOURCE_DIR) + "/node_modules/.bin/redocly";
  ASSERT_TRUE(std::ifstream(redocly).good()) << redocly << " is missing: run `make setup`";
  TempDir dir;
  auto lint = run_node_script(
      redocly, {"lint", "--config", std::string(DATAMAP_SOURCE_DIR) + "/api/openapi/redocly.yaml",
                "--format", "stylish", saved(dir, "openapi.json", r.body)});
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
}

// ---- /datastore/dump/{resource}

TEST_F(DataApi, CsvDownloadHasBomAndParsesBackToTheRows) {
  auto r = get("/datastore/dump/" + public_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r.body.substr(0, 3), "\xEF\xBB\xBF");
  std::string disposition = r.header("content-disposition");
  EXPECT_NE(disposition.find("attachment"), std::string::npos);
  EXPECT_NE(disposition.find("filename*=UTF-8''" + url_encode("주차장") + "%20" +
                             url_encode("정보") + ".csv"),
            std::string::npos)
      << disposition;
  TempDir dir;
  auto rows = python_csv(saved(dir, "t.csv", r.body), "utf-8-sig");
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0][0], "_id") << "CKAN's dump starts with _id";
  EXPECT_EQ(without_id(rows), expected_rows(all_rows()));
}

TEST_F(DataApi, Cp949DownloadDecodesToTheSameText) {
  auto r = get("/datastore/dump/" + public_ + "?encoding=cp949");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=EUC-KR");
  EXPECT_NE(r.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(r.header("x-datamap-replaced-characters"), "1") << "the emoji";
  TempDir dir;
  std::string path = saved(dir, "t.csv", r.body);
  std::string utf8 = run("iconv -f CP949 -t UTF-8 " + shell_quote(path));
  EXPECT_NE(utf8.find(parking(5).name), std::string::npos);
  auto expected = expected_rows(all_rows());
  expected[10][4] = "웃음 ?";
  EXPECT_EQ(without_id(python_csv(path, "cp949")), expected);
}

TEST_F(DataApi, JsonAndTsvDownloads) {
  auto r = get("/datastore/dump/" + public_ + "?format=json");
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = r.json();
  ASSERT_EQ(d["records"].Size(), static_cast<unsigned>(kRows));
  EXPECT_STREQ(d["fields"][1]["id"].GetString(), "주차장명");
  EXPECT_STREQ(d["records"][7][5].GetString(), parking(7).note.c_str());
  EXPECT_EQ(d["records"][3][3].GetInt(), 30);

  auto tsv = get("/datastore/dump/" + public_ + "?format=tsv&bom=false");
  ASSERT_EQ(tsv.status, 200);
  EXPECT_EQ(tsv.body.rfind("_id\t주차장명", 0), 0u);
  TempDir dir;
  EXPECT_EQ(without_id(python_csv(saved(dir, "t.tsv", tsv.body), "utf-8", "\\t")),
            expected_rows(all_rows()));
}

TEST_F(DataApi, XlsxDownloadOpensInGdalWithTheSameRows) {
  auto r = get("/datastore/dump/" + public_ + "?format=xlsx");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(r.header("content-type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  TempDir dir;
  std::string path = saved(dir, "t.xlsx", r.body);
  auto sheets = gdal_sheets(path);
  ASSERT_FALSE(sheets.empty());
  const SheetRows& rows = sheets[0];
  EXPECT_EQ(without_id(rows), expected_rows(all_rows()));
}

TEST_F(DataApi, FilteredDownloadsTakeDatastoreSearchParameters) {
  std::string filtered =
      "/datastore/dump/" + public_ + "?filters=" + url_encode(R"({"구분":"공영"})") +
      "&sort=" + url_encode("주차구획수 desc") + "&fields=" + url_encode("주차장명,주차구획수");
  auto r = get(filtered);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-datamap-rows"), "13");
  TempDir dir;
  auto rows = python_csv(saved(dir, "f.csv", r.body), "utf-8-sig");
  ASSERT_EQ(rows.size(), 14u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"주차장명", "주차구획수"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{parking(24).name, "240"}));
  EXPECT_EQ(rows[13], (std::vector<std::string>{parking(0).name, "0"}));

  auto q = get("/datastore/dump/" + public_ + "?format=json&q=" + url_encode("시청앞"));
  ASSERT_EQ(q.status, 200) << q.body;
  EXPECT_EQ(q.json()["records"].Size(), 5u);
  auto none = get("/datastore/dump/" + public_ + "?filters=" + url_encode(R"({"구분":"없음"})"));
  ASSERT_EQ(none.status, 200);
  auto header_only = python_csv(saved(dir, "n.csv", none.body), "utf-8-sig");
  EXPECT_EQ(header_only.size(), 1u) << "an empty result still has its header";
}

// Issue 13 §9: a column named like SQL, values that try to be SQL, markup in names. Conditions
// and downloads treat them as data; the table is intact after.
TEST_F(DataApi, HostileColumnNamesAndValuesAreData) {
  auto created = action(
      "package_create",
      R"({"name":"hostile","title":"hostile","owner_org":"seoul","resources":[{"url":"https://example.org/h.csv","name":"a\"b\r\nX-Injected: 1.csv"}]})");
  std::string rid = created["result"]["resources"][0]["id"].GetString();
  const std::string column = "\"; DROP TABLE x; --";
  action(
      "datastore_create",
      R"({"resource_id":")" + rid +
          R"(","fields":[{"id":"\"; DROP TABLE x; --","type":"text"},{"id":"<b>","type":"int"}],)"
          R"("records":[{"\"; DROP TABLE x; --":"1' OR '1'='1","<b>":1},{"\"; DROP TABLE x; --":"평범","<b>":2}]})");
  auto eq = get(data_url(rid, cond(column, "EQ", "1' OR '1'='1")));
  ASSERT_EQ(eq.status, 200) << eq.body;
  EXPECT_EQ(eq.json()["matchCount"].GetInt(), 1);
  auto injection = get(data_url(rid, cond(column, "EQ", "x' OR '1'='1")));
  EXPECT_EQ(injection.json()["matchCount"].GetInt(), 0);
  auto xml = get(data_url(rid, "&returnType=xml"));
  EXPECT_NE(xml.body.find("<col name=\"&quot;; DROP TABLE x; --\">"), std::string::npos)
      << xml.body;
  EXPECT_NE(xml.body.find("<col name=\"&lt;b&gt;\">2</col>"), std::string::npos) << xml.body;

  auto dump = get("/datastore/dump/" + rid);
  ASSERT_EQ(dump.status, 200) << dump.body;
  EXPECT_TRUE(dump.header("x-injected").empty()) << "a resource name cannot add headers";
  std::string disposition = dump.header("content-disposition");
  EXPECT_EQ(disposition.find('\n'), std::string::npos);
  EXPECT_NE(disposition.find("filename*=UTF-8''a_b__X-Injected%3A%201.csv"),
            std::string::npos)
      << disposition;
  TempDir dir;
  auto rows = python_csv(saved(dir, "h.csv", dump.body), "utf-8-sig");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][1], column);
  EXPECT_EQ(rows[1][1], "1' OR '1'='1");
  EXPECT_EQ(get(data_url(rid, "")).json()["totalCount"].GetInt(), 2) << "nothing was dropped";
}

TEST_F(DataApi, BadDownloadParametersArePreciseErrors) {
  auto format = get("/datastore/dump/" + public_ + "?format=xls");
  EXPECT_EQ(format.status, 409);
  EXPECT_NE(format.body.find("csv, tsv, json or xlsx"), std::string::npos) << format.body;
  EXPECT_EQ(get("/datastore/dump/" + public_ + "?format=json&encoding=cp949").status, 409);
  EXPECT_EQ(get("/datastore/dump/" + public_ + "?encoding=latin9").status, 409);
  auto column = get("/datastore/dump/" + public_ + "?filters=" + url_encode(R"({"없는컬럼":"x"})"));
  EXPECT_GE(column.status, 400);
  EXPECT_LT(column.status, 500) << column.body;
  auto json = get("/datastore/dump/" + public_ + "?filters=" + url_encode("{broken"));
  EXPECT_EQ(json.status, 400) << json.body;
  EXPECT_EQ(get("/datastore/dump/no-such-resource").status, 404);
  EXPECT_EQ(get("/datastore/dump/" + public_).status, 200) << "the server is alive";
}

}  // namespace
}  // namespace datamap::testing
