// The rules of the DataStore's tables that do not depend on the engine storing them: which
// resource ids, field ids, options, values, conditions and written columns are acceptable, and
// the ValidationError (catalog/errors.h) naming the parameter when one is not. Every TableStore
// backend (sqlite_table_store.cpp, pg_table_store.cpp) checks through these, so a request is
// refused, or accepted, the same way whichever engine holds the rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "datastore/table_store.h"

namespace datamap::datastore {

// CKAN's row id: every table has it, no field may be named like it.
inline constexpr const char* kRowId = "_id";

// A backend's limits on names, checked before anything is written.
struct NameLimits {
  std::size_t max_fields;
  std::size_t max_field_name_bytes;
  std::size_t max_resource_id_bytes;
};

// "name" with embedded quotes doubled: the one way an identifier enters SQL text, the same
// quoting for SQLite and PostgreSQL.
std::string quote_identifier(std::string_view name);

bool starts_with_ci(std::string_view s, std::string_view lower_prefix);
bool has_control(std::string_view s);
std::string ascii_lower(std::string_view s);

// A resource id usable as a table name: 1 to max bytes, no control characters, not starting with
// `_` (the stores' own tables do) or `sqlite_` (one rule for both backends, so an id accepted by
// one is accepted by the other within its length). ValidationError{resource_id}.
void check_resource_id(const std::string& rid, const NameLimits& limits);

// Field ids as CKAN accepts them: 1 to max bytes without control characters, not starting with
// `_`, of a known type, not given twice (ASCII case-insensitively: SQLite's identifiers are),
// with `existing` (a table's fields being extended) counted. ValidationError{fields}.
void check_fields(const std::vector<Field>& fields, const NameLimits& limits,
                  const std::vector<Field>& existing = {});

// Primary key, indexes and point name fields of `fields`; point fields are numeric.
void check_options(const TableOptions& options, const std::vector<Field>& fields);

const Field* find_field(const std::vector<Field>& fields, std::string_view id);
const Field& row_id_field();
// A field of the table, or `_id`; anything else is ValidationError{param}.
const Field& need_field(const TableInfo& info, std::string_view id, const char* param);

// `value` as a value of `f`, or ValidationError{field id: "row N: ..."}.
Cell typed(const Cell& value, const Field& f, std::int64_t row);
// A condition's text as a value of `f`, or ValidationError{field id}.
Cell condition_value(const Field& f, const std::string& v);
// Holds a value of `type` as convert_cell would make it (text stays as given): a writer may
// send it without converting it.
bool is_of_type(const Cell& c, const std::string& type);
// A row of `row_no` with as many values as `width`, or ValidationError{records}.
void check_row_width(const Row& row, std::size_t width, std::int64_t row_no);

// A LIKE pattern (backslash escapes, as both engines read them with ESCAPE '\') matching text
// that contains v: `%` and `_` in v are plain characters.
std::string like_contains(std::string_view v);
// The space-separated words of a `q` given for one field ({field: text}); each must be in the
// field (LIKE like_contains(word)) on both backends.
std::vector<std::string_view> field_query_words(std::string_view text);

// `q` on a table whose full-text index is still being built: a 409 naming q. Answering from a
// scan instead would match differently (substrings, not words and bigrams) and take seconds on a
// large table; the phase is visible in datastore_job_status and usually short.
void check_fulltext_ready(const TableInfo& info, const SearchQuery& q);

// The columns of a search, in order: with q.fields empty `_id` (unless distinct) and every
// field; else the named ones (ValidationError{fields} for an unknown one).
std::vector<Field> search_fields(const TableInfo& info, const SearchQuery& q);

// The columns of a datastore_upsert, checked: known fields, none twice, the primary key among
// them when the method matches on it. key_positions / set_positions index `fields`.
struct WriteColumns {
  std::vector<const Field*> fields;
  std::vector<int> key_positions, set_positions;
};
WriteColumns write_columns(const TableInfo& info, TableStore::Method method,
                           const std::vector<std::string>& columns);

// datastore_create on an existing table: the fields it adds (checked against limits), the data
// dictionary of given ones replaced in `info` (CKAN 2.10's way to edit it), and the options
// merged (a given primary key, index list or point replaces the table's), checked. A given
// field of another type is ValidationError{fields}.
struct TableExtension {
  std::vector<Field> added;
  TableOptions merged;
};
TableExtension plan_extension(TableInfo& info, const std::vector<Field>& fields,
                              const TableOptions& options, const NameLimits& limits);

// set_field_info: the data dictionary entries applied to `info` (unknown field or type_override:
// ValidationError{fields}); true when a type_override changed a field's type (the rows must be
// rewritten; the options are checked again then: a point field must stay numeric).
bool apply_field_infos(TableInfo& info,
                       const std::vector<std::pair<std::string, FieldInfo>>& infos);

}  // namespace datamap::datastore
