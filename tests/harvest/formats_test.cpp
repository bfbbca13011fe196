// The source formats on the real published catalogs in tests/fixtures, and on hand-written
// snippets for the syntaxes no fixture covers (Turtle, JSON-LD, Hydra paging, broken input).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "catalog/validation.h"
#include "harvest/formats/datajson.h"
#include "harvest/formats/dcat.h"
#include "harvest/formats/rdf_graph.h"
#include "harvest/json_stream.h"
#include "tests/support/temp_dir.h"

namespace datamap::harvest {
namespace {

const std::string kFixtures = DATAMAP_FIXTURES;

std::string extra(const catalog::KeyValues& kv, const std::string& key) {
  for (const auto& [k, v] : kv)
    if (k == key) return v;
  return "";
}

std::string write(const testing::TempDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir.file(name), std::ios::binary) << text;
  return dir.file(name);
}

TEST(JsonStream, StreamsArrayElementsAndCollectsScalars) {
  std::string text = R"({"help":"x","success":true,"result":{"count":3,"results":[{"id":"a"},)"
                     R"({"id":"b","n":[1,2,{"c":null}]},{"id":"c"}],"facets":{}}})";
  std::vector<std::string> ids;
  auto r = stream_json_array_text(text, "result.results", [&](rapidjson::Document& d) {
    ids.push_back(d["id"].GetString());
    return true;
  });
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.found_array);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r.scalars["result.count"], "3");
  EXPECT_EQ(r.scalars["success"], "true");
}

TEST(JsonStream, ReportsTheOffsetOfBrokenJsonAndStopsWhenAsked) {
  auto broken = stream_json_array_text(R"({"dataset":[{"a":1},{"a":)", "dataset",
                                       [](rapidjson::Document&) { return true; });
  EXPECT_FALSE(broken.ok);
  EXPECT_NE(broken.error.find("byte"), std::string::npos) << broken.error;
  EXPECT_EQ(broken.elements, 1);

  int seen = 0;
  auto stopped = stream_json_array_text(R"([1,2,3,4])", "", [&](rapidjson::Document&) {
    return ++seen < 2;
  });
  EXPECT_TRUE(stopped.ok);
  EXPECT_TRUE(stopped.stopped);
  EXPECT_EQ(seen, 2);
}

TEST(DataJson, MapsEveryCdcDatasetWithItsIdentifierAndDistributions) {
  std::vector<HarvestItem> items;
  auto r = read_datajson_file(kFixtures + "/cdc-data.json.2024-09", [&](HarvestItem&& item) {
    items.push_back(std::move(item));
    return true;
  });
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(items.size(), 1141u);
  std::set<std::string> ids;
  std::size_t with_resources = 0;
  for (const auto& item : items) {
    EXPECT_TRUE(item.errors.empty()) << item.ref;
    ids.insert(item.ref);
    if (!item.dataset.resources.empty()) ++with_resources;
    ASSERT_TRUE(item.organization.has_value());
  }
  EXPECT_EQ(ids.size(), 1141u);
  const HarvestItem& first = items.front();
  EXPECT_EQ(first.ref, "https://data.cdc.gov/api/views/23gt-ssfe");
  EXPECT_EQ(first.dataset.title, "NNDSS - Table II. Invasive Pneumococcal to Legionellosis");
  EXPECT_EQ(first.dataset.url, "https://data.cdc.gov/d/23gt-ssfe");
  EXPECT_EQ(first.dataset.maintainer, "CDC INFO");
  EXPECT_EQ(first.dataset.maintainer_email, "cdcinfo@cdc.gov");
  EXPECT_EQ(first.dataset.modified, "2019-01-18");
  EXPECT_EQ(first.organization->title, "data.cdc.gov");
  EXPECT_EQ(extra(first.dataset.extras, "bureauCode"), "[\"009:00\"]");
  EXPECT_TRUE(std::is_sorted(first.dataset.tags.begin(), first.dataset.tags.end()));
  EXPECT_GT(with_resources, 1000u);
}

TEST(DataJson, ANonCatalogDocumentIsAnError) {
  testing::TempDir dir;
  auto r = read_datajson_file(write(dir, "x.json", R"({"hello":"world"})"),
                              [](HarvestItem&&) { return true; });
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("not a data.json"), std::string::npos);
}

TEST(Dcat, MapsTheUniversityDcatApItCatalog) {
  RdfGraph graph;
  std::string error = parse_rdf_file(kFixtures + "/upo-catalog.dcat-ap-it.rdf",
                                     RdfSyntax::kRdfXml,
                                     "https://github.com/unipiemonteorientale/UPOopendata", graph);
  ASSERT_EQ(error, "");
  std::vector<HarvestItem> items;
  DcatPage page = read_dcat_graph(graph, [&](HarvestItem&& item) {
    items.push_back(std::move(item));
    return true;
  });
  EXPECT_EQ(page.datasets, 18);
  ASSERT_EQ(items.size(), 18u);
  std::size_t distributions = 0;
  std::set<std::string> ids;
  for (const auto& item : items) {
    distributions += item.dataset.resources.size();
    ids.insert(item.ref);
    EXPECT_TRUE(item.errors.empty());
    EXPECT_FALSE(item.dataset.title.empty());
  }
  EXPECT_EQ(distributions, 31u);
  EXPECT_EQ(ids.size(), 18u);
  auto it = std::find_if(items.begin(), items.end(),
                         [](const auto& i) { return i.ref == "uni_por:offerta-formativa"; });
  ASSERT_NE(it, items.end());
  const catalog::Dataset& d = it->dataset;
  EXPECT_EQ(d.title, "Offerta formativa");
  EXPECT_EQ(d.license_id, "cc-by");
  EXPECT_EQ(d.frequency, "ANNUAL");
  EXPECT_EQ(d.modified, "2024-12-20");
  EXPECT_EQ(d.url, "https://github.com/unipiemonteorientale/UPOopendata.git/");
  ASSERT_TRUE(it->organization.has_value());
  EXPECT_EQ(it->organization->title, "Università degli Studi del Piemonte Orientale");
  EXPECT_EQ(it->organization->code, "uni_por");
  // DCAT-AP_IT's own properties are kept, not dropped.
  EXPECT_NE(extra(d.extras, "dct:accessRights"), "");
  EXPECT_NE(extra(d.extras, "dct:rightsHolder"), "");
  EXPECT_NE(extra(d.extras, "dcat:theme").find("data-theme/EDUC"), std::string::npos);
  ASSERT_EQ(d.resources.size(), 2u);
  EXPECT_EQ(d.resources[0].format, "CSV");
  for (const auto& item : items) {
    catalog::Dataset copy = item.dataset;
    copy.name = "x-" + std::to_string(&item - &items[0]);
    FieldErrors errors;
    catalog::validate_dataset(copy, errors);
    EXPECT_TRUE(errors.empty()) << item.ref << ": " << errors.begin()->first;
  }
}

TEST(Dcat, ReadsTurtleWithHydraPaging) {
  testing::TempDir dir;
  std::string ttl = R"(
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
<https://data.example/ds/1> a dcat:Dataset ;
  dct:identifier "ds-1" ;
  dct:title "주차장 정보"@ko, "Parking lots"@en ;
  dcat:keyword "주차", "교통" ;
  dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <https://data.example/1.csv> ;
                      dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ] .
<https://data.example/catalog?page=1> a hydra:PagedCollection ;
  hydra:totalItems 3 ; hydra:nextPage <https://data.example/catalog?page=2> .
)";
  RdfGraph g;
  ASSERT_EQ(parse_rdf_file(write(dir, "p.ttl", ttl), RdfSyntax::kTurtle, "https://data.example/", g),
            "");
  std::vector<HarvestItem> items;
  DcatPage page = read_dcat_graph(g, [&](HarvestItem&& i) {
    items.push_back(std::move(i));
    return true;
  });
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].dataset.title, "주차장 정보");
  EXPECT_EQ(extra(items[0].dataset.extras, "dct:title@en"), "Parking lots");
  EXPECT_EQ(items[0].dataset.tags.size(), 2u);
  ASSERT_EQ(items[0].dataset.resources.size(), 1u);
  EXPECT_EQ(items[0].dataset.resources[0].format, "CSV");
  EXPECT_EQ(items[0].dataset.resources[0].mimetype, "text/csv");
  EXPECT_EQ(page.next_page, "https://data.example/catalog?page=2");
  EXPECT_EQ(page.total_items, 3);
}

// Contact points as profiles write them: vCard 4 nodes with vcard:hasValue (DCAT-AP, our own
// output), older vcard:value, or the bare IRI / literal.
TEST(Dcat, ReadsContactEmailAndTelephoneInEveryVcardShape) {
  std::string ttl = R"(
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<https://data.example/ds/1> a dcat:Dataset ; dct:identifier "ds-1" ; dct:title "One" ;
  dcat:contactPoint [ vcard:fn "대기환경과" ;
    vcard:hasEmail [ a vcard:Email ; vcard:hasValue <mailto:air@me.go.kr> ] ;
    vcard:hasTelephone [ a vcard:Voice ; vcard:hasValue <tel:044-201-6911> ] ] .
<https://data.example/ds/2> a dcat:Dataset ; dct:identifier "ds-2" ; dct:title "Two" ;
  dcat:contactPoint [ vcard:hasEmail [ vcard:value "bus@molit.go.kr" ] ;
    vcard:hasTelephone [ vcard:value "tel:042-481-2114" ] ] .
<https://data.example/ds/3> a dcat:Dataset ; dct:identifier "ds-3" ; dct:title "Three" ;
  dcat:contactPoint [ vcard:hasEmail <mailto:road@example.org> ; vcard:hasTelephone "02-120" ] .
)";
  RdfGraph g;
  ASSERT_EQ(parse_rdf_text(ttl, RdfSyntax::kTurtle, "https://data.example/", g), "");
  std::map<std::string, catalog::Dataset> by_id;
  read_dcat_graph(g, [&](HarvestItem&& i) {
    by_id[i.ref] = i.dataset;
    return true;
  });
  ASSERT_EQ(by_id.size(), 3u);
  EXPECT_EQ(by_id["ds-1"].maintainer, "대기환경과");
  EXPECT_EQ(by_id["ds-1"].maintainer_email, "air@me.go.kr");
  EXPECT_EQ(by_id["ds-1"].maintainer_phone, "044-201-6911");
  EXPECT_EQ(by_id["ds-2"].maintainer_email, "bus@molit.go.kr");
  EXPECT_EQ(by_id["ds-2"].maintainer_phone, "042-481-2114");
  EXPECT_EQ(by_id["ds-3"].maintainer_email, "road@example.org");
  EXPECT_EQ(by_id["ds-3"].maintainer_phone, "02-120");
}

// CKAN-style IRIs carry the portal's own names: kept, so a re-published catalog keeps its URLs.
TEST(Dcat, TakesDatasetAndPublisherNamesFromCkanStyleIris) {
  std::string ttl = R"(
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://portal.example/dataset/air-quality> a dcat:Dataset ; dct:identifier "a" ; dct:title "대기" ;
  dct:publisher <https://portal.example/organization/moe> .
<https://portal.example/organization/moe> foaf:name "환경부"@ko .
<https://portal.example/ds/1> a dcat:Dataset ; dct:identifier "b" ; dct:title "버스" ;
  dct:publisher <https://portal.example/organization/molit> .
<https://portal.example/organization/molit> foaf:name "국토교통부"@ko ; dct:identifier "1613000" .
<https://portal.example/dataset/Not%20A%20Name> a dcat:Dataset ; dct:identifier "c" ; dct:title "C" .
)";
  RdfGraph g;
  ASSERT_EQ(parse_rdf_text(ttl, RdfSyntax::kTurtle, "https://portal.example/", g), "");
  std::map<std::string, HarvestItem> by_id;
  read_dcat_graph(g, [&](HarvestItem&& i) {
    std::string ref = i.ref;
    by_id.emplace(ref, std::move(i));
    return true;
  });
  ASSERT_EQ(by_id.size(), 3u);
  EXPECT_EQ(by_id["a"].dataset.name, "air-quality");
  ASSERT_TRUE(by_id["a"].organization.has_value());
  EXPECT_EQ(by_id["a"].organization->name, "moe");
  EXPECT_EQ(by_id["a"].organization->title, "환경부");
  EXPECT_EQ(by_id["b"].dataset.name, "");  // not a /dataset/ IRI: the import stage names it
  ASSERT_TRUE(by_id["b"].organization.has_value());
  EXPECT_EQ(by_id["b"].organization->name, "1613000");  // an agency code wins
  EXPECT_EQ(by_id["c"].dataset.name, "");
}

TEST(Dcat, ReadsJsonLdAsPortalsPublishIt) {
  testing::TempDir dir;
  std::string jsonld = R"({
  "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
               "hydra": "http://www.w3.org/ns/hydra/core#",
               "landing": {"@id": "dcat:landingPage", "@type": "@id"}},
  "@graph": [
    {"@id": "https://portal.example/dataset/air", "@type": "dcat:Dataset",
     "dct:identifier": "air-quality", "dct:title": {"@value": "Air quality", "@language": "en"},
     "dcat:keyword": ["air", "pm10"], "landing": "https://portal.example/air",
     "dct:issued": {"@value": "2023-05-01", "@type": "http://www.w3.org/2001/XMLSchema#date"},
     "dct:publisher": {"@id": "https://portal.example/org/env", "http://xmlns.com/foaf/0.1/name": "Environment Agency"},
     "dcat:distribution": [{"@type": "dcat:Distribution", "dcat:accessURL": {"@id": "https://portal.example/air.json"},
                            "dct:format": "JSON"}],
     "http://example.org/custom#quality": "gold"},
    {"@id": "https://portal.example/catalog.jsonld?page=1", "@type": "hydra:PagedCollection",
     "hydra:nextPage": "https://portal.example/catalog.jsonld?page=2"}
  ]})";
  RdfGraph g;
  ASSERT_EQ(parse_rdf_file(write(dir, "c.jsonld", jsonld), RdfSyntax::kJsonLd,
                           "https://portal.example/catalog.jsonld", g),
            "");
  std::vector<HarvestItem> items;
  DcatPage page = read_dcat_graph(g, [&](HarvestItem&& i) {
    items.push_back(std::move(i));
    return true;
  });
  ASSERT_EQ(items.size(), 1u);
  const auto& d = items[0].dataset;
  EXPECT_EQ(items[0].ref, "air-quality");
  EXPECT_EQ(d.title, "Air quality");
  EXPECT_EQ(d.url, "https://portal.example/air");
  EXPECT_EQ(d.issued, "2023-05-01");
  EXPECT_EQ(d.tags, (std::vector<std::string>{"air", "pm10"}));
  ASSERT_TRUE(items[0].organization.has_value());
  EXPECT_EQ(items[0].organization->title, "Environment Agency");
  ASSERT_EQ(d.resources.size(), 1u);
  EXPECT_EQ(d.resources[0].url, "https://portal.example/air.json");
  EXPECT_EQ(d.resources[0].format, "JSON");
  EXPECT_EQ(extra(d.extras, "http://example.org/custom#quality"), "gold");
  EXPECT_EQ(page.next_page, "https://portal.example/catalog.jsonld?page=2");
}

TEST(Dcat, InvalidRdfIsAnErrorWithItsLine) {
  testing::TempDir dir;
  RdfGraph g;
  std::string xml_error = parse_rdf_file(
      write(dir, "bad.rdf",
            "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
            "<rdf:Description rdf:about=\"x\"><oops></rdf:RDF>"),
      RdfSyntax::kRdfXml, "http://x/", g);
  EXPECT_NE(xml_error, "");
  std::string ttl_error =
      parse_rdf_file(write(dir, "bad.ttl", "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<a> dcat:x \"unterminated ."),
                     RdfSyntax::kTurtle, "http://x/", g);
  EXPECT_NE(ttl_error, "");
  std::string jsonld_error =
      parse_rdf_file(write(dir, "bad.jsonld", "{\"@graph\": [}"), RdfSyntax::kJsonLd, "http://x/", g);
  EXPECT_NE(jsonld_error.find("JSON-LD"), std::string::npos);
}

TEST(Dcat, DetectsTheSyntax) {
  EXPECT_EQ(detect_rdf_syntax("application/rdf+xml; charset=utf-8", ""), RdfSyntax::kRdfXml);
  EXPECT_EQ(detect_rdf_syntax("text/turtle", ""), RdfSyntax::kTurtle);
  EXPECT_EQ(detect_rdf_syntax("application/ld+json", ""), RdfSyntax::kJsonLd);
  EXPECT_EQ(detect_rdf_syntax("", "<?xml version"), RdfSyntax::kRdfXml);
  EXPECT_EQ(detect_rdf_syntax("", "@prefix dcat:"), RdfSyntax::kTurtle);
  EXPECT_EQ(detect_rdf_syntax("application/octet-stream", "  {\"@context\""), RdfSyntax::kJsonLd);
}

}  // namespace
}  // namespace datamap::harvest
