// Text on the way in: every string the catalog stores is valid UTF-8 and NFC (macOS sends Korean
// decomposed, and 주차장 typed there must equal 주차장 typed elsewhere).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace datamap::catalog {

bool is_valid_utf8(std::string_view s);
// NFC normalisation (ICU). Input must be valid UTF-8.
std::string to_nfc(std::string_view s);
// Converts CP949 / EUC-KR bytes to UTF-8 (ICU converter). Throws std::runtime_error on failure.
std::string cp949_to_utf8(std::string_view s);
// Trims ASCII white space and the UTF-8 BOM.
std::string_view trim(std::string_view s);
std::string to_lower_ascii(std::string_view s);
// Percent-encodes every byte outside RFC 3986's unreserved set (A-Z a-z 0-9 - _ . ~), as query
// values and path segments need; UTF-8 is encoded byte by byte.
std::string url_encode(std::string_view s);

// Source text as text. Descriptions arrive from agencies' catalogs as HTML-ish text (data.go.kr
// separates lines with <br/>, others send <p>, &nbsp; and entities); every output shows them as
// plain paragraphs and never as markup. Read with libxml2's HTML parser (recovering, no network):
// <br>, </br> and block elements (p, div, li, tr, h1-h6 …) end a paragraph, other tags are dropped
// with their text kept (script and style with it), entities are decoded, U+00A0 becomes a space,
// runs of white space in a line collapse. A '<' that starts no tag ("a < b") stays text.
// Returns the non-empty paragraphs, trimmed; text with neither '<' nor '&' is only split at
// line breaks.
std::vector<std::string> source_paragraphs(std::string_view s);
// The same paragraphs joined by "\n": what plain-text outputs (DCAT, schema.org, search
// snippets) carry.
std::string source_text(std::string_view s);

}  // namespace datamap::catalog
