#include "api/formats/datago.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "api/formats/vocabularies.h"
#include "catalog/licenses.h"

namespace datamap::api::formats {
namespace {

using Fields = std::vector<std::pair<const char*, std::string>>;

std::string type_code(const std::string& type) {
  if (type == "file") return "FILE";
  if (type == "api") return "API";
  if (type == "standard") return "STD";
  return "DATASET";
}

std::string join(const std::vector<std::string>& values, const char* sep) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : sep) + v;
  return out;
}

// One item's fields, named as data.go.kr's list columns are in its APIs (camelCase).
Fields item_fields(const catalog::Dataset& d, const CatalogLookup& lookup, const SiteInfo& site) {
  const catalog::Organization* org = lookup.organization(d.owner_org);
  std::vector<std::string> categories, formats;
  for (const auto& g : d.groups) {
    const catalog::Group* group = lookup.group(g);
    categories.push_back(group && !group->title.empty() ? group->title : g);
  }
  for (const auto& r : d.resources)
    if (!r.format.empty() && std::find(formats.begin(), formats.end(), r.format) == formats.end())
      formats.push_back(r.format);
  std::string license;
  for (const auto& l : catalog::known_licenses())
    if (l.id == d.license_id) license = l.title;
  return {
      {"listId", d.source_key.empty() ? d.id : d.source_key},
      {"id", d.id},
      {"name", d.name},
      {"listType", type_code(d.type)},
      {"title", d.title},
      {"description", d.notes},
      {"category", join(categories, ",")},
      {"subCategory", d.category_sub},
      {"orgCode", org ? org->code : ""},
      {"orgName", org ? org->title : ""},
      {"department", d.maintainer},
      {"phone", d.maintainer_phone},
      {"keywords", join(d.tags, ",")},
      {"formats", join(formats, ",")},
      {"updateCycle", d.frequency},
      {"nextUpdate", d.next_update},
      {"license", license},
      {"registeredDate", d.issued.empty() ? d.metadata_created : d.issued},
      {"modifiedDate", d.modified.empty() ? d.metadata_modified : d.modified},
      {"views", std::to_string(d.views)},
      {"downloads", std::to_string(d.downloads)},
      {"nationalPriority", d.national_priority ? "Y" : "N"},
      {"standardData", d.standard_dataset ? "Y" : "N"},
      {"url", d.url},
      {"detailUrl", dataset_url(site, d)},
  };
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void header_json(Writer& w, DatagoCode code, const std::string& detail) {
  w.Key("header");
  w.StartObject();
  w.Key("resultCode");
  w.String(datago_code_text(code).c_str());
  w.Key("resultMsg");
  std::string msg = datago_code_message(code) + (detail.empty() ? "" : ": " + detail);
  w.String(msg.c_str(), static_cast<rapidjson::SizeType>(msg.size()));
  w.EndObject();
}

void header_xml(std::string& out, DatagoCode code, const std::string& detail) {
  out += "<header><resultCode>" + datago_code_text(code) + "</resultCode><resultMsg>" +
         xml_text(datago_code_message(code) + (detail.empty() ? "" : ": " + detail)) +
         "</resultMsg></header>";
}

constexpr const char* kXmlDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>";

}  // namespace

std::string datago_code_text(DatagoCode code) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", static_cast<int>(code));
  return buf;
}

std::string datago_code_message(DatagoCode code) {
  switch (code) {
    case DatagoCode::kNormal: return "NORMAL SERVICE.";
    case DatagoCode::kApplicationError: return "APPLICATION_ERROR";
    case DatagoCode::kNoData: return "NODATA_ERROR";
    case DatagoCode::kInvalidParameter: return "INVALID_REQUEST_PARAMETER_ERROR";
    case DatagoCode::kMissingParameter: return "NO_MANDATORY_REQUEST_PARAMETERS_ERROR";
    case DatagoCode::kAccessDenied: return "SERVICE_ACCESS_DENIED_ERROR";
    case DatagoCode::kOverQuota: return "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR";
    case DatagoCode::kKeyNotRegistered: return "SERVICE_KEY_IS_NOT_REGISTERED_ERROR";
  }
  return "UNKNOWN_ERROR";
}

int datago_http_status(DatagoCode code) {
  switch (code) {
    case DatagoCode::kNormal: return 200;
    case DatagoCode::kNoData: return 404;
    case DatagoCode::kInvalidParameter:
    case DatagoCode::kMissingParameter: return 400;
    case DatagoCode::kKeyNotRegistered: return 401;
    case DatagoCode::kAccessDenied: return 403;
    case DatagoCode::kOverQuota: return 429;
    case DatagoCode::kApplicationError: return 500;
  }
  return 500;
}

std::string xml_text(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    if (ch == '&') out += "&amp;";
    else if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else out.push_back(ch);
  }
  return out;
}

std::string datago_json(const DatagoPage& page, const CatalogLookup& lookup, const SiteInfo& site) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("response");
  w.StartObject();
  header_json(w, DatagoCode::kNormal, "");
  w.Key("body");
  w.StartObject();
  w.Key("items");
  w.StartObject();
  w.Key("item");
  w.StartArray();
  for (const auto& d : page.items) {
    w.StartObject();
    for (const auto& [k, v] : item_fields(d, lookup, site)) {
      w.Key(k);
      w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.Key("numOfRows");
  w.Int64(page.num_of_rows);
  w.Key("pageNo");
  w.Int64(page.page_no);
  w.Key("totalCount");
  w.Int64(page.total_count);
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return std::string(b.GetString(), b.GetSize());
}

std::string datago_xml(const DatagoPage& page, const CatalogLookup& lookup, const SiteInfo& site) {
  std::string out = kXmlDecl;
  out += "<response>";
  header_xml(out, DatagoCode::kNormal, "");
  out += "<body><items>";
  for (const auto& d : page.items) {
    out += "<item>";
    for (const auto& [k, v] : item_fields(d, lookup, site))
      out += std::string("<") + k + ">" + xml_text(v) + "</" + k + ">";
    out += "</item>";
  }
  out += "</items><numOfRows>" + std::to_string(page.num_of_rows) + "</numOfRows><pageNo>" +
         std::to_string(page.page_no) + "</pageNo><totalCount>" +
         std::to_string(page.total_count) + "</totalCount></body></response>";
  return out;
}

std::string datago_error_json(DatagoCode code, const std::string& detail) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("response");
  w.StartObject();
  header_json(w, code, detail);
  w.EndObject();
  w.EndObject();
  return std::string(b.GetString(), b.GetSize());
}

std::string datago_error_xml(DatagoCode code, const std::string& detail) {
  std::string out = kXmlDecl;
  out += "<response>";
  header_xml(out, code, detail);
  out += "</response>";
  return out;
}

}  // namespace datamap::api::formats
