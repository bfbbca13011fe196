#include "api/formats/file_data.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

#include "api/formats/datago.h"
#include "catalog/errors.h"
#include "catalog/text.h"

namespace datamap::api::formats {
namespace {

using datastore::Cell;
using datastore::Field;
using datastore::Op;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::string_view kCondPrefix = "cond[";

std::optional<Op> cond_op(std::string_view name) {
  std::string n(name);
  for (auto& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (n == "EQ") return Op::eq;
  if (n == "LIKE") return Op::like;
  if (n == "GT") return Op::gt;
  if (n == "GTE") return Op::gte;
  if (n == "LT") return Op::lt;
  if (n == "LTE") return Op::lte;
  return std::nullopt;
}

std::string column_list(const std::vector<Field>& fields) {
  std::string out;
  for (const auto& f : fields) {
    if (out.size() > 400) return out + ", ...";
    out += (out.empty() ? "" : ", ") + f.id;
  }
  return out;
}

void string(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void cell(Writer& w, const Cell& c) {
  if (auto* i = std::get_if<std::int64_t>(&c))
    w.Int64(*i);
  else if (auto* d = std::get_if<double>(&c); d && std::isfinite(*d))
    w.Double(*d);
  else if (auto* b = std::get_if<bool>(&c))
    w.Bool(*b);
  else if (auto* s = std::get_if<std::string>(&c))
    string(w, *s);
  else
    w.Null();
}

std::string cell_xml(const Cell& c) {
  if (auto* i = std::get_if<std::int64_t>(&c)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&c)) {
    if (!std::isfinite(*d)) return "";
    rapidjson::StringBuffer b;
    Writer w(b);
    w.Double(*d);
    return b.GetString();
  }
  if (auto* b = std::get_if<bool>(&c)) return *b ? "true" : "false";
  if (auto* s = std::get_if<std::string>(&c)) return xml_text(*s);
  return "";
}

std::string xml_attribute(const std::string& s) {
  std::string out;
  for (char c : xml_text(s)) {
    if (c == '"')
      out += "&quot;";
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace

std::vector<datastore::Condition> parse_conds(const NameValues& query,
                                              const std::vector<Field>& fields) {
  std::vector<datastore::Condition> conds;
  for (const auto& [name, value] : query) {
    if (name.rfind(kCondPrefix, 0) != 0) continue;
    std::string_view inner(name);
    if (inner.back() != ']')
      throw ValidationError(name,
                            "Must be cond[column::OP] with OP one of EQ, LIKE, GT, GTE, LT, LTE");
    inner = inner.substr(kCondPrefix.size(), inner.size() - kCondPrefix.size() - 1);
    auto sep = inner.rfind("::");
    if (sep == std::string_view::npos)
      throw ValidationError(name,
                            "Must be cond[column::OP] with OP one of EQ, LIKE, GT, GTE, LT, LTE");
    std::string column(inner.substr(0, sep));
    auto op = cond_op(inner.substr(sep + 2));
    if (!op)
      throw ValidationError(name, "Unknown operator '" + std::string(inner.substr(sep + 2)) +
                                      "': use EQ, LIKE, GT, GTE, LT or LTE");
    bool known = false;
    for (const auto& f : fields) known = known || f.id == column;
    if (!known)
      throw ValidationError(
          name, "No column named '" + column + "'; the columns are: " + column_list(fields));
    conds.push_back({column, *op, {value}});
  }
  return conds;
}

std::string file_data_json(const FileDataPage& page) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("page");
  w.Int64(page.page);
  w.Key("perPage");
  w.Int64(page.per_page);
  w.Key("totalCount");
  w.Int64(page.total_count);
  w.Key("currentCount");
  w.Int64(page.result ? static_cast<std::int64_t>(page.result->records.size()) : 0);
  w.Key("matchCount");
  w.Int64(page.match_count);
  w.Key("data");
  w.StartArray();
  if (page.result)
    for (const auto& row : page.result->records) {
      w.StartObject();
      for (std::size_t i = 0; i < row.size() && i < page.result->fields.size(); ++i) {
        string(w, page.result->fields[i].id);
        cell(w, row[i]);
      }
      w.EndObject();
    }
  w.EndArray();
  w.EndObject();
  return std::string(b.GetString(), b.GetSize());
}

std::string file_data_xml(const FileDataPage& page) {
  std::size_t current = page.result ? page.result->records.size() : 0;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><results>";
  out += "<page>" + std::to_string(page.page) + "</page><perPage>" + std::to_string(page.per_page) +
         "</perPage><totalCount>" + std::to_string(page.total_count) +
         "</totalCount><currentCount>" + std::to_string(current) + "</currentCount><matchCount>" +
         std::to_string(page.match_count) + "</matchCount><data>";
  if (page.result)
    for (const auto& row : page.result->records) {
      out += "<item>";
      for (std::size_t i = 0; i < row.size() && i < page.result->fields.size(); ++i)
        out += "<col name=\"" + xml_attribute(page.result->fields[i].id) + "\">" +
               cell_xml(row[i]) + "</col>";
      out += "</item>";
    }
  out += "</data></results>";
  return out;
}

}  // namespace datamap::api::formats
