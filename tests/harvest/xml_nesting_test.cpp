// The RDF/XML nesting guard (harvest/formats/xml_nesting.h): it counts element nesting as
// libxml2 does, whatever is skipped or split between chunks, refuses what would let libxml2 see
// other markup than the bytes show, and lets real DCAT-AP RDF/XML through to raptor2 unchanged.
#include "harvest/formats/xml_nesting.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "harvest/formats/rdf_graph.h"
#include "tests/support/temp_dir.h"

namespace datamap::harvest {
namespace {

const std::string kFixtures = DATAMAP_FIXTURES;
const std::string kRdfOpen =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
    "xmlns:ex=\"http://ex.org/\">";

std::string nested(std::size_t levels, const std::string& inner = "") {
  std::string s;
  for (std::size_t i = 0; i < levels; ++i) s += "<a>";
  s += inner;
  for (std::size_t i = 0; i < levels; ++i) s += "</a>";
  return s;
}

// The guard's answer when fed one byte at a time must equal its answer on the whole text.
std::optional<XmlNestingError> byte_by_byte(std::string_view text, std::size_t max_depth) {
  XmlNestingGuard guard(max_depth);
  std::optional<XmlNestingError> last;
  for (char c : text) last = guard.feed(std::string_view(&c, 1));
  return last;
}

std::string reason(const std::optional<XmlNestingError>& e) {
  return e ? e->message() : "";
}

TEST(XmlNesting, RefusesTheFirstTagDeeperThanTheLimitAtItsOffset) {
  EXPECT_EQ(check_xml_nesting(nested(4), 4), std::nullopt);
  auto e = check_xml_nesting(nested(5), 4);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->offset, 12u);  // the fifth "<a>"
  EXPECT_EQ(e->message(), "XML elements nested deeper than 4 levels at byte 12");
  EXPECT_EQ(check_xml_nesting(nested(200'000)).value().message(),
            "XML elements nested deeper than 128 levels at byte 384");
}

TEST(XmlNesting, SiblingsAndEmptyElementsDoNotAddUp) {
  std::string doc = "<r>" + std::string("<a/><b x=\"1\"/><c></c>") + nested(2, "<e />") + "</r>";
  XmlNestingGuard guard(4);
  EXPECT_EQ(guard.feed(doc), std::nullopt);
  EXPECT_EQ(guard.deepest(), 4u);
}

TEST(XmlNesting, MarkupInsideCommentsCdataPisAndAttributeValuesIsNotCounted) {
  const std::string doc =
      "<?xml version='1.0'?><!-- <a><a><a> - -- --><r>"
      "<![CDATA[<a><a><a> ]] ]]]>"
      "<?pi <a><a> ?  ?>"
      "<e title=\"<not allowed> but quoted '&gt;' /> >\" other='\"<a>\"'>x > y</e>"
      "<!-- --><e/></r>";
  // '<' in an attribute value is counted (libxml2 refuses it anyway): only the last one here.
  std::string clean = doc;
  clean.replace(clean.find("<not allowed>"), 13, "not allowed");
  clean.replace(clean.find("\"<a>\""), 5, "\"a\"");
  XmlNestingGuard guard(2);
  EXPECT_EQ(guard.feed(clean), std::nullopt) << reason(guard.feed(""));
  EXPECT_EQ(guard.deepest(), 2u);
  EXPECT_NE(check_xml_nesting(doc, 2), std::nullopt);  // counted high, never low
}

TEST(XmlNesting, AnyChunkingGivesTheSameAnswer) {
  const std::vector<std::string> docs = {
      nested(10),
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e \"v\"><!-- ] ' -->]><r>" + nested(7) + "</r>",
      "<r><![CDATA[" + nested(20) + "]]><!--" + nested(20) + "-->" + nested(8) + "</r>",
      "<r a='" + std::string(100, '>') + "'>" + nested(9) + "</r>",
  };
  for (const auto& doc : docs) {
    for (std::size_t limit : {8u, 9u, 10u}) {
      EXPECT_EQ(reason(byte_by_byte(doc, limit)), reason(check_xml_nesting(doc, limit)))
          << doc << " limit " << limit;
    }
  }
}

TEST(XmlNesting, RefusesEncodingsInWhichTheBytesAreNotTheMarkup) {
  // UTF-16 (with or without a BOM), UTF-32 and EBCDIC documents: libxml2 decodes them, the
  // byte scan would not see their tags.
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("<r>")) utf16 += std::string{c, '\0'};
  EXPECT_NE(reason(check_xml_nesting(utf16)).find("no '<' first"), std::string::npos);
  auto nul = check_xml_nesting(std::string("<\0r\0>\0", 6));
  ASSERT_TRUE(nul);
  EXPECT_EQ(nul->offset, 1u);
  EXPECT_NE(nul->reason.find("NUL byte"), std::string::npos);
  EXPECT_NE(reason(check_xml_nesting("\x4C\x6F\xA7\x94")).find("no '<' first"), std::string::npos);
  auto declared = check_xml_nesting("<?xml version=\"1.0\" encoding=\"IBM037\"?><r/>");
  EXPECT_EQ(reason(declared),
            "XML encoding \"IBM037\" is not accepted (UTF-8 or another ASCII-compatible one only) "
            "at byte 0");
  EXPECT_NE(check_xml_nesting("<?xml version='1.0' encoding='Shift_JIS'?><r/>"), std::nullopt);
  // The encoding libxml2 reads, not a word inside another value; a malformed declaration is
  // refused rather than guessed at.
  EXPECT_NE(check_xml_nesting("<?xml version='1.0 encoding=\"UTF-8\"' encoding='IBM037'?><r/>"),
            std::nullopt);
  EXPECT_NE(check_xml_nesting("<?xml version=\"1.0encoding\" encoding=\"IBM037\"?><r/>"),
            std::nullopt);
  EXPECT_EQ(reason(check_xml_nesting("<?xml version='1.0' encoding=?><r/>")),
            "malformed XML declaration at byte 0");
  // ASCII-compatible encodings, a UTF-8 BOM and leading white space are fine.
  for (std::string enc : {"UTF-8", "utf-8", "ISO-8859-1", "EUC-KR", "windows-1252", "US-ASCII"}) {
    EXPECT_EQ(check_xml_nesting("<?xml version='1.0' encoding='" + enc + "'?><r/>"), std::nullopt)
        << enc;
  }
  EXPECT_EQ(check_xml_nesting("\xEF\xBB\xBF\n <r/>"), std::nullopt);
  EXPECT_EQ(check_xml_nesting("<?xml-stylesheet encoding='IBM037'?><r/>"), std::nullopt);
}

TEST(XmlNesting, RefusesEntitiesWhoseTextIsMarkupButKeepsNamespaceEntities) {
  // libxml2 expands an internal entity's markup where it is referenced, and entities nest:
  // elements the scan would not see.
  auto markup = check_xml_nesting("<!DOCTYPE r [<!ENTITY e \"<a><a></a></a>\">]><r>&e;</r>");
  EXPECT_NE(reason(markup).find("markup in a DTD literal"), std::string::npos);
  auto char_ref = check_xml_nesting("<!DOCTYPE r [<!ENTITY e '&#60;a>x&#60;/a>'>]><r>&e;</r>");
  EXPECT_NE(reason(char_ref).find("character reference in a DTD literal"), std::string::npos);
  auto parameter =
      check_xml_nesting("<!DOCTYPE r [<!ENTITY % p \"<!ENTITY e 'x'>\"> %p;]><r>&e;</r>");
  EXPECT_NE(parameter, std::nullopt);

  // The common RDF/XML use: entities for namespace IRIs.
  const std::string doc =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE rdf:RDF [\n"
      "  <!ENTITY dct \"http://purl.org/dc/terms/\"> <!-- a ']' and a \" in a comment -->\n"
      "  <!ENTITY rdf 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
      "]>\n"
      "<rdf:RDF xmlns:rdf=\"&rdf;\" xmlns:dct=\"&dct;\">"
      "<rdf:Description rdf:about=\"http://ex.org/d\"><dct:title>T</dct:title></rdf:Description>"
      "</rdf:RDF>";
  EXPECT_EQ(check_xml_nesting(doc), std::nullopt);
  RdfGraph g;
  ASSERT_EQ(parse_rdf_text(doc, RdfSyntax::kRdfXml, "http://ex.org/", g), "");
  EXPECT_EQ(g.triples(), 1u);
}

TEST(XmlNesting, RealDcatApRdfXmlNestsShallowlyAndIsAccepted) {
  std::ifstream in(kFixtures + "/upo-catalog.dcat-ap-it.rdf", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(text.empty());
  XmlNestingGuard guard;
  EXPECT_EQ(guard.feed(text), std::nullopt) << reason(guard.feed(""));
  EXPECT_GT(guard.deepest(), 3u);
  EXPECT_LT(guard.deepest(), 16u) << "far from the limit of " << kMaxXmlDepth;
}

TEST(XmlNesting, TheRdfReadersRefuseDeepRdfXmlQuicklyFromTextAndFromFiles) {
  // A 4.6 MB document nested 200,000 levels deep: raptor2 alone did not end in minutes.
  std::string deep = kRdfOpen;
  for (int i = 0; i < 200'000; ++i) deep += "<rdf:Description><ex:p>";
  auto start = std::chrono::steady_clock::now();
  RdfGraph g;
  std::string from_text = parse_rdf_text(deep, RdfSyntax::kRdfXml, "http://ex.org/", g);
  EXPECT_NE(from_text.find("XML elements nested deeper than 128 levels at byte "),
            std::string::npos)
      << from_text;

  // The refusal may come in a later chunk of a file: the offset counts from the file's start.
  testing::TempDir dir;
  std::string padded =
      kRdfOpen + "<!--" + std::string(100'000, ' ') + "-->" + deep.substr(kRdfOpen.size());
  { std::ofstream(dir.file("deep.rdf"), std::ios::binary) << padded; }
  RdfGraph g2;
  std::string from_file =
      parse_rdf_file(dir.file("deep.rdf"), RdfSyntax::kRdfXml, "http://ex.org/", g2);
  auto expected = check_xml_nesting(padded);
  ASSERT_TRUE(expected);
  EXPECT_GT(expected->offset, 100'000u);
  EXPECT_EQ(from_file, expected->message());
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);

  // At the limit raptor2 still reads the document (and quickly).
  std::string at_limit = kRdfOpen;  // rdf:RDF is level 1, the innermost node level 128
  for (int i = 0; i < 63; ++i) at_limit += "<rdf:Description><ex:p>";
  at_limit += "<rdf:Description/>";
  EXPECT_EQ(check_xml_nesting(at_limit), std::nullopt);
  for (int i = 0; i < 63; ++i) at_limit += "</ex:p></rdf:Description>";
  at_limit += "</rdf:RDF>";
  RdfGraph g3;
  EXPECT_EQ(parse_rdf_text(at_limit, RdfSyntax::kRdfXml, "http://ex.org/", g3), "");
  EXPECT_EQ(g3.triples(), 63u);
}

}  // namespace
}  // namespace datamap::harvest
