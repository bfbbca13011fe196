// Atom 1.0 (RFC 4287) documents for the feeds (api/formats/feed_routes.cpp): what changed in a
// dataset, an organization, a search or the whole catalog, for people who subscribe without an
// account. Every text is escaped and stripped of characters XML 1.0 cannot carry.
#pragma once

#include <string>
#include <vector>

namespace datamap::api::formats {

struct AtomEntry {
  std::string id;  // a URI, e.g. "urn:uuid:..."
  std::string title;
  std::string updated;  // the catalog's ISO 8601 UTC time
  std::string link;     // the page the entry is about
  std::string author;
  std::string summary;  // plain text
};

struct AtomFeed {
  std::string id;  // the feed's own URL
  std::string title;
  std::string subtitle;
  std::string self;       // the feed's URL as requested
  std::string alternate;  // the HTML page it follows
  std::string updated;    // the newest entry's, or now
  std::vector<AtomEntry> entries;
};

std::string atom_xml(const AtomFeed& feed);

// The catalog's ISO 8601 timestamps ("2026-11-22T03:56:06.123456", UTC) as RFC 3339.
std::string rfc3339(const std::string& iso_utc);

}  // namespace datamap::api::formats
