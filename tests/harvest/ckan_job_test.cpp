// data.gov's real CKAN package dicts served through a paged package_search on loopback.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>

#include "catalog/ids.h"
#include "harvest/sources/ckan_source.h"
#include "tests/harvest/harvest_env.h"
#include "tests/support/ckan_fixture.h"

namespace datamap::harvest {
namespace {

using datamap::testing::CkanFixture;
using datamap::testing::FixtureHttpServer;
using testing::HarvestEnv;

const std::string kFixtures = DATAMAP_FIXTURES;

std::vector<std::string> datagov_packages() {
  rapidjson::Document doc;
  std::string text = datamap::testing::read_file(kFixtures + "/datagov-harvest-sources.ckan.json");
  doc.Parse(text.c_str());
  std::vector<std::string> out;
  for (const auto& p : doc.GetArray()) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    p.Accept(w);
    out.emplace_back(sb.GetString(), sb.GetSize());
  }
  return out;
}

std::string with_member(const std::string& json, const char* key, const std::string& value) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  d.RemoveMember(key);
  d.AddMember(rapidjson::Value(key, d.GetAllocator()),
              rapidjson::Value(value.c_str(), d.GetAllocator()), d.GetAllocator());
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  d.Accept(w);
  return sb.GetString();
}

std::string member(const std::string& json, const char* key) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  return d[key].GetString();
}

std::int64_t datasets_of(catalog::Store& store, const std::string& org_name) {
  auto org = store.organization(org_name);
  if (!org) return -1;
  for (const auto& [id, n] :
       store.dataset_counts_by_organization(catalog::Visibility::everything()))
    if (id == org->id) return n;
  return 0;
}

TEST(CkanHarvest, PagesThroughPackageSearchAndMapsRemoteOrganizations) {
  FixtureHttpServer server;
  CkanFixture ckan(server);
  auto packages = datagov_packages();
  ckan.set_packages(packages);
  HarvestEnv env;
  auto source = env.add_source("datagov", "ckan", ckan.site_url());

  auto job = env.run(source);
  ASSERT_EQ(job.status, "Finished") << job.error;
  EXPECT_EQ(job.added, 145);
  EXPECT_EQ(job.errored, 0);
  EXPECT_TRUE(job.since.empty());  // the first job is a full one
  EXPECT_EQ(server.hits("/api/3/action/package_search"), 2);  // rows=100: two pages
  EXPECT_EQ(env.store->count_datasets(), 145);
  EXPECT_EQ(datasets_of(*env.store, "epa-gov"), 38);  // the remote's agency, now a local one
  auto d = env.store->dataset(member(packages[0], "id"));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->title, "U.S. Forest Service Geospatial Data Discovery");
  EXPECT_EQ(d->name, "u-s-forest-service-geospatial-data-discovery");

  // The remote changes: one package edited, one deleted, one new.
  std::vector<std::string> changed = packages;
  std::string edited_id = member(changed[3], "id");
  changed[3] = with_member(with_member(changed[3], "title", "Renamed on the remote"),
                           "metadata_modified", "2031-01-01T00:00:00.000001");
  std::string deleted_id = member(changed[7], "id");
  changed.erase(changed.begin() + 7);
  std::string fresh = with_member(
      with_member(with_member(changed[0], "id", "00000000-0000-4000-8000-00000000beef"), "name",
                  "a-brand-new-package"),
      "metadata_modified", "2031-01-02T00:00:00");
  changed.push_back(fresh);
  ckan.set_packages(changed);

  auto second = env.run(source);
  ASSERT_EQ(second.status, "Finished") << second.error;
  EXPECT_FALSE(second.since.empty());  // incremental: only what changed is listed in full
  EXPECT_EQ(second.added, 1);
  EXPECT_EQ(second.updated, 1);
  EXPECT_EQ(second.deleted, 1);
  EXPECT_EQ(second.errored, 0);
  EXPECT_EQ(second.unchanged, 0);
  EXPECT_EQ(env.store->dataset(edited_id)->title, "Renamed on the remote");
  EXPECT_EQ(env.store->dataset(deleted_id)->state, "deleted");
  EXPECT_EQ(env.store->dataset("00000000-0000-4000-8000-00000000beef")->name,
            "a-brand-new-package");
  EXPECT_EQ(env.store->count_datasets(), 145);
}

TEST(CkanHarvest, AnAgencysSourceFilesEverythingUnderThatAgency) {
  FixtureHttpServer server;
  CkanFixture ckan(server);
  ckan.set_packages(datagov_packages());
  HarvestEnv env;
  catalog::Organization agency;
  agency.id = catalog::new_id();
  agency.name = "agency-a";
  agency.title = "Agency A";
  env.store->write([&](catalog::Transaction& tx) { tx.put_organization(agency); });
  auto source = env.add_source("mirror", "ckan", ckan.site_url(), "", agency.id);
  auto job = env.run(source);
  ASSERT_EQ(job.status, "Finished") << job.error;
  EXPECT_EQ(job.added, 145);
  EXPECT_EQ(datasets_of(*env.store, "agency-a"), 145);
  EXPECT_FALSE(env.store->organization("epa-gov").has_value());  // no foreign agency created
}

TEST(CkanHarvest, KeysetPagingReadsEveryRecordOnceEvenWhenTimestampsTie) {
  // 250 datasets modified in the same millisecond (a bulk load): offsets within the tie.
  FixtureHttpServer server;
  CkanFixture ckan(server);
  std::vector<std::string> packages;
  for (int i = 0; i < 250; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    packages.push_back(std::string("{\"id\": \"") + id + "\", \"name\": \"tie-" +
                       std::to_string(i) + "\", \"title\": \"Tie " + std::to_string(i) +
                       "\", \"metadata_modified\": \"2024-05-05T05:05:05.123" +
                       std::to_string(100 + i % 900) + "\"}");
  }
  ckan.set_packages(packages);
  HarvestEnv env;
  auto source = env.add_source("ties", "ckan", ckan.site_url());
  auto job = env.run(source);
  ASSERT_EQ(job.status, "Finished") << job.error;
  EXPECT_EQ(job.added, 250);
  EXPECT_EQ(job.errored, 0);  // a record read twice would be rejected as a duplicate
  EXPECT_EQ(server.hits("/api/3/action/package_search"), 3);

  // Whole-second timestamps (a daily batch job): 130 at one second, 120 at the next.
  for (int i = 0; i < 250; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "10000000-0000-4000-8000-%012d", i);
    packages[static_cast<std::size_t>(i)] =
        std::string("{\"id\": \"") + id + "\", \"name\": \"day-" + std::to_string(i) +
        "\", \"title\": \"Day " + std::to_string(i) + "\", \"metadata_modified\": \"2024-05-0" +
        (i < 130 ? "5" : "6") + "T00:00:00\"}";
  }
  ckan.set_packages(packages);
  auto whole = env.run(env.add_source("whole-seconds", "ckan", ckan.site_url()));
  ASSERT_EQ(whole.status, "Finished") << whole.error;
  EXPECT_EQ(whole.gathered, 250);
  EXPECT_EQ(whole.added, 250);
}

TEST(CkanHarvest, SolrTimesKeepMilliseconds) {
  EXPECT_EQ(solr_time("2019-01-18T12:34:56.123456"), "2019-01-18T12:34:56.123Z");
  EXPECT_EQ(solr_time("2019-01-18T12:34:56"), "2019-01-18T12:34:56.000Z");
  EXPECT_EQ(solr_time("2019-01-18T12:34:56.5"), "2019-01-18T12:34:56.500Z");
  EXPECT_EQ(ckan_package_search_url("https://catalog.data.gov/"),
            "https://catalog.data.gov/api/3/action/package_search");
  EXPECT_EQ(ckan_package_search_url("https://x.org/api/3/action/package_search?q=a"),
            "https://x.org/api/3/action/package_search");
}

}  // namespace
}  // namespace datamap::harvest
