#include "datastore/loader/format.h"

#include <algorithm>
#include <cstring>

#include "catalog/text.h"
#include "datastore/loader.h"

namespace datamap::datastore::loader {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}

// Formats we cannot load but can name, so the error says what the file really is.
const char* known_binary(std::string_view h) {
  struct Magic {
    std::string_view bytes;
    const char* what;
  };
  static const Magic magics[] = {
      {"\x89PNG\r\n\x1a\n", "a PNG image"},
      {"\xFF\xD8\xFF", "a JPEG image"},
      {"GIF87a", "a GIF image"},
      {"GIF89a", "a GIF image"},
      {"%PDF-", "a PDF document"},
      {"\x1F\x8B", "a gzip file"},
      {"BZh", "a bzip2 file"},
      {"\xFD"
       "7zXZ",
       "an xz file"},
      {"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
      {"Rar!", "a RAR archive"},
      {"\x7F"
       "ELF",
       "an executable"},
      {"MZ", "a Windows executable"},
      {"SQLite format 3", "an SQLite database"},
      {"<?xml", "an XML document"},
      {"<!DOCTYPE", "an HTML page"},
      {"<html", "an HTML page"},
      {"<HTML", "an HTML page"},
  };
  for (const auto& m : magics)
    if (starts_with(h, m.bytes)) return m.what;
  return nullptr;
}

std::string_view skip_bom_and_space(std::string_view h) {
  if (starts_with(h, "\xEF\xBB\xBF")) h.remove_prefix(3);
  while (!h.empty() && (h[0] == ' ' || h[0] == '\t' || h[0] == '\r' || h[0] == '\n'))
    h.remove_prefix(1);
  return h;
}

bool is_utf16(std::string_view h) {
  return starts_with(h, "\xFF\xFE") || starts_with(h, "\xFE\xFF");
}

}  // namespace

const char* format_name(Format f) {
  switch (f) {
    case Format::csv:
      return "CSV";
    case Format::tsv:
      return "TSV";
    case Format::xlsx:
      return "XLSX";
    case Format::xls:
      return "XLS";
    case Format::json:
      return "JSON";
    case Format::zip:
      return "ZIP";
  }
  return "";
}

std::string normalise_hint(std::string_view hint) {
  std::string h = catalog::to_lower_ascii(catalog::trim(hint));
  if (auto slash = h.rfind('/'); slash != std::string::npos) h = h.substr(slash + 1);  // MIME
  if (auto dot = h.rfind('.'); dot != std::string::npos) h = h.substr(dot + 1);        // name
  if (h == "csv" || h == "txt" || h == "plain") return "CSV";
  if (h == "tsv" || h == "tab-separated-values") return "TSV";
  if (h == "xlsx" || h == "vnd.openxmlformats-officedocument.spreadsheetml.sheet") return "XLSX";
  if (h == "xls" || h == "vnd.ms-excel") return "XLS";
  if (h == "json") return "JSON";
  if (h == "zip" || h == "x-zip-compressed") return "ZIP";
  return "";
}

Format sniff_format(std::string_view head, std::string_view hint_raw, bool is_xlsx_package) {
  std::string hint = normalise_hint(hint_raw);
  auto claims = [&](const std::string& what) {
    return hint.empty() ? what : "the file claims to be " + hint + " but is " + what;
  };
  if (head.empty()) throw LoadError("the file is empty");
  if (starts_with(head, "PK\x03\x04") || starts_with(head, "PK\x05\x06"))
    return is_xlsx_package ? Format::xlsx : Format::zip;
  if (starts_with(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return Format::xls;  // OLE2
  if (const char* what = known_binary(head))
    throw LoadError(claims(what) + "; a tabular file (CSV, TSV, XLSX, XLS, JSON, zip) is needed");
  if (is_utf16(head)) return hint == "TSV" ? Format::tsv : Format::csv;
  // Text from here on: NUL bytes mean a binary file (UTF-16 without a BOM is not supported).
  if (std::find(head.begin(), head.end(), '\0') != head.end())
    throw LoadError(claims("a binary file (it contains NUL bytes)") +
                    "; a tabular file (CSV, TSV, XLSX, XLS, JSON, zip) is needed");
  std::string_view text = skip_bom_and_space(head);
  if (!text.empty() && text[0] == '{')
    throw LoadError(claims("a JSON object") + "; JSON data must be an array of objects", 1, 1);
  if (!text.empty() && text[0] == '[') {
    std::string_view rest = skip_bom_and_space(text.substr(1));
    if (rest.empty() || rest[0] == '{' || rest[0] == ']' || hint == "JSON") return Format::json;
  }
  if (hint == "JSON")
    throw LoadError("the file claims to be JSON but does not start with '[' (an array of objects)",
                    1, 1);
  return hint == "TSV" ? Format::tsv : Format::csv;
}

}  // namespace datamap::datastore::loader
