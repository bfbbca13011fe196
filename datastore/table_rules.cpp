#include "datastore/table_rules.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "catalog/errors.h"
#include "datastore/cell_types.h"
#include "datastore/fulltext.h"

namespace datamap::datastore {

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void check_resource_id(const std::string& rid, const NameLimits& limits) {
  if (rid.empty() || rid.size() > limits.max_resource_id_bytes || has_control(rid) ||
      starts_with_ci(rid, "_") || starts_with_ci(rid, "sqlite_"))
    throw ValidationError("resource_id", "not a usable resource id for a DataStore table");
}

void check_fields(const std::vector<Field>& fields, const NameLimits& limits,
                  const std::vector<Field>& existing) {
  if (fields.size() + existing.size() > limits.max_fields)
    throw ValidationError("fields", "a table has at most " + std::to_string(limits.max_fields) +
                                        " fields (" + std::to_string(fields.size()) + " given)");
  std::set<std::string> seen;
  for (const auto& f : existing) seen.insert(ascii_lower(f.id));
  for (const auto& f : fields) {
    if (f.id.empty() || f.id.size() > limits.max_field_name_bytes || has_control(f.id))
      throw ValidationError("fields", "field id '" + f.id.substr(0, 60) + "' must be 1 to " +
                                          std::to_string(limits.max_field_name_bytes) +
                                          " bytes without control characters");
    if (f.id.front() == '_')
      throw ValidationError("fields", "field id '" + f.id + "' must not start with '_'");
    if (!is_field_type(f.type))
      throw ValidationError("fields", "field '" + f.id + "' has unknown type '" + f.type +
                                          "' (int, numeric, bool, date, timestamp, text)");
    if (!f.info.type_override.empty() && !is_field_type(f.info.type_override))
      throw ValidationError("fields", "field '" + f.id + "' has unknown type_override '" +
                                          f.info.type_override + "'");
    if (!seen.insert(ascii_lower(f.id)).second)
      throw ValidationError("fields", "field '" + f.id + "' is given twice");
  }
}

const Field* find_field(const std::vector<Field>& fields, std::string_view id) {
  for (const auto& f : fields)
    if (f.id == id) return &f;
  return nullptr;
}

const Field& row_id_field() {
  static const Field f{kRowId, "int", {}};
  return f;
}

const Field& need_field(const TableInfo& info, std::string_view id, const char* param) {
  if (id == kRowId) return row_id_field();
  if (const Field* f = find_field(info.fields, id)) return *f;
  throw ValidationError(param, "unknown field '" + std::string(id) + "'");
}

void check_options(const TableOptions& o, const std::vector<Field>& fields) {
  for (const auto& k : o.primary_key)
    if (!find_field(fields, k)) throw ValidationError("primary_key", "unknown field '" + k + "'");
  for (const auto& k : o.indexes)
    if (!find_field(fields, k)) throw ValidationError("indexes", "unknown field '" + k + "'");
  if (o.point) {
    for (const auto* id : {&o.point->first, &o.point->second}) {
      const Field* f = find_field(fields, *id);
      if (!f) throw ValidationError("point", "unknown field '" + *id + "'");
      if (f->type != "int" && f->type != "numeric")
        throw ValidationError("point", "field '" + *id + "' is not numeric");
    }
  }
}

Cell typed(const Cell& value, const Field& f, std::int64_t row) {
  std::string why;
  auto c = convert_cell(value, f.type, &why);
  if (!c) throw ValidationError(f.id, "row " + std::to_string(row) + ": " + why);
  return std::move(*c);
}

Cell condition_value(const Field& f, const std::string& v) {
  std::string why;
  auto c = convert_cell(Cell(v), f.type, &why);
  if (!c) throw ValidationError(f.id, why);
  return std::move(*c);
}

bool is_of_type(const Cell& c, const std::string& type) {
  if (std::holds_alternative<std::monostate>(c)) return true;
  if (type == "text") return std::holds_alternative<std::string>(c);
  if (type == "int") return std::holds_alternative<std::int64_t>(c);
  if (type == "numeric") return std::holds_alternative<double>(c);
  if (type == "bool") return std::holds_alternative<bool>(c);
  return false;  // dates and timestamps are checked and normalised by convert_cell
}

void check_row_width(const Row& row, std::size_t width, std::int64_t row_no) {
  if (row.size() != width)
    throw ValidationError("records", "row " + std::to_string(row_no) + " has " +
                                         std::to_string(row.size()) + " values for " +
                                         std::to_string(width) + " fields");
}

std::vector<std::string_view> field_query_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

std::string like_contains(std::string_view v) {
  std::string out = "%";
  for (char c : v) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

void check_fulltext_ready(const TableInfo& info, const SearchQuery& q) {
  if (info.search_indexes_pending && (!fulltext_match(q.q).empty() || !q.q_fields.empty()))
    throw ValidationError("q",
                          "the full-text index is being built (load phase full_text, see "
                          "datastore_job_status); search without q or retry in a moment");
}

std::vector<Field> search_fields(const TableInfo& info, const SearchQuery& q) {
  std::vector<Field> out;
  if (q.fields.empty()) {
    if (!q.distinct) out.push_back(row_id_field());
    out.insert(out.end(), info.fields.begin(), info.fields.end());
  } else {
    for (const auto& id : q.fields) out.push_back(need_field(info, id, "fields"));
  }
  return out;
}

WriteColumns write_columns(const TableInfo& info, TableStore::Method method,
                           const std::vector<std::string>& columns) {
  WriteColumns out;
  std::set<std::string> seen;
  for (const auto& id : columns) {
    const Field* f = find_field(info.fields, id);
    if (!f) throw ValidationError("records", "unknown field '" + id + "'");
    if (!seen.insert(id).second) throw ValidationError("records", "field '" + id + "' twice");
    out.fields.push_back(f);
  }
  const auto& pk = info.options.primary_key;
  if (method != TableStore::Method::insert) {
    if (pk.empty())
      throw ValidationError("method", "update and upsert need a table with a primary_key");
    for (const auto& k : pk)
      if (!seen.count(k))
        throw ValidationError("records", "the primary key field '" + k + "' is missing");
  }
  for (std::size_t i = 0; i < out.fields.size(); ++i) {
    bool key = std::find(pk.begin(), pk.end(), out.fields[i]->id) != pk.end();
    (key ? out.key_positions : out.set_positions).push_back(static_cast<int>(i));
  }
  return out;
}

TableExtension plan_extension(TableInfo& info, const std::vector<Field>& fields,
                              const TableOptions& options, const NameLimits& limits) {
  TableExtension out;
  for (const auto& f : fields) {
    auto it = std::find_if(info.fields.begin(), info.fields.end(),
                           [&](const Field& x) { return x.id == f.id; });
    if (it == info.fields.end()) {
      out.added.push_back(f);
    } else {
      if (f.type != it->type && f.type != it->info.type_override)
        throw ValidationError("fields", "field '" + f.id + "' is already of type " + it->type);
      it->info = f.info;
    }
  }
  check_fields(out.added, limits, info.fields);
  std::vector<Field> all = info.fields;
  all.insert(all.end(), out.added.begin(), out.added.end());
  out.merged = info.options;
  if (!options.primary_key.empty()) out.merged.primary_key = options.primary_key;
  if (!options.indexes.empty()) out.merged.indexes = options.indexes;
  if (options.point) out.merged.point = options.point;
  check_options(out.merged, all);
  return out;
}

bool apply_field_infos(TableInfo& info,
                       const std::vector<std::pair<std::string, FieldInfo>>& infos) {
  bool retype = false;
  for (const auto& entry : infos) {
    // Named, not a structured binding: clang 14 cannot capture a binding in a lambda.
    const std::string& id = entry.first;
    const FieldInfo& fi = entry.second;
    auto it = std::find_if(info.fields.begin(), info.fields.end(),
                           [&](const Field& f) { return f.id == id; });
    if (it == info.fields.end()) throw ValidationError("fields", "unknown field '" + id + "'");
    if (!fi.type_override.empty() && !is_field_type(fi.type_override))
      throw ValidationError(
          "fields", "field '" + id + "' has unknown type_override '" + fi.type_override + "'");
    it->info = fi;
    if (!fi.type_override.empty() && fi.type_override != it->type) {
      it->type = fi.type_override;
      retype = true;
    }
  }
  return retype;
}

}  // namespace datamap::datastore
