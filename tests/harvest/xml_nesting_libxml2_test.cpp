// The nesting guard against the parser it protects: for random XML-ish documents (tags,
// comments, CDATA, PIs, quoted '>' and "/>", DTDs with entities, stray markup characters), any
// document the guard accepts never reaches libxml2's SAX start-element handler deeper than the
// limit — entities substituted, as raptor2 has them. The guard may count higher, never lower.
#include <gtest/gtest.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>

#include <random>
#include <string>

#include "harvest/formats/xml_nesting.h"

namespace datamap::harvest {
namespace {

struct Depth {
  long now = 0;
  long deepest = 0;
};

Depth& depth_of(void* ctx) {
  return *static_cast<Depth*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
}

void on_start(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*, int, const xmlChar**, int,
              int, const xmlChar**) {
  Depth& d = depth_of(ctx);
  if (++d.now > d.deepest) d.deepest = d.now;
}
void on_end(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  --depth_of(ctx).now;
}
void quiet(void*, const char*, ...) {}

// The deepest element libxml2 reports for `text`, pushed in small chunks as raptor2 does.
long libxml2_depth(const std::string& text) {
  xmlSAXHandler sax{};
  sax.initialized = XML_SAX2_MAGIC;
  sax.startDocument = xmlSAX2StartDocument;  // a document for the entity declarations
  sax.internalSubset = xmlSAX2InternalSubset;
  sax.entityDecl = xmlSAX2EntityDecl;
  sax.getEntity = xmlSAX2GetEntity;
  sax.startElementNs = on_start;
  sax.endElementNs = on_end;
  sax.warning = quiet;
  sax.error = quiet;
  sax.fatalError = quiet;
  Depth depth;
  xmlParserCtxtPtr ctx = xmlCreatePushParserCtxt(&sax, nullptr, nullptr, 0, nullptr);
  ctx->_private = &depth;
  xmlCtxtUseOptions(ctx, XML_PARSE_HUGE | XML_PARSE_NOENT | XML_PARSE_NONET);
  for (std::size_t i = 0; i < text.size(); i += 7)
    xmlParseChunk(ctx, text.data() + i, static_cast<int>(std::min<std::size_t>(7, text.size() - i)),
                  0);
  xmlParseChunk(ctx, nullptr, 0, 1);
  if (ctx->myDoc) xmlFreeDoc(ctx->myDoc);
  xmlFreeParserCtxt(ctx);
  return depth.deepest;
}

TEST(XmlNestingAgainstLibxml2, TheHarnessSeesWhatLibxml2Nests) {
  xmlSetGenericErrorFunc(nullptr, quiet);
  EXPECT_EQ(libxml2_depth("<?xml version='1.0'?><r><a><![CDATA[<a>]]><b x='>'/></a></r>"), 3);
  // Entities holding markup nest elements (the guard refuses them for that).
  EXPECT_EQ(libxml2_depth("<!DOCTYPE r [<!ENTITY e '<a><a><a></a></a></a>'>]><r>&e;</r>"), 4);
  EXPECT_EQ(libxml2_depth("<!DOCTYPE r [<!ENTITY e '&#60;a>&#60;/a>'>]><r>&e;</r>"), 2);
}

TEST(XmlNestingAgainstLibxml2, AcceptedDocumentsNeverNestDeeperInLibxml2) {
  xmlSetGenericErrorFunc(nullptr, quiet);
  static const char* const kHeads[] = {
      "",
      "<?xml version='1.0'?>",
      "<?xml version='1.0' encoding='UTF-8'?>",
      "<!DOCTYPE r [<!ENTITY e 'x'><!ENTITY f \"y\">]>",
      "<!DOCTYPE r [<!ENTITY e '<a><a><a></a></a></a>'>]>",
      "<!DOCTYPE r [<!ENTITY e '&#60;a>&#60;a>&#60;/a>&#60;/a>'><!ENTITY f '&e;&e;'>]>",
      "<!DOCTYPE r [<!-- ']' \" --><?p ] ?><!ENTITY e \"z\"><!ATTLIST a x CDATA '>'>]>",
  };
  static const char* const kTokens[] = {
      "<a>",
      "</a>",
      "<b x='1>'>",
      "</b>",
      "<c/>",
      "<d y=\"/>\"/>",
      "<!-- <a> -->",
      "<![CDATA[<a>]]>",
      "<?p <a> ?>",
      "text",
      ">",
      "<",
      "&e;",
      "&f;",
      "]]>",
      "-->",
      "?>",
      "'",
      "\"",
      "<!",
      "<!--",
      "<![CDATA[",
      "<?",
      "/",
      "=",
      " ",
      "&#60;",
      "&lt;a>",
      "<a/",
      "</",
  };
  constexpr std::size_t kLimit = 4;
  std::mt19937 rng(12);
  int accepted = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string doc = kHeads[rng() % std::size(kHeads)];
    doc += "<r>";
    for (int n = static_cast<int>(rng() % 24); n > 0; --n)
      doc += kTokens[rng() % std::size(kTokens)];
    if (rng() % 2) doc += "</a></a></a></a></a>";
    doc += "</r>";
    if (check_xml_nesting(doc, kLimit)) continue;
    ++accepted;
    ASSERT_LE(libxml2_depth(doc), static_cast<long>(kLimit)) << doc;
  }
  EXPECT_GT(accepted, 10'000);  // the property was tested, not skipped
}

}  // namespace
}  // namespace datamap::harvest
