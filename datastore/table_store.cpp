#include "datastore/table_store.h"

#include <string_view>

#include "catalog/errors.h"
#include "datastore/cell_types.h"
#include "datastore/loader/sketch.h"

namespace datamap::datastore {

bool is_field_type(std::string_view type) {
  for (const char* t : kFieldTypes)
    if (type == t) return true;
  return false;
}

std::string join_key(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
  // The sketches' normalisation, so a join pairs exactly what the joinability estimate counted.
  std::string key = loader::BottomK::normalise(text);
  return key.empty() ? std::string("0") : key;  // "0", "00": zero, not nothing
}

std::string join_key(const Cell& value) {
  if (std::holds_alternative<std::monostate>(value)) return {};
  std::string text = cell_text(value);
  return join_key(std::string_view(text));
}

void TableWriter::append_with_id(std::int64_t, const Row&) {
  throw NotImplemented("this DataStore backend numbers its rows itself");
}

void TableStore::build_search_indexes(const std::string&, const std::atomic<bool>*) {}

std::vector<std::string> TableStore::explain_search(const SearchQuery&) {
  return {};
}

SearchResult TableStore::join(const JoinQuery&) {
  throw BadRequest("Bad request", "this DataStore backend does not join tables");
}

}  // namespace datamap::datastore
