// How a whole Dataset is kept in datasets.record: a compact JSON object private to the store.
// It is not the CKAN package dict (package_json.h is the API's format and may change with it):
// this one round-trips every field exactly, keeps extras' order and duplicates, and decodes
// without re-validating or re-normalising text that was checked on the way in.
#pragma once

#include <string>
#include <string_view>

#include "catalog/model.h"

namespace datamap::catalog::sqlite {

std::string encode_dataset(const Dataset& d);
// Throws std::runtime_error when `record` is not a record this code wrote.
Dataset decode_dataset(std::string_view record);

}  // namespace datamap::catalog::sqlite
