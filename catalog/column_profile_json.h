// ColumnProfile <-> JSON: one form for the API (package_show's resources[].columns) and the
// dataset record the SQLite store keeps, so the two never drift. The sketch's 64-bit hashes are
// 16-digit hex strings (a JSON number would lose bits in JavaScript clients).
#pragma once

#include <rapidjson/document.h>

#include <string>

#include "catalog/errors.h"
#include "catalog/model.h"

namespace datamap::catalog {

rapidjson::Value column_profile_to_json(const ColumnProfile& c,
                                        rapidjson::Document::AllocatorType& alloc);

// A member of the wrong JSON type adds a message to `errors` under `prefix + key` and is skipped.
ColumnProfile column_profile_from_json(const rapidjson::Value& in, FieldErrors& errors,
                                       const std::string& prefix);

// The resource's validation summary (Resource::validation, the `validation` member of a
// resource dict): {"validated_at", "rows", "checked_values", "invalid_values", "error_rate",
// "failing_rows", "duplicate_rows", "ragged_rows", "duplicate_examples", "ragged_examples"}.
// error_rate is computed, never read back.
rapidjson::Value resource_validation_to_json(const ResourceValidation& v,
                                             rapidjson::Document::AllocatorType& alloc);
ResourceValidation resource_validation_from_json(const rapidjson::Value& in, FieldErrors& errors,
                                                 const std::string& prefix);

}  // namespace datamap::catalog
