#include "datastore/table_store.h"

#include <string_view>

namespace datamap::datastore {

bool is_field_type(std::string_view type) {
  for (const char* t : kFieldTypes)
    if (type == t) return true;
  return false;
}

}  // namespace datamap::datastore
