// Round trip over real HTTP: a started `datamap serve` publishes its catalog as DCAT-AP
// (/catalog.ttl, .rdf, .jsonld, Hydra-paged), and fresh instances harvest it back with the `dcat`
// source type. The same datasets must come back: titles, agencies, keywords, resources, contacts,
// licence, frequency, dataset and agency names (read from the publisher's IRIs). (Not compared:
// ids, which the harvesting instance makes its own, and the description of a dataset without
// one, which DCAT-AP requires and the writer fills with the title.)
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "tests/harvest/harvest_env.h"
#include "tests/support/test_server.h"

namespace datamap::harvest {
namespace {

using datamap::testing::HttpClient;
using datamap::testing::TestServer;

// What a user compares between the two catalogs, for one dataset.
struct Summary {
  std::string name, agency, agency_name, notes, email, phone, license, frequency;
  std::set<std::string> tags;
  std::set<std::string> resources;  // "url | FORMAT | name"
  bool operator==(const Summary&) const = default;
};
using Catalog = std::map<std::string, Summary>;  // by title (unique in this test)

std::ostream& operator<<(std::ostream& os, const Summary& s) {
  os << "{name " << s.name << ", agency " << s.agency << " (" << s.agency_name << "), license " << s.license << ", frequency " << s.frequency
     << ", email " << s.email << ", phone " << s.phone << ", tags [";
  for (const auto& t : s.tags) os << t << ";";
  os << "], resources [";
  for (const auto& r : s.resources) os << r << ";";
  return os << "]}";
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string str(const rapidjson::Value& v, const char* key) {
  return v.IsObject() && v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

// Every public dataset of a running instance, read with package_list and package_show.
Catalog read_catalog(const HttpClient& http) {
  Catalog out;
  auto list = http.action("package_list", R"({"limit": 1000})");
  EXPECT_EQ(list.status, 200) << list.body;
  auto names = list.json();
  for (const auto& name : names["result"].GetArray()) {
    auto shown = http.action("package_show", std::string(R"({"id": ")") + name.GetString() + "\"}");
    EXPECT_EQ(shown.status, 200) << shown.body;
    auto doc = shown.json();
    const auto& d = doc["result"];
    Summary s;
    s.name = str(d, "name");
    s.agency = str(d["organization"], "title");
    s.agency_name = str(d["organization"], "name");
    s.notes = str(d, "notes");
    s.email = str(d, "maintainer_email");
    s.phone = str(d, "maintainer_phone");
    s.license = str(d, "license_id");
    s.frequency = str(d, "frequency");
    for (const auto& t : d["tags"].GetArray()) s.tags.insert(str(t, "name"));
    for (const auto& r : d["resources"].GetArray())
      s.resources.insert(str(r, "url") + " | " + upper(str(r, "format")) + " | " + str(r, "name"));
    out[str(d, "title")] = s;
  }
  return out;
}

// The same from a catalog harvested in-process.
Catalog read_catalog(catalog::Store& store) {
  Catalog out;
  store.for_each_dataset([&](const catalog::Dataset& d) {
    Summary s;
    s.name = d.name;
    if (auto org = store.organization(d.owner_org)) {
      s.agency = org->title;
      s.agency_name = org->name;
    }
    s.notes = d.notes;
    s.email = d.maintainer_email;
    s.phone = d.maintainer_phone;
    s.license = d.license_id;
    s.frequency = d.frequency;
    s.tags.insert(d.tags.begin(), d.tags.end());
    for (const auto& r : d.resources) s.resources.insert(r.url + " | " + upper(r.format) + " | " + r.name);
    out[d.title] = s;
  });
  return out;
}

void expect_same(const Catalog& published, const Catalog& harvested, const std::string& how) {
  EXPECT_EQ(harvested.size(), published.size()) << how;
  for (const auto& [title, want] : published) {
    auto it = harvested.find(title);
    if (it == harvested.end()) {
      ADD_FAILURE() << how << ": \"" << title << "\" did not come back";
      continue;
    }
    EXPECT_EQ(it->second, want) << how << ": \"" << title << "\"";
  }
}

// The publishing instance: three agencies, datasets with Korean and English titles, keywords,
// contacts and resources in several formats, and enough plain ones for a second Hydra page.
struct Publisher {
  TestServer server;
  HttpClient http{server.client()};
  std::string admin = server.add_user("admin", {"--sysadmin"});
  static constexpr int kPlain = 100;

  Publisher() {
    ok("organization_create", R"({"name": "moe", "title": "환경부"})");
    ok("organization_create", R"({"name": "molit", "title": "국토교통부"})");
    ok("organization_create", R"({"name": "kostat", "title": "통계청"})");
    ok("package_create", R"({"name": "air-quality", "title": "환경부_대기오염 측정 정보",
      "notes": "전국 측정소의 시간별 대기오염도(미세먼지, 오존) 측정값.", "owner_org": "moe",
      "tags": ["미세먼지", "대기오염", "PM2.5"], "license_id": "KOGL-1", "frequency": "일간",
      "maintainer": "대기환경과", "maintainer_email": "air@me.go.kr", "maintainer_phone": "044-201-6911",
      "url": "https://www.data.go.kr/data/15000001/fileData.do",
      "resources": [
        {"name": "대기오염 측정값 2023", "format": "CSV",
         "url": "https://www.data.go.kr/cmm/cmm/fileDownload.do?atchFileId=FILE_000000001"},
        {"name": "측정망 설명서", "format": "HWP", "url": "https://www.data.go.kr/files/manual.hwp"}]})");
    ok("package_create", R"({"name": "bus-arrival", "title": "국토교통부_버스도착정보 조회 서비스",
      "notes": "정류소별 버스 도착 예정 정보", "owner_org": "molit", "tags": ["버스", "도착정보"], "frequency": "실시간", "license_id": "KOGL-3",
      "maintainer_email": "bus@molit.go.kr",
      "resources": [{"name": "버스도착정보 API", "format": "JSON",
                     "url": "https://apis.data.go.kr/1613000/BusArrival"}]})");
    ok("package_create", R"({"name": "road-traffic", "title": "Road traffic volume",
      "notes": "Annual average daily traffic by road section.", "owner_org": "molit",
      "tags": ["traffic", "도로"],
      "resources": [{"name": "2023", "format": "XLSX", "url": "https://example.org/roads/2023.xlsx"},
                    {"name": "도로 구간 지도", "format": "ZIP", "url": "https://example.org/roads/sections.zip"}]})");
    ok("package_create", R"({"name": "population", "title": "통계청_주민등록 인구 통계",
      "notes": "시군구별 주민등록 인구", "owner_org": "kostat", "tags": ["인구", "주민등록", "시군구"], "frequency": "연간",
      "maintainer_phone": "042-481-2114",
      "resources": [{"name": "인구 통계표", "format": "XML", "url": "https://kosis.kr/openapi/population.xml"},
                    {"name": "설명 자료", "format": "PDF", "url": "https://kosis.kr/files/population.pdf"}]})");
    for (int i = 0; i < kPlain; ++i) {
      std::string n = std::to_string(i);
      ok("package_create", R"({"name": "station-)" + n + R"(", "title": "측정소 목록 )" + n +
                               R"(", "notes": "측정소 위치와 측정 항목", "owner_org": "moe", "tags": ["측정소"], "resources": [{"name": "목록", )"
                               R"("format": "CSV", "url": "https://example.org/stations/)" + n + R"(.csv"}]})");
    }
    wait_until_searchable(4 + kPlain);
  }

  void ok(const std::string& action, const std::string& body) {
    auto r = http.action(action, body, admin);
    ASSERT_EQ(r.status, 200) << action << ": " << r.body;
  }
  // The catalog pages answer from the search index, which follows the catalog within a second.
  void wait_until_searchable(int n) {
    for (int i = 0; i < 600; ++i) {
      auto r = http.get("/api/3/action/package_search?rows=0");
      if (r.status == 200 && r.json()["result"]["count"].GetInt() == n) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the search index did not catch up with " << n << " datasets";
  }
};

// One publisher for the three syntaxes: filling it is the slow part.
TEST(DcatRoundTrip, FreshInstancesHarvestTheSameDatasetsFromTurtleRdfXmlAndJsonLd) {
  Publisher a;
  Catalog published = read_catalog(a.http);
  ASSERT_EQ(published.size(), 4u + Publisher::kPlain);

  // Turtle: a second `datamap serve` with a `dcat` source, run through the harvest actions.
  TestServer::Options options;
  options.config_toml = "[harvest]\nallow_hosts = [\"127.0.0.1\"]\n";
  TestServer b(options);
  std::string admin = b.add_user("admin", {"--sysadmin"});
  auto http = b.client();
  auto created = http.action("harvest_source_create",
                             R"({"name": "national", "source_type": "dcat", "url": ")" + a.server.url() +
                                 R"(/catalog.ttl"})",
                             admin);
  ASSERT_EQ(created.status, 200) << created.body;
  auto job = http.action("harvest_job_create", R"({"source_id": "national"})", admin);
  ASSERT_EQ(job.status, 200) << job.body;
  std::string job_id = job.json()["result"]["id"].GetString();
  rapidjson::Document done;
  for (int i = 0; i < 600; ++i) {  // a hang guard, not a timing assertion
    done = http.action("harvest_job_show", R"({"id": ")" + job_id + "\"}").json();
    std::string status = done["result"]["status"].GetString();
    if (status != "New" && status != "Running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto& result = done["result"];
  ASSERT_STREQ(result["status"].GetString(), "Finished") << result["error"].GetString();
  EXPECT_EQ(result["stats"]["added"].GetInt64(), 4 + Publisher::kPlain);  // both Hydra pages
  EXPECT_EQ(result["stats"]["errored"].GetInt64(), 0);
  expect_same(published, read_catalog(http), "catalog.ttl, harvested by a started instance");

  // RDF/XML and JSON-LD: the same source type run in-process into fresh catalogs.
  for (const char* ext : {"rdf", "jsonld"}) {
    testing::HarvestEnv c;
    auto run = c.run(c.add_source("national", "dcat", a.server.url() + "/catalog." + ext));
    ASSERT_EQ(run.status, "Finished") << ext << ": " << run.error;
    EXPECT_EQ(run.added, 4 + Publisher::kPlain) << ext;
    EXPECT_EQ(run.errored, 0) << ext;
    expect_same(published, read_catalog(*c.store), std::string("catalog.") + ext);
  }
}

}  // namespace
}  // namespace datamap::harvest
