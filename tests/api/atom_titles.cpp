#include "tests/api/atom_titles.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>

namespace datamap::testing {
namespace {

struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

}  // namespace

std::vector<std::string> atom_titles(const std::string& xml) {
  std::unique_ptr<xmlDoc, XmlDocFree> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.atom", "utf-8",
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  EXPECT_TRUE(doc) << "not well-formed XML:\n" << xml;
  std::vector<std::string> titles;
  if (!doc) return titles;
  xmlNode* root = xmlDocGetRootElement(doc.get());
  EXPECT_STREQ(reinterpret_cast<const char*>(root->name), "feed");
  EXPECT_TRUE(root->ns && xmlStrEqual(root->ns->href, BAD_CAST "http://www.w3.org/2005/Atom"));
  int ids = 0, updated = 0;
  for (xmlNode* n = root->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    ids += xmlStrEqual(n->name, BAD_CAST "id");
    updated += xmlStrEqual(n->name, BAD_CAST "updated");
    if (!xmlStrEqual(n->name, BAD_CAST "entry")) continue;
    for (xmlNode* c = n->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "title")) {
        xmlChar* text = xmlNodeGetContent(c);
        titles.emplace_back(reinterpret_cast<const char*>(text));
        xmlFree(text);
      }
  }
  EXPECT_EQ(ids, 1) << "an Atom feed has one id";
  EXPECT_EQ(updated, 1) << "an Atom feed has one updated";
  return titles;
}

}  // namespace datamap::testing
