// DCAT-AP output of the serialisers, read back the way a consumer would (raptor2's parsers), and
// validated by the official DCAT-AP 3.0.1 SHACL shapes through the npm validators.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "api/formats/dcat.h"
#include "api/formats/rdf_serialize.h"
#include "tests/formats/rdf_triples.h"
#include "tests/formats/sample_catalog.h"
#include "tests/formats/node_tool.h"
#include "tests/support/temp_dir.h"

namespace datamap::testing {
namespace {

using namespace api::formats;

std::set<std::string> dataset_triples(const catalog::Dataset& d) {
  RdfDoc doc;
  add_dcat_dataset(doc, d, sample_lookup(), sample_site());
  return parse_triples(serialize_rdf(doc, RdfSyntax::kTurtle), "turtle");
}

bool has(const std::set<std::string>& triples, const std::string& triple) {
  return triples.count(triple) > 0;
}

constexpr const char* kAir = "<http://127.0.0.1:8080/dataset/air-quality-daily>";

TEST(DcatDataset, MandatoryAndRecommendedPropertiesCarryTheRecord) {
  auto t = dataset_triples(sample_datasets()[0]);
  EXPECT_TRUE(has(t, std::string(kAir) + " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>"));
  EXPECT_TRUE(has(t, std::string(kAir) + " <http://purl.org/dc/terms/title> \"환경부_대기오염 측정 정보\"@ko"));
  EXPECT_TRUE(has(t, std::string(kAir) + " <http://purl.org/dc/terms/title> \"Air pollution measurements\"@en"));
  EXPECT_TRUE(has(t, std::string(kAir) + " <http://www.w3.org/ns/dcat#keyword> \"미세먼지\"@ko"));
  EXPECT_TRUE(has(t, std::string(kAir) + " <http://www.w3.org/ns/dcat#keyword> \"PM2.5\"@en"));
  EXPECT_TRUE(has(t, std::string(kAir) + " <http://purl.org/dc/terms/publisher> <http://127.0.0.1:8080/organization/moe>"));
  EXPECT_TRUE(has(t, "<http://127.0.0.1:8080/organization/moe> <http://xmlns.com/foaf/0.1/name> \"환경부\"@ko"));
  EXPECT_TRUE(has(t, std::string(kAir) + " <http://purl.org/dc/terms/accrualPeriodicity> <http://publications.europa.eu/resource/authority/frequency/DAILY>"));
  EXPECT_TRUE(has(t, std::string(kAir) + " <http://www.w3.org/ns/dcat#theme> <http://publications.europa.eu/resource/authority/data-theme/ENVI>"));
  EXPECT_TRUE(has(t, std::string(kAir) + " <http://purl.org/dc/terms/license> <https://www.kogl.or.kr/info/licenseType1.do>"));
  EXPECT_TRUE(has(t, std::string(kAir) + " <http://purl.org/dc/terms/issued> \"2019-03-02\"^^<http://www.w3.org/2001/XMLSchema#date>"));
  EXPECT_TRUE(has(t, "<http://127.0.0.1:8080/dataset/air-quality-daily#contact> <http://www.w3.org/2006/vcard/ns#hasEmail> <mailto:air@me.go.kr>"));
  const std::string csv = "<http://127.0.0.1:8080/dataset/air-quality-daily/resource/res-air-csv>";
  EXPECT_TRUE(has(t, csv + " <http://purl.org/dc/terms/format> <http://publications.europa.eu/resource/authority/file-type/CSV>"));
  EXPECT_TRUE(has(t, csv + " <http://www.w3.org/ns/dcat#mediaType> <https://www.iana.org/assignments/media-types/text/csv>"));
  EXPECT_TRUE(has(t, csv + " <http://www.w3.org/ns/dcat#byteSize> \"1048576\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>"));
}

TEST(DcatDataset, GapsDcatApRequiresAreFilledHonestly) {
  auto bus = dataset_triples(sample_datasets()[1]);
  const std::string s = "<http://127.0.0.1:8080/dataset/bus-arrival-api>";
  // No notes: the title is the description. Real time maps to "continuously updated".
  EXPECT_TRUE(has(bus, s + " <http://purl.org/dc/terms/description> \"국토교통부_버스도착정보 조회 서비스\"@ko"));
  EXPECT_TRUE(has(bus, s + " <http://purl.org/dc/terms/accrualPeriodicity> <http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT>"));
  // An API endpoint is an access URL, not a download.
  const std::string api = "<http://127.0.0.1:8080/dataset/bus-arrival-api/resource/res-bus-api>";
  EXPECT_TRUE(has(bus, api + " <http://www.w3.org/ns/dcat#accessURL> <https://apis.data.go.kr/1613000/BusArrival>"));
  for (const auto& triple : bus) EXPECT_EQ(triple.find("downloadURL"), std::string::npos) << triple;

  auto roads = dataset_triples(sample_datasets()[2]);
  const std::string xlsx = "<http://127.0.0.1:8080/dataset/road-traffic-volume/resource/res-roads-xlsx>";
  EXPECT_TRUE(has(roads, xlsx + " <http://www.w3.org/ns/dcat#accessURL> <http://127.0.0.1:8080/dataset/road-traffic-volume>"));
  EXPECT_TRUE(has(roads, "<http://127.0.0.1:8080/dataset/road-traffic-volume> <http://purl.org/dc/terms/title> \"Road traffic volume\"@en"));
  EXPECT_TRUE(has(roads, "<http://127.0.0.1:8080/dataset/road-traffic-volume> <http://purl.org/dc/terms/accrualPeriodicity> <http://publications.europa.eu/resource/authority/frequency/ANNUAL>"));
}

TEST(DcatDataset, HostileTextStaysInsideItsLiteral) {
  catalog::Dataset d = sample_datasets()[0];
  d.title = "\"\"\" ; <x> a <y> . # \\ \n 끝";
  d.tags = {"</rdf:RDF>", "]]>"};
  d.url = "https://example.org/a b>";  // not an IRI: the dataset page is the landing page instead
  RdfDoc doc;
  add_dcat_dataset(doc, d, sample_lookup(), sample_site());
  for (auto syntax : {"turtle", "rdfxml"}) {
    auto t = parse_triples(serialize_rdf(doc, std::string(syntax) == "turtle" ? RdfSyntax::kTurtle
                                                                             : RdfSyntax::kRdfXml),
                           syntax);
    EXPECT_EQ(t.size(), doc.triples().size()) << syntax;
    EXPECT_TRUE(has(t, std::string(kAir) + " <http://www.w3.org/ns/dcat#keyword> \"</rdf:RDF>\"@en")) << syntax;
    EXPECT_TRUE(has(t, std::string(kAir) + " <http://www.w3.org/ns/dcat#landingPage> " + kAir)) << syntax;
  }
}

TEST(DcatCatalog, HydraPagingNamesTheOtherPages) {
  HydraPage page;
  page.this_page = "http://127.0.0.1:8080/catalog.ttl?page=2";
  page.first = "http://127.0.0.1:8080/catalog.ttl?page=1";
  page.last = "http://127.0.0.1:8080/catalog.ttl?page=3";
  page.next = "http://127.0.0.1:8080/catalog.ttl?page=3";
  page.previous = page.first;
  page.total_items = 7;
  page.items_per_page = 3;
  RdfDoc doc;
  add_dcat_catalog(doc, sample_datasets(), sample_lookup(), sample_site(), &page);
  auto t = parse_triples(serialize_rdf(doc, RdfSyntax::kTurtle), "turtle");
  const std::string p = "<http://127.0.0.1:8080/catalog.ttl?page=2>";
  EXPECT_TRUE(has(t, p + " <http://www.w3.org/ns/hydra/core#nextPage> <http://127.0.0.1:8080/catalog.ttl?page=3>"));
  EXPECT_TRUE(has(t, p + " <http://www.w3.org/ns/hydra/core#totalItems> \"7\"^^<http://www.w3.org/2001/XMLSchema#integer>"));
  EXPECT_TRUE(has(t, "<http://127.0.0.1:8080/catalog> <http://www.w3.org/ns/dcat#dataset> " + std::string(kAir)));
}

// The official shapes, run by rdf-validate-shacl; the three syntaxes must be one graph.
TEST(DcatShacl, CatalogAndDatasetsConformToDcatAp3InEverySyntax) {
  TempDir dir;
  std::vector<std::string> files;
  auto write = [&](const RdfDoc& doc, const std::string& stem) {
    for (auto syntax : {RdfSyntax::kTurtle, RdfSyntax::kRdfXml, RdfSyntax::kJsonLd}) {
      std::string path = dir.file(stem + "." + rdf_extension(syntax));
      std::ofstream(path) << serialize_rdf(doc, syntax);
      files.push_back(path);
    }
  };
  RdfDoc catalog;
  add_dcat_catalog(catalog, sample_datasets(), sample_lookup(), sample_site(), nullptr);
  write(catalog, "catalog");
  for (const auto& d : sample_datasets()) {
    RdfDoc doc;
    add_dcat_dataset(doc, d, sample_lookup(), sample_site());
    write(doc, d.name);
  }
  std::vector<std::string> args = {std::string(DATAMAP_FIXTURES) + "/dcat-ap-shacl"};
  args.insert(args.end(), files.begin(), files.end());
  auto result = run_node_script("tests/formats/validate_dcat.mjs", args);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("0 violations"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace datamap::testing
