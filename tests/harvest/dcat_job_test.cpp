// DCAT catalogs over HTTP: the university's real DCAT-AP_IT RDF/XML, Hydra-paged Turtle, a
// paging loop and broken RDF.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <memory>
#include <set>

#include "tests/harvest/harvest_env.h"
#include "tests/support/fixture_http_server.h"

namespace datamap::harvest {
namespace {

using datamap::testing::FixtureHttpServer;
using datamap::testing::FixtureRequest;
using datamap::testing::FixtureResponse;
using testing::HarvestEnv;

const std::string kFixtures = DATAMAP_FIXTURES;

// The test's own reading of an RDF/XML catalog, independent of the harvester (raptor2): the
// dct:identifier of every element typed dcat:Dataset, by libxml2's XPath.
std::set<std::string> dcat_identifiers(const std::string& path) {
  std::set<std::string> out;
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(xmlReadFile(path.c_str(), nullptr, 0),
                                                     &xmlFreeDoc);
  if (!doc) return out;
  std::unique_ptr<xmlXPathContext, decltype(&xmlXPathFreeContext)> ctx(
      xmlXPathNewContext(doc.get()), &xmlXPathFreeContext);
  xmlXPathRegisterNs(ctx.get(), BAD_CAST "rdf",
                     BAD_CAST "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
  xmlXPathRegisterNs(ctx.get(), BAD_CAST "dct", BAD_CAST "http://purl.org/dc/terms/");
  std::unique_ptr<xmlXPathObject, decltype(&xmlXPathFreeObject)> found(
      xmlXPathEvalExpression(BAD_CAST
                             "//*[rdf:type/@rdf:resource='http://www.w3.org/ns/dcat#Dataset']"
                             "/dct:identifier",
                             ctx.get()),
      &xmlXPathFreeObject);
  if (!found || !found->nodesetval) return out;
  for (int i = 0; i < found->nodesetval->nodeNr; ++i) {
    xmlChar* text = xmlNodeGetContent(found->nodesetval->nodeTab[i]);
    out.emplace(reinterpret_cast<const char*>(text));
    xmlFree(text);
  }
  return out;
}

std::string turtle_page(int page, const std::string& next_url) {
  std::string out =
      "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
      "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n";
  for (int i = 0; i < 2; ++i) {
    std::string id = std::to_string(page) + "-" + std::to_string(i);
    out += "<https://portal.example/dataset/" + id + "> a dcat:Dataset ; dct:identifier \"ds-" +
           id + "\" ; dct:title \"Dataset " + id + "\" ; dcat:keyword \"k" + id + "\" .\n";
  }
  out += "<https://portal.example/catalog?page=" + std::to_string(page) +
         "> a hydra:PagedCollection ; hydra:totalItems 6";
  if (!next_url.empty()) out += " ; hydra:nextPage <" + next_url + ">";
  return out + " .\n";
}

TEST(DcatHarvest, TheUniversityCatalogGivesAllItsDatasetsAndDistributions) {
  FixtureHttpServer server;
  std::string rdf = datamap::testing::read_file(kFixtures + "/upo-catalog.dcat-ap-it.rdf");
  server.route("/catalog.rdf", [&](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/rdf+xml", rdf);
  });
  const auto identifiers = dcat_identifiers(kFixtures + "/upo-catalog.dcat-ap-it.rdf");
  ASSERT_EQ(identifiers.size(), 18u);  // the fixture as published
  HarvestEnv env;
  auto job = env.run(env.add_source("upo", "dcat", server.url("/catalog.rdf")));
  ASSERT_EQ(job.status, "Finished") << job.error;
  EXPECT_EQ(job.added, static_cast<std::int64_t>(identifiers.size()));
  EXPECT_EQ(job.errored, 0);
  EXPECT_EQ(env.store->count_datasets(), static_cast<std::int64_t>(identifiers.size()));
  // Every dataset with its own identifier landed, findable by that identifier.
  for (const auto& id : identifiers) {
    auto landed = env.store->dataset(id);
    ASSERT_TRUE(landed.has_value()) << id;
    EXPECT_EQ(landed->state, "active") << id;
  }
  std::size_t resources = 0;
  env.store->for_each_dataset([&](const catalog::Dataset& d) { resources += d.resources.size(); });
  EXPECT_EQ(resources, 31u);
  auto d = env.store->dataset("uni_por:offerta-formativa");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->title, "Offerta formativa");
  EXPECT_EQ(d->license_id, "cc-by");
  auto org = env.store->organization(d->owner_org);
  ASSERT_TRUE(org.has_value());
  EXPECT_EQ(org->title, "Università degli Studi del Piemonte Orientale");

  // Same document again: nothing changes (and no 304 here: the server sends no validators).
  auto again = env.run(env.records->source("upo").value());
  ASSERT_EQ(again.status, "Finished") << again.error;
  EXPECT_EQ(again.unchanged, 18);
  EXPECT_EQ(again.added + again.updated + again.deleted + again.errored, 0);
}

TEST(DcatHarvest, FollowsHydraPagesToTheEnd) {
  FixtureHttpServer server;
  server.route("/catalog", [&](const FixtureRequest& req, FixtureResponse& res) {
    int page = std::stoi(req.param("page", "1"));
    std::string next = page < 3 ? server.url("/catalog?page=" + std::to_string(page + 1)) : "";
    res.send(200, "text/turtle", turtle_page(page, next));
  });
  HarvestEnv env;
  auto job = env.run(env.add_source("paged", "dcat", server.url("/catalog")));
  ASSERT_EQ(job.status, "Finished") << job.error;
  EXPECT_EQ(job.added, 6);
  EXPECT_EQ(server.hits("/catalog"), 3);
  EXPECT_TRUE(job.complete_listing);
}

TEST(DcatHarvest, ANextPageLoopFailsTheJobAndDeletesNothing) {
  FixtureHttpServer server;
  bool looping = false;
  server.route("/catalog", [&](const FixtureRequest& req, FixtureResponse& res) {
    int page = std::stoi(req.param("page", "1"));
    int next = page == 3 ? (looping ? 1 : 0) : page + 1;
    res.send(200, "text/turtle",
             turtle_page(page, next ? server.url("/catalog?page=" + std::to_string(next)) : ""));
  });
  HarvestEnv env;
  auto source = env.add_source("loopy", "dcat", server.url("/catalog?page=1"));
  ASSERT_EQ(env.run(source).added, 6);
  looping = true;
  auto job = env.run(source);
  EXPECT_EQ(job.status, "Failed");
  EXPECT_NE(job.error.find("loop"), std::string::npos) << job.error;
  EXPECT_EQ(env.store->count_datasets(), 6);  // the failed job deleted nothing
  EXPECT_LE(server.hits("/catalog"), 7);
}

TEST(DcatHarvest, InvalidRdfFailsWithTheParsersMessage) {
  FixtureHttpServer server;
  server.route("/bad.rdf", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "application/rdf+xml",
             "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-"
             "ns#\" xmlns:dcat=\"http://www.w3.org/ns/dcat#\"><dcat:Dataset rdf:about=\"x\">"
             "<unclosed></rdf:RDF>");
  });
  server.route("/bad.ttl", [](const FixtureRequest&, FixtureResponse& res) {
    res.send(200, "text/turtle", "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<x> a dcat:Dataset ; dcat:keyword \"unterminated .");
  });
  HarvestEnv env;
  for (const char* path : {"/bad.rdf", "/bad.ttl"}) {
    auto job = env.run(env.add_source(std::string("bad") + (path[5] == 'r' ? "rdf" : "ttl"),
                                      "dcat", server.url(path)));
    EXPECT_EQ(job.status, "Failed") << path;
    EXPECT_NE(job.error.find("invalid RDF"), std::string::npos) << job.error;
  }
  EXPECT_EQ(env.store->count_datasets(), 0);
}

}  // namespace
}  // namespace datamap::harvest
