// Near edges on the map, measured on coordinates (issue 14 item 2), over real HTTP: the real
// parking and city-park files uploaded with resource_create and loaded by the load queue, which
// measures each loaded resource's near pairs and writes them into the catalog; datamap_related
// then shows the near relation right after the joinable one, with the exact figures Python's csv
// module recomputes from the files. A loaded dataset without coordinates gets none; a reload
// replaces the figures; forged or malformed summaries are refused or ignored.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "tests/datastore/load_job_util.h"
#include "tests/support/map_wait.h"
#include "tests/support/test_server.h"

using datamap::testing::json_text;
using datamap::testing::related_when;
using datamap::testing::TestServer;

namespace {

const std::string kDir = DATAMAP_SOURCE_DIR "/data/sample/datafiles/";
const std::string kParking = kDir + "datago-std-parking-15012896.csv";
const std::string kParks = kDir + "datago-std-citypark-15012890.csv";

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The figures from the files, by Python's csv module: each file's rows with a point (위도, 경도
// both numbers in range), and of those, the ones with a point of the other file within `metres`
// (haversine, same radius as the server; a grid of cells one distance wide narrows the pairs,
// every candidate pair is measured exactly). `limit_b` keeps only the second file's first rows.
struct Expected {
  long points_a = 0, near_a = 0, points_b = 0, near_b = 0;
};
Expected recompute_with_python(const std::string& a, const std::string& b, double metres,
                               long limit_b = -1) {
  const std::string script = R"(
import csv, math, sys
from collections import defaultdict
def points(path, limit):
    out = []
    with open(path, encoding='cp949', errors='replace', newline='') as f:
        for i, r in enumerate(csv.DictReader(f)):
            if limit >= 0 and i >= limit: break
            try:
                lat, lon = float(r['위도']), float(r['경도'])
            except (ValueError, TypeError):
                continue
            if math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180:
                out.append((lat, lon))
    return out
def hav(p, q):
    rad = math.pi / 180
    dlat, dlon = (q[0] - p[0]) * rad, (q[1] - p[1]) * rad
    h = math.sin(dlat / 2) * math.sin(dlat / 2) + math.cos(p[0] * rad) * math.cos(q[0] * rad) * math.sin(dlon / 2) * math.sin(dlon / 2)
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(h)))
d = float(sys.argv[3])
cell = d / 111194.9 * 1.5  # degrees; a longitude degree is shorter here, so neighbours suffice
def near_count(xs, ys):
    grid = defaultdict(list)
    for q in ys:
        grid[(math.floor(q[0] / cell), math.floor(q[1] / (cell / math.cos(math.radians(40)))))].append(q)
    n = 0
    for p in xs:
        r, c = math.floor(p[0] / cell), math.floor(p[1] / (cell / math.cos(math.radians(40))))
        if any(hav(p, q) <= d for dr in (-1, 0, 1) for dc in (-1, 0, 1) for q in grid.get((r + dr, c + dc), ())):
            n += 1
    return n
a, b = points(sys.argv[1], -1), points(sys.argv[2], int(sys.argv[4]))
print(len(a), near_count(a, b), len(b), near_count(b, a))
)";
  std::string cmd = "python3 -c \"$(cat <<'PY'\n" + script + "\nPY\n)\" '" + a + "' '" + b + "' " +
                    std::to_string(metres) + " " + std::to_string(limit_b);
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  Expected e;
  if (!p ||
      std::fscanf(p.get(), "%ld %ld %ld %ld", &e.points_a, &e.near_a, &e.points_b, &e.near_b) != 4)
    ADD_FAILURE() << "python3 did not answer";
  return e;
}

std::string percent(long part, long whole) {
  return std::to_string(std::lround(double(part) / double(whole) * 100)) + "%";
}

rapidjson::Document ok(TestServer& s, const std::string& action, const std::string& body,
                       const std::string& token = "") {
  auto reply = s.client().action(action, body, token);
  EXPECT_EQ(reply.status, 200) << action << ": " << reply.body.substr(0, 500);
  return reply.json();
}

const rapidjson::Value* reason_of(const rapidjson::Value& item, const char* kind) {
  for (const auto& r : item["reasons"].GetArray())
    if (std::string(r["kind"].GetString()) == kind) return &r;
  return nullptr;
}

// The related item named `name` in a related list, or null.
const rapidjson::Value* item_named(const rapidjson::Value& list, const std::string& name) {
  for (const auto& item : list.GetArray())
    if (name == item["name"].GetString()) return &item;
  return nullptr;
}

std::string upload_and_load(TestServer& server, const std::string& action,
                            std::map<std::string, std::string> fields, const std::string& bytes,
                            const std::string& token) {
  auto http = server.client();
  fields["format"] = "CSV";
  auto reply = datamap::testing::upload(http, action, fields, "data.csv", bytes, token);
  EXPECT_EQ(reply.status, 200) << reply.body.substr(0, 500);
  if (reply.status != 200) return "";
  std::string id = reply.json()["result"]["id"].GetString();
  auto job = datamap::testing::wait_for_job(http, id, token);
  EXPECT_STREQ(job["result"]["status"].GetString(), "complete") << json_text(job);
  return id;
}

// Checks the near reason parking -> city-parks against `want` (parking = A).
void expect_near(const rapidjson::Value& item, const Expected& want, const std::string& parking_rid,
                 const std::string& parks_rid) {
  const rapidjson::Value* r = reason_of(item, "near");
  ASSERT_NE(r, nullptr) << json_text(item);
  const auto& n = (*r)["near"];
  EXPECT_EQ(n["resource"].GetString(), parking_rid);
  EXPECT_EQ(n["other_resource"].GetString(), parks_rid);
  EXPECT_EQ(n["within_m"].GetDouble(), 300);
  EXPECT_EQ(n["points"].GetInt64(), want.points_a);
  EXPECT_EQ(n["points_near"].GetInt64(), want.near_a);
  EXPECT_EQ(n["other_points"].GetInt64(), want.points_b);
  EXPECT_EQ(n["other_points_near"].GetInt64(), want.near_b);
  EXPECT_EQ(std::string((*r)["value"].GetString()),
            "near: " + percent(want.near_a, want.points_a) + " of A's points and " +
                percent(want.near_b, want.points_b) + " of B's points within 300 m");
}

}  // namespace

TEST(NearEdges, RealFilesAreNearWithFiguresPythonRecomputesAndReloadReplacesThem) {
  TestServer server;
  std::string token = server.add_user("admin", {"--sysadmin"});
  ok(server, "organization_create", R"({"name": "mois", "title": "행정안전부"})", token);
  ok(server, "organization_create", R"({"name": "molit", "title": "국토교통부"})", token);
  ok(server, "package_create",
     R"({"name": "parking", "title": "전국주차장정보표준데이터", "owner_org": "mois"})", token);
  ok(server, "package_create",
     R"({"name": "city-parks", "title": "전국도시공원정보표준데이터", "owner_org": "molit"})",
     token);
  ok(server, "package_create",
     R"({"name": "org-codes", "title": "기관 코드 목록", "owner_org": "molit"})", token);
  std::string parking = upload_and_load(server, "resource_create", {{"package_id", "parking"}},
                                        read(kParking), token);
  std::string parks = upload_and_load(server, "resource_create", {{"package_id", "city-parks"}},
                                      read(kParks), token);
  // Loaded rows without coordinates: codes and names only.
  std::string codes = upload_and_load(server, "resource_create", {{"package_id", "org-codes"}},
                                      "제공기관코드,제공기관명\n3540000,부산광역시 중구\n"
                                      "3410000,대구광역시 동구\n6270000,대구광역시\n",
                                      token);
  ASSERT_FALSE(parking.empty() || parks.empty() || codes.empty());

  Expected want = recompute_with_python(kParking, kParks, 300);
  ASSERT_GT(want.near_a, 0);
  auto rel = related_when(server, "parking", [](const rapidjson::Value& l) {
    const rapidjson::Value* parks = item_named(l, "city-parks");
    return parks && reason_of(*parks, "near");
  });
  const auto& list = rel["result"];
  const rapidjson::Value* item = item_named(list, "city-parks");
  ASSERT_NE(item, nullptr);
  expect_near(*item, want, parking, parks);
  // Measured relations first: joinable on 제공기관코드, then near, then anything else.
  EXPECT_STREQ(list[0]["name"].GetString(), "city-parks") << json_text(list);
  // Every measured column pair (제공기관코드, the best, first), then near, then the rest.
  std::vector<std::string> kinds;
  for (const auto& r : (*item)["reasons"].GetArray()) kinds.emplace_back(r["kind"].GetString());
  auto near_at = std::find(kinds.begin(), kinds.end(), "near");
  ASSERT_NE(near_at, kinds.end());
  EXPECT_GE(near_at - kinds.begin(), 1);
  EXPECT_TRUE(std::all_of(kinds.begin(), near_at, [](const auto& k) { return k == "joinable"; }))
      << json_text(*item);
  EXPECT_TRUE(std::none_of(near_at + 1, kinds.end(), [](const auto& k) { return k == "joinable"; }))
      << json_text(*item);

  // The dataset without coordinates: no near relation, no point summary.
  auto codes_rel = related_when(server, "org-codes", [](const rapidjson::Value& l) {
    return item_named(l, "parking") != nullptr;  // joinable on 제공기관코드 by now
  });
  for (const auto& it : codes_rel["result"].GetArray())
    EXPECT_EQ(reason_of(it, "near"), nullptr) << json_text(it);
  auto codes_pkg = ok(server, "package_show", R"({"id": "org-codes"})");
  EXPECT_FALSE(codes_pkg["result"]["resources"][0].HasMember("points"));
  // The summaries are in the catalog: the parking lots, loaded first, had nothing to measure
  // against; the parks, loaded second, measured the pair and hold it.
  auto parking_pkg = ok(server, "package_show", R"({"id": "parking"})");
  const auto& pts = parking_pkg["result"]["resources"][0]["points"];
  EXPECT_STREQ(pts["lat_column"].GetString(), "위도");
  EXPECT_EQ(pts["count"].GetInt64(), want.points_a);
  EXPECT_GT(pts["cells"].Size(), 10u);
  EXPECT_EQ(pts["near"].Size(), 0u);
  auto parks_pkg = ok(server, "package_show", R"({"id": "city-parks"})");
  const auto& parks_res = parks_pkg["result"]["resources"][0];
  ASSERT_TRUE(parks_res.HasMember("points")) << json_text(parks_res).substr(0, 300);
  const auto& parks_near = parks_res["points"]["near"];
  ASSERT_EQ(parks_near.Size(), 1u) << json_text(parks_near);
  EXPECT_EQ(parks_near[0]["resource_id"].GetString(), parking);
  EXPECT_EQ(parks_near[0]["points_near"].GetInt64(), want.near_b);
  EXPECT_EQ(parks_near[0]["other_points_near"].GetInt64(), want.near_a);

  // Hostile input: a malformed summary is a 409 naming it; a forged one through resource_update
  // is ignored (the load job alone writes it). The server is alive and the figures unchanged.
  auto bad = server.client().action(
      "resource_patch", R"({"id": ")" + codes + R"(", "points": {"cells": "everywhere"}})", token);
  EXPECT_EQ(bad.status, 409) << bad.body;
  EXPECT_NE(bad.body.find("points.cells"), std::string::npos) << bad.body;
  auto forged = ok(server, "resource_patch",
                   R"({"id": ")" + codes +
                       R"(", "points": {"lat_column": "x", "lon_column": "y", "count": 3,
                          "fingerprint": "0000000000000001", "cells": [],
                          "near": [{"resource_id": ")" +
                       parking +
                       R"(", "package_id": "parking", "fingerprint": "0000000000000002",
                          "within_m": 300, "points_near": 3, "other_points": 1,
                          "other_points_near": 1}]}})",
                   token);
  EXPECT_FALSE(forged["result"].HasMember("points")) << json_text(forged["result"]);
  auto malformed = server.client().action(
      "package_update",
      R"({"name": "org-codes", "title": "기관 코드 목록", "owner_org": "molit",
          "resources": [{"name": "x", "url": "http://example.kr/x.csv",
                         "points": {"near": [{"resource_id": 7}]}}]})",
      token);
  EXPECT_EQ(malformed.status, 409) << malformed.body;
  EXPECT_NE(malformed.body.find("points"), std::string::npos) << malformed.body;

  // A reload of the parks with only their first 3,000 rows: the parks measure their pairs again
  // (parking's stale figure about the old parks is dropped), and the map shows the new figures.
  std::string parks_bytes = read(kParks);
  std::size_t cut = 0;
  for (int line = 0; line <= 3000 && cut != std::string::npos; ++line)
    cut = parks_bytes.find('\n', cut + (line ? 1 : 0));
  ASSERT_NE(cut, std::string::npos);
  upload_and_load(server, "resource_update", {{"id", parks}}, parks_bytes.substr(0, cut + 1),
                  token);
  Expected fewer = recompute_with_python(kParking, kParks, 300, 3000);
  ASSERT_LT(fewer.points_b, want.points_b);
  auto after = related_when(server, "parking", [&](const rapidjson::Value& l) {
    const rapidjson::Value* p = item_named(l, "city-parks");
    const rapidjson::Value* r = p ? reason_of(*p, "near") : nullptr;
    return r && (*r)["near"]["other_points"].GetInt64() == fewer.points_b;
  });
  expect_near(*item_named(after["result"], "city-parks"), fewer, parking, parks);
}
