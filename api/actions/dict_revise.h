// CKAN's package_revise operations on a JSON dict, addressed by "flattened keys": a path whose
// parts are joined by "__", where a part inside a list is an index (negative counts from the end)
// or the first 5 or more characters of an item's "id" (resources__1f9ab__description).
//   match:  which parts of the stored dict differ from what the caller expects (a non-empty
//           answer aborts the revision);
//   filter: glob patterns ("-resources__1", "+title", "-*") removing members, a '+' protecting
//           what a later '-' would remove (the first matching pattern wins);
//   update: a deep merge (dicts merge, lists merge item by item and grow), or one flattened key
//           set, with "__extend" appending to a list.
// A path that names nothing is a DictError with CKAN's message ("Unmatched key resources__9").
#pragma once

#include <rapidjson/document.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace datamap::api::actions {

struct DictError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using JsonAlloc = rapidjson::MemoryPoolAllocator<>;

// The paths ("resources__0__name") of `expected` whose values differ from `data`'s.
std::vector<std::string> unmatched(const rapidjson::Value& data, const rapidjson::Value& expected);
// The same for one flattened key: the value at `key` in `data` against `expected`.
std::vector<std::string> unmatched_key(const rapidjson::Value& data, const std::string& key,
                                       const rapidjson::Value& expected);

void filter_glob(rapidjson::Value& data, const std::vector<std::string>& patterns);

void update_merge(rapidjson::Value& data, const rapidjson::Value& update, JsonAlloc& a,
                  const std::string& path = "");
void update_key(rapidjson::Value& data, const std::string& key, const rapidjson::Value& value,
                JsonAlloc& a);

}  // namespace datamap::api::actions
