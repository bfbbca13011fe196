#include "harvest/formats/json_fields.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "catalog/text.h"

namespace datamap::harvest {

std::string json_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

std::string value_text(const rapidjson::Value& v, const std::string& field, FieldErrors& errors) {
  std::string raw;
  if (v.IsNull()) return "";
  if (v.IsString())
    raw.assign(v.GetString(), v.GetStringLength());
  else
    raw = json_text(v);
  if (!catalog::is_valid_utf8(raw)) {
    errors[field].push_back("Must be valid UTF-8 text");
    return "";
  }
  return catalog::to_nfc(raw);
}

std::string member_text(const rapidjson::Value& obj, const char* key, FieldErrors& errors) {
  if (!obj.IsObject()) return "";
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return "";
  return std::string(catalog::trim(value_text(it->value, key, errors)));
}

std::vector<std::string> member_strings(const rapidjson::Value& obj, const char* key,
                                        FieldErrors& errors) {
  std::vector<std::string> out;
  if (!obj.IsObject()) return out;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return out;
  if (it->value.IsArray()) {
    for (const auto& item : it->value.GetArray()) {
      std::string s(catalog::trim(value_text(item, key, errors)));
      if (!s.empty()) out.push_back(std::move(s));
    }
  } else {
    std::string s(catalog::trim(value_text(it->value, key, errors)));
    if (!s.empty()) out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> as_set(std::vector<std::string> v) {
  v.erase(std::remove(v.begin(), v.end(), std::string()), v.end());
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::string strip_mailto(std::string s) {
  if (catalog::to_lower_ascii(s.substr(0, 7)) == "mailto:") s.erase(0, 7);
  return s;
}

std::string format_from_media_type(std::string_view media_type) {
  std::string m = catalog::to_lower_ascii(catalog::trim(media_type));
  if (auto semi = m.find(';'); semi != std::string::npos) m.resize(semi);
  static const std::pair<const char*, const char*> known[] = {
      {"text/csv", "CSV"},
      {"application/json", "JSON"},
      {"application/geo+json", "GEOJSON"},
      {"application/vnd.geo+json", "GEOJSON"},
      {"application/xml", "XML"},
      {"text/xml", "XML"},
      {"application/rdf+xml", "RDF"},
      {"text/turtle", "TTL"},
      {"application/ld+json", "JSON-LD"},
      {"application/vnd.ms-excel", "XLS"},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"},
      {"application/pdf", "PDF"},
      {"application/zip", "ZIP"},
      {"text/html", "HTML"},
      {"text/plain", "TXT"},
      {"application/vnd.google-earth.kml+xml", "KML"},
      {"application/x-shapefile", "SHP"},
      {"application/vnd.oasis.opendocument.spreadsheet", "ODS"},
  };
  for (const auto& [type, format] : known)
    if (m == type) return format;
  return "";
}

void set_extra(catalog::KeyValues& extras, const std::string& key, const std::string& value) {
  for (auto& kv : extras)
    if (kv.first == key) {
      kv.second = value;
      return;
    }
  extras.emplace_back(key, value);
}

}  // namespace datamap::harvest
