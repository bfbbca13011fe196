// Which kind of catalog file a text is, decided from its content (never its file name), and the
// table of readers that turn each kind into records. The importer registers the data.go.kr CSV
// and CKAN readers itself; harvest/ adds DCAT-US data.json and DCAT RDF readers at start-up with
// register_reader(), and from then on `datamap import` accepts those files too.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "catalog/import/record.h"

namespace datamap::catalog::importer {

enum class Format {
  unknown,
  datago_csv,  // data.go.kr list CSV (any column layout)
  ckan_json,   // package_search response, {"results": [...]}, an array of packages, or one package
  ckan_jsonl,  // `ckanapi dump`: one package dict per line
  datajson,    // DCAT-US / Project Open Data data.json
  rdf_xml,     // DCAT in RDF/XML
  turtle,      // DCAT in Turtle
  jsonld,      // DCAT in JSON-LD
};

const char* format_name(Format f);

// `text` is UTF-8 (BOM removed). Looks at the first bytes and, for JSON, the top-level shape.
Format detect_format(std::string_view text);

// What a reader gets besides the text.
struct ReadContext {
  std::string source;  // provenance label for Dataset::source, "" = the reader's default
  // The text was converted from CP949: a U+FFFD in it marks bytes that could not be decoded,
  // and the record holding it is rejected rather than stored with damaged text.
  bool decoded_from_cp949 = false;
};

// A reader calls `emit` once per record, in input order, and never touches the store. Problems
// with one record go in that record's `errors`; a reader throws BadRequest only when the whole
// input is unusable (not JSON at all, no 목록키 column, ...).
using RecordSink = std::function<void(Record&&)>;
using Reader = std::function<void(std::string_view text, const ReadContext&, const RecordSink&)>;

// Thread-safe. A later registration for the same format replaces the earlier one.
void register_reader(Format f, Reader reader);
// The reader for `f`; an empty function when none is registered.
Reader find_reader(Format f);

}  // namespace datamap::catalog::importer
