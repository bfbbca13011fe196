// source_paragraphs(): agencies' HTML-ish descriptions as plain paragraphs (catalog/text.h).
// The markup is read by libxml2's HTML parser, not by hand: it knows the entities, the
// unclosed and misnested tags real catalogs send, and where a '<' is only a less-than sign.
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <cstring>
#include <memory>
#include <string>

#include "catalog/text.h"

namespace datamap::catalog {
namespace {

// Elements that end a paragraph where they open and where they close.
bool breaks_paragraph(const char* name) {
  static constexpr const char* kBlocks[] = {
      "br", "p",  "div", "li", "ul", "ol", "tr",  "table",      "h1",      "h2",     "h3",
      "h4", "h5", "h6",  "dd", "dt", "hr", "pre", "blockquote", "section", "article"};
  for (const char* b : kBlocks)
    if (std::strcmp(name, b) == 0) return true;
  return false;
}

// Appends `text` to the paragraph being written, collapsing white space (U+00A0 included) and
// starting a new paragraph at each line break.
class ParagraphWriter {
 public:
  void text(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (c == '\n' || c == '\r') {
        end_paragraph();
      } else if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
        space_ = !current_.empty();
      } else if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
        space_ = !current_.empty();
        ++i;
      } else {
        if (space_) current_ += ' ';
        space_ = false;
        current_ += c;
      }
    }
  }
  void end_paragraph() {
    if (!current_.empty()) out_.push_back(std::move(current_));
    current_.clear();
    space_ = false;
  }
  std::vector<std::string> take() {
    end_paragraph();
    return std::move(out_);
  }

 private:
  std::vector<std::string> out_;
  std::string current_;
  bool space_ = false;
};

void walk(xmlNode* node, ParagraphWriter& w) {
  for (xmlNode* n = node; n; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content) w.text(reinterpret_cast<const char*>(n->content));
    } else if (n->type == XML_ELEMENT_NODE) {
      const char* name = reinterpret_cast<const char*>(n->name);
      if (std::strcmp(name, "script") == 0 || std::strcmp(name, "style") == 0) continue;
      const bool block = breaks_paragraph(name);
      if (block) w.end_paragraph();
      walk(n->children, w);
      if (block) w.end_paragraph();
    }
  }
}

// HTML5 reads the end tag </br> as <br> (a parse error browsers forgive, and data.go.kr has
// it); libxml2's HTML 4 parser drops it, so it is spelled as the start tag first.
std::string br_end_tags_as_breaks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '<' && i + 3 < s.size() && s[i + 1] == '/' && (s[i + 2] | 0x20) == 'b' &&
        (s[i + 3] | 0x20) == 'r') {
      std::size_t j = i + 4;
      while (j < s.size() && s[j] == ' ') ++j;
      if (j < s.size() && s[j] == '>') {
        out += "<br>";
        i = j + 1;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

}  // namespace

std::vector<std::string> source_paragraphs(std::string_view s) {
  ParagraphWriter w;
  // libxml2 takes an int length; no description comes near it, but never let one wrap.
  if (s.find_first_of("<&") == std::string_view::npos || s.size() > (1u << 30)) {
    w.text(s);
    return w.take();
  }
  // A wrapper element gives the fragment one root however it starts (text, tags, entities).
  std::string doc = "<html><body><div>";
  doc += br_end_tags_as_breaks(s);
  doc += "</div></body></html>";
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> parsed(
      htmlReadMemory(doc.data(), static_cast<int>(doc.size()), nullptr, "UTF-8",
                     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                         HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED),
      &xmlFreeDoc);
  if (!parsed) {  // libxml2 gave up (it rarely does in recover mode): keep the text as it is
    w.text(s);
    return w.take();
  }
  walk(xmlDocGetRootElement(parsed.get()), w);
  return w.take();
}

std::string source_text(std::string_view s) {
  std::string out;
  for (const auto& p : source_paragraphs(s)) {
    if (!out.empty()) out += '\n';
    out += p;
  }
  return out;
}

}  // namespace datamap::catalog
