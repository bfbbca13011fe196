// CKAN package dicts -> records: a package_search response ({"success", "result": {"results"}}
// or {"results"}), a JSON array of packages, a single package, or `ckanapi dump` JSON lines.
// The source's id and name are kept when valid (else derived); source_key is the source's id,
// so a re-import or the next harvest finds the same dataset. Fields the model has no home for
// stay in extras (read_package does that); an embedded organization is created on first sight.
#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "catalog/import/format.h"
#include "catalog/import/record.h"

namespace datamap::catalog::importer {

// Readers (format.h) for Format::ckan_json and Format::ckan_jsonl. Throw BadRequest when a JSON
// document (not a line of JSONL) cannot be parsed or has no packages where they should be.
void read_ckan_json(std::string_view text, const ReadContext& ctx, const RecordSink& emit);
void read_ckan_jsonl(std::string_view text, const ReadContext& ctx, const RecordSink& emit);

// One package dict -> record; the CKAN harvester reuses it page by page. `source` defaults to
// "ckan".
Record map_ckan_package(const rapidjson::Value& package, std::string_view source);

}  // namespace datamap::catalog::importer
