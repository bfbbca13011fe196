// The data.go.kr list by URL: the real 2022 list (its first 2,000 rows) as a CSV, and the same
// rows through an odcloud-style JSON list API, which must dedupe onto the same datasets.
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "catalog/import/csv_reader.h"
#include "catalog/import/input_file.h"
#include "catalog/ids.h"
#include "tests/harvest/harvest_env.h"
#include "tests/support/fixture_http_server.h"

namespace datamap::harvest {
namespace {

using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using testing::HarvestEnv;

constexpr std::size_t kRows = 2000;

struct ListSample {
  std::string csv;  // header + kRows records, as published
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

const ListSample& sample() {
  static const ListSample s = [] {
    ListSample out;
    std::string text = catalog::importer::read_input_file(std::string(DATAMAP_SOURCE_DIR) +
                                                          "/data/sample/datago-list-2022.csv.xz");
    catalog::importer::CsvReader reader(text);
    catalog::importer::CsvRecord rec;
    reader.next(rec);
    out.header = rec.fields;
    std::size_t end = 0;
    while (out.rows.size() < kRows && reader.next(rec)) {
      out.rows.push_back(rec.fields);
      end = rec.end_offset;
    }
    out.csv = text.substr(0, end);
    return out;
  }();
  return s;
}

// One odcloud list page: {"page", "perPage", "totalCount", "currentCount", "matchCount", "data"}.
std::string api_page(int page, int per_page) {
  const ListSample& s = sample();
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  w.Key("page");
  w.Int(page);
  w.Key("perPage");
  w.Int(per_page);
  w.Key("totalCount");
  w.Int(static_cast<int>(s.rows.size()));
  std::size_t from = static_cast<std::size_t>((page - 1) * per_page);
  std::size_t to = std::min(s.rows.size(), from + static_cast<std::size_t>(per_page));
  w.Key("currentCount");
  w.Int(static_cast<int>(to > from ? to - from : 0));
  w.Key("data");
  w.StartArray();
  for (std::size_t i = from; i < to; ++i) {
    w.StartObject();
    for (std::size_t c = 0; c < s.header.size(); ++c) {
      w.Key(s.header[c].c_str());
      if (s.header[c] == "조회수")
        w.Int64(std::atoll(s.rows[i][c].c_str()));  // the API sends counts as numbers
      else
        w.String(s.rows[i][c].c_str());
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return sb.GetString();
}

TEST(DatagoHarvest, TheListCsvByUrlThenTheSameRowsFromTheJsonApi) {
  FixtureHttpServer server;
  const ListSample& s = sample();
  ASSERT_EQ(s.rows.size(), kRows);
  std::string etag = "\"list-2022\"";
  server.route("/list.csv", [&](const FixtureRequest& req, FixtureResponse& res) {
    if (req.header("if-none-match") == etag) return res.send_head(304, {"ETag: " + etag});
    res.send(200, "text/csv; charset=utf-8", "\xEF\xBB\xBF" + s.csv, {"ETag: " + etag});
  });
  server.route("/api/15062804/v1/list", [&](const FixtureRequest& req, FixtureResponse& res) {
    res.send(200, "application/json",
             api_page(std::stoi(req.param("page", "1")), std::stoi(req.param("perPage", "500"))));
  });
  HarvestEnv env;
  auto csv_source = env.add_source("datago-csv", "datago", server.url("/list.csv"));
  auto job = env.run(csv_source);
  ASSERT_EQ(job.status, "Finished") << job.error;
  EXPECT_EQ(job.gathered, static_cast<std::int64_t>(kRows));
  EXPECT_EQ(job.added + job.errored, static_cast<std::int64_t>(kRows));
  EXPECT_GT(job.added, 1990);  // a handful of the real rows break the model's rules
  for (const auto& o : env.records->objects(job.id, "ERROR", 0, 100))
    EXPECT_FALSE(o.error.empty()) << o.remote_id;
  auto d = env.store->dataset("15000000");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->title, "농림수산식품교육문화정보원_기관조사가격서비스");
  EXPECT_EQ(d->type, "api");
  auto org = env.store->organization(d->owner_org);
  ASSERT_TRUE(org.has_value());
  EXPECT_EQ(org->title, "농림수산식품교육문화정보원");

  auto unchanged = env.run(csv_source);
  EXPECT_TRUE(unchanged.not_modified);
  EXPECT_EQ(unchanged.unchanged, job.added);

  // The JSON API gives the same 목록키: the same datasets, now with two provenances.
  auto api_source = env.add_source("datago-api", "datago",
                                    server.url("/api/15062804/v1/list?page=1&perPage=500"));
  auto api_job = env.run(api_source);
  ASSERT_EQ(api_job.status, "Finished") << api_job.error;
  EXPECT_EQ(server.hits("/api/15062804/v1/list"), 4);
  EXPECT_EQ(api_job.added, 0);
  EXPECT_EQ(api_job.unchanged, job.added);
  EXPECT_EQ(env.store->count_datasets(), job.added);
  auto provenances = env.records->provenances_of_dataset(d->id);
  ASSERT_EQ(provenances.size(), 2u);
  EXPECT_TRUE(provenances[0].owner);
  EXPECT_EQ(provenances[0].source_id, csv_source.id);
  EXPECT_FALSE(provenances[1].owner);
}

TEST(DatagoHarvest, ANonListIsAnError) {
  FixtureHttpServer server;
  server.route("/other.csv", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "text/csv", "a,b,c\n1,2,3\n");
  });
  server.route("/error.json", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json", R"({"code": -4, "msg": "등록되지 않은 인증키 입니다."})");
  });
  HarvestEnv env;
  auto csv = env.run(env.add_source("other", "datago", server.url("/other.csv")));
  EXPECT_EQ(csv.status, "Failed");
  EXPECT_NE(csv.error.find("목록키"), std::string::npos) << csv.error;
  auto api = env.run(env.add_source("apierr", "datago", server.url("/error.json")));
  EXPECT_EQ(api.status, "Failed");
  EXPECT_NE(api.error.find("인증키"), std::string::npos) << api.error;
}

TEST(Dedup, TheSameLandingPageFromAnotherSourceIsOneDatasetWithTwoProvenances) {
  FixtureHttpServer server;
  server.route("/a.json", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json",
             R"({"dataset": [{"identifier": "agency-a/1", "title": "Air quality",
                 "landingPage": "https://www.example.org/data/air/"}]})");
  });
  server.route("/b.json", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/json",
             R"J({"dataset": [{"identifier": "mirror-77", "title": "Air quality (mirror)",
                 "landingPage": "http://example.org/data/air?utm_source=feed"}]})J");
  });
  HarvestEnv env;
  auto a = env.add_source("a", "datajson", server.url("/a.json"));
  auto b = env.add_source("b", "datajson", server.url("/b.json"));
  ASSERT_EQ(env.run(a).added, 1);
  auto job = env.run(b);
  ASSERT_EQ(job.status, "Finished") << job.error;
  EXPECT_EQ(job.added, 0);
  EXPECT_EQ(job.unchanged, 1);
  EXPECT_EQ(env.store->count_datasets(), 1);
  auto d = env.store->dataset("agency-a/1");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->title, "Air quality");  // the first source owns the content
  EXPECT_EQ(env.records->provenances_of_dataset(d->id).size(), 2u);
}

}  // namespace
}  // namespace datamap::harvest
