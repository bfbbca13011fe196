// CDC's real data.json, a year apart, harvested over HTTP: the second job must report exactly
// what changed between the two files, and a third, unchanged one must cost a 304.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <map>
#include <set>

#include "catalog/ids.h"
#include "tests/harvest/harvest_env.h"
#include "tests/support/fixture_http_server.h"

namespace datamap::harvest {
namespace {

using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using testing::HarvestEnv;

const std::string kFixtures = DATAMAP_FIXTURES;

// The test's own notion of "the same dataset content", independent of the harvester: the JSON
// object with its keys sorted, and keyword / theme compared as sets (DCAT keywords and themes
// are unordered; CDC reorders them between snapshots without changing them).
void canonical(const rapidjson::Value& v, std::string& out, bool as_set = false) {
  if (v.IsObject()) {
    std::vector<std::string> keys;
    for (const auto& m : v.GetObject()) keys.emplace_back(m.name.GetString());
    std::sort(keys.begin(), keys.end());
    out += '{';
    for (const auto& k : keys) {
      out += k + ':';
      canonical(v[k.c_str()], out, k == "keyword" || k == "theme");
      out += ',';
    }
    out += '}';
  } else if (v.IsArray()) {
    std::vector<std::string> items;
    for (const auto& item : v.GetArray()) {
      std::string s;
      canonical(item, s);
      items.push_back(s);
    }
    if (as_set) {
      std::sort(items.begin(), items.end());
      items.erase(std::unique(items.begin(), items.end()), items.end());
    }
    out += '[';
    for (const auto& s : items) out += s + ',';
    out += ']';
  } else {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    v.Accept(w);
    out += sb.GetString();
  }
}

std::map<std::string, std::string> contents_by_identifier(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  std::map<std::string, std::string> out;
  for (const auto& d : doc["dataset"].GetArray()) {
    std::string c;
    canonical(d, c);
    out[d["identifier"].GetString()] = c;
  }
  return out;
}

// Serves one data.json at a time, with an ETag, honouring If-None-Match.
struct CatalogServer {
  FixtureHttpServer server;
  std::string body;
  std::string etag;
  std::mutex mutex;

  CatalogServer() {
    server.route("/data.json", [this](const FixtureRequest& req, FixtureResponse& res) {
      std::lock_guard lock(mutex);
      if (!etag.empty() && req.header("if-none-match") == etag)
        return res.send_head(304, {"ETag: " + etag});
      res.send(200, "application/json", body, {"ETag: " + etag});
    });
  }
  void serve(const std::string& text) {
    std::lock_guard lock(mutex);
    body = text;
    std::string quoted(1, '"');
    quoted += catalog::sha256_hex(text).substr(0, 16);
    quoted.push_back('"');
    etag = quoted;
  }
};

TEST(DataJsonHarvest, TheSecondJobReportsExactlyWhatChangedAndTheThirdCostsA304) {
  std::string before = datamap::testing::read_file(kFixtures + "/cdc-data.json.2024-09");
  std::string after = datamap::testing::read_file(kFixtures + "/cdc-data.json.2025-09");
  auto old_content = contents_by_identifier(before);
  auto new_content = contents_by_identifier(after);
  std::int64_t added = 0, removed = 0, modified = 0, same = 0;
  for (const auto& [id, c] : new_content) {
    auto it = old_content.find(id);
    if (it == old_content.end())
      ++added;
    else if (it->second != c)
      ++modified;
    else
      ++same;
  }
  for (const auto& [id, c] : old_content)
    if (!new_content.count(id)) ++removed;

  // The fixtures as published (counted here, with RapidJSON, not by the harvester).
  ASSERT_EQ(old_content.size(), 1141u);
  ASSERT_EQ(new_content.size(), 1359u);
  ASSERT_EQ(added, 304);
  ASSERT_EQ(removed, 86);
  ASSERT_EQ(modified, 432);
  // Every identifier lands, findable by it: active while listed, deleted once no longer listed
  // (docs/HARVEST.md: CKAN semantics).
  auto expect_landed = [](catalog::Store& store, const std::map<std::string, std::string>& listed,
                          const std::map<std::string, std::string>& gone) {
    for (const auto& entry : listed) {
      auto d = store.dataset(entry.first);
      ASSERT_TRUE(d.has_value()) << entry.first;
      EXPECT_EQ(d->state, "active") << entry.first;
    }
    for (const auto& entry : gone) {
      if (listed.count(entry.first)) continue;
      auto d = store.dataset(entry.first);
      ASSERT_TRUE(d.has_value()) << entry.first;
      EXPECT_EQ(d->state, "deleted") << entry.first;
    }
  };

  CatalogServer remote;
  HarvestEnv env;
  auto source = env.add_source("cdc", "datajson", remote.server.url("/data.json"));

  remote.serve(before);
  auto first = env.run(source);
  ASSERT_EQ(first.status, "Finished") << first.error;
  EXPECT_EQ(first.added, static_cast<std::int64_t>(old_content.size()));
  EXPECT_EQ(first.errored, 0);
  EXPECT_EQ(env.store->count_datasets(), static_cast<std::int64_t>(old_content.size()));
  expect_landed(*env.store, old_content, {});

  remote.serve(after);
  auto second = env.run(source);
  ASSERT_EQ(second.status, "Finished") << second.error;
  EXPECT_EQ(second.added, added);
  EXPECT_EQ(second.deleted, removed);
  EXPECT_EQ(second.updated, modified);
  EXPECT_EQ(second.unchanged, same);
  EXPECT_EQ(second.errored, 0);
  EXPECT_TRUE(second.complete_listing);
  EXPECT_EQ(env.store->count_datasets(), static_cast<std::int64_t>(new_content.size()));
  expect_landed(*env.store, new_content, old_content);

  auto third = env.run(source);
  ASSERT_EQ(third.status, "Finished") << third.error;
  EXPECT_TRUE(third.not_modified);
  EXPECT_EQ(third.unchanged, 1359);
  EXPECT_EQ(third.added + third.updated + third.deleted + third.errored, 0);
  auto requests = remote.server.requests("/data.json");
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests.back().header("if-none-match"), remote.etag);

  // What users see: a dataset gone from CDC is deleted here, one added is there.
  std::string gone, fresh;
  for (const auto& [id, c] : old_content)
    if (!new_content.count(id)) gone = id;
  for (const auto& [id, c] : new_content)
    if (!old_content.count(id)) fresh = id;
  auto g = env.store->dataset(gone);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->state, "deleted");
  auto f = env.store->dataset(fresh);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->state, "active");
  EXPECT_EQ(f->source, "harvest:" + source.id);

  // Every object of the second job is accounted for.
  auto objects = env.records->objects(second.id, "", 0, 100000);
  EXPECT_EQ(static_cast<std::int64_t>(objects.size()), 1359 + removed);
  for (const auto& o : objects) EXPECT_EQ(o.state, "COMPLETE") << o.remote_id << ": " << o.error;
}

}  // namespace
}  // namespace datamap::harvest
