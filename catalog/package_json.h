// The CKAN package dict <-> Dataset. This is the one place that knows CKAN's JSON field names,
// shared by the API, the CKAN importer, the harvesters and the search index's stored documents.
#pragma once

#include <rapidjson/document.h>

#include <string>

#include "catalog/errors.h"
#include "catalog/model.h"

namespace datamap::catalog {

// Writes the package dict CKAN's package_show returns. `organization` (may be null) is embedded
// as CKAN does; groups become [{"name"}] (the API adds titles it knows).
void write_package(const Dataset& d, const Organization* organization,
                   rapidjson::Value& out, rapidjson::Document::AllocatorType& alloc);
std::string package_to_json(const Dataset& d, const Organization* organization = nullptr);

// Reads a package dict. Accepts CKAN's shapes: tags as [{"name"}] or ["x"], groups as
// [{"name"}] or ["x"], extras as [{"key","value"}] or {"k":"v"}, organization as an object or
// owner_org as a string. A member of the wrong JSON type adds a message to `errors` under its
// field name and is skipped; unknown top-level members go to extras, so nothing is dropped.
// Strings are NFC-normalised on the way in.
Dataset read_package(const rapidjson::Value& in, FieldErrors& errors);

// The organization a package dict names, if it embeds one ({"organization": {...}}).
bool read_embedded_organization(const rapidjson::Value& in, Organization& out);

void write_resource(const Resource& r, rapidjson::Value& out,
                    rapidjson::Document::AllocatorType& alloc);
Resource read_resource(const rapidjson::Value& in, FieldErrors& errors, const std::string& prefix);

void write_organization(const Organization& o, std::int64_t package_count, rapidjson::Value& out,
                        rapidjson::Document::AllocatorType& alloc);
void write_group(const Group& g, std::int64_t package_count, rapidjson::Value& out,
                 rapidjson::Document::AllocatorType& alloc);

// SHA-256 over the dataset's content, leaving out what the catalog itself manages (id,
// metadata_created/modified, views): equal hashes mean a re-import has nothing to change.
std::string content_hash(const Dataset& d);

}  // namespace datamap::catalog
