#include "api/formats/atom_feed.h"

#include "api/formats/datago.h"

namespace datamap::api::formats {
namespace {

std::string attribute(const std::string& s) {
  std::string out;
  for (char c : xml_text(s)) {
    if (c == '"')
      out += "&quot;";
    else
      out.push_back(c);
  }
  return out;
}

void element(std::string& out, const char* name, const std::string& text) {
  out += "<";
  out += name;
  out += ">";
  out += xml_text(text);
  out += "</";
  out += name;
  out += ">\n";
}

void link(std::string& out, const char* rel, const std::string& href) {
  if (href.empty()) return;
  out += "<link rel=\"";
  out += rel;
  out += "\" href=\"" + attribute(href) + "\"/>\n";
}

}  // namespace

std::string rfc3339(const std::string& iso_utc) {
  if (iso_utc.empty()) return "1970-01-01T00:00:00Z";
  const char last = iso_utc.back();
  bool zoned = last == 'Z' || last == 'z' || iso_utc.find('+', 10) != std::string::npos;
  return zoned ? iso_utc : iso_utc + "Z";
}

std::string atom_xml(const AtomFeed& feed) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ko\">\n";
  element(out, "id", feed.id);
  element(out, "title", feed.title);
  if (!feed.subtitle.empty()) element(out, "subtitle", feed.subtitle);
  element(out, "updated", rfc3339(feed.updated));
  out += "<author><name>datamap</name></author>\n";
  link(out, "self", feed.self);
  link(out, "alternate", feed.alternate);
  for (const auto& e : feed.entries) {
    out += "<entry>\n";
    element(out, "id", e.id);
    element(out, "title", e.title);
    element(out, "updated", rfc3339(e.updated));
    link(out, "alternate", e.link);
    if (!e.author.empty()) {
      out += "<author>";
      element(out, "name", e.author);
      out += "</author>\n";
    }
    if (!e.summary.empty()) element(out, "summary", e.summary);
    out += "</entry>\n";
  }
  out += "</feed>\n";
  return out;
}

}  // namespace datamap::api::formats
