#include "harvest/formats/datajson.h"

#include <rapidjson/document.h>

#include <cstring>
#include <set>

#include "catalog/ids.h"
#include "catalog/licenses.h"
#include "catalog/text.h"
#include "catalog/validation.h"
#include "harvest/formats/json_fields.h"

namespace datamap::harvest {
namespace {

using rapidjson::Value;

// A date the model accepts goes to its field; anything else ("R/P1D", "Summer 2024") is kept
// in extras under the same name rather than failing the dataset.
void set_date(std::string value, std::string& field, const char* name,
              catalog::KeyValues& extras) {
  if (value.empty()) return;
  if (catalog::is_iso8601(value))
    field = std::move(value);
  else
    set_extra(extras, name, value);
}

void set_url(std::string value, std::string& field, const char* name, catalog::KeyValues& extras) {
  if (value.empty()) return;
  if (catalog::is_valid_url(value))
    field = std::move(value);
  else
    set_extra(extras, name, value);
}

catalog::Resource map_distribution(const Value& in, std::size_t index, FieldErrors& errors) {
  catalog::Resource r;
  if (!in.IsObject()) {
    errors["distribution[" + std::to_string(index) + "]"].push_back("Must be an object");
    return r;
  }
  std::string download = member_text(in, "downloadURL", errors);
  std::string access = member_text(in, "accessURL", errors);
  set_url(download.empty() ? access : download, r.url, "url", r.extras);
  r.name = member_text(in, "title", errors);
  r.description = member_text(in, "description", errors);
  r.mimetype = member_text(in, "mediaType", errors);
  std::string format = member_text(in, "format", errors);
  r.format = catalog::to_lower_ascii(format.empty() ? format_from_media_type(r.mimetype) : format);
  for (char& c : r.format) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const std::set<std::string> used = {"downloadURL", "title", "description", "mediaType",
                                             "format", "@type"};
  for (const auto& m : in.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    if (used.count(key) || m.value.IsNull()) continue;
    if (key == "accessURL" && download.empty()) continue;  // it became the url
    set_extra(r.extras, key, value_text(m.value, key, errors));
  }
  return r;
}

}  // namespace

HarvestItem map_datajson_dataset(const Value& in) {
  HarvestItem item;
  FieldErrors& errors = item.errors;
  catalog::Dataset& d = item.dataset;
  if (!in.IsObject()) {
    errors["dataset"].push_back("Must be an object");
    return item;
  }
  item.ref = member_text(in, "identifier", errors);
  if (item.ref.empty()) errors["identifier"].push_back("Missing value");
  d.source_key = item.ref;
  d.title = member_text(in, "title", errors);
  d.notes = member_text(in, "description", errors);
  d.tags = as_set(member_strings(in, "keyword", errors));
  set_date(member_text(in, "modified", errors), d.modified, "modified", d.extras);
  set_date(member_text(in, "issued", errors), d.issued, "issued", d.extras);
  set_url(member_text(in, "landingPage", errors), d.url, "landingPage", d.extras);
  d.frequency = member_text(in, "accrualPeriodicity", errors);
  d.spatial = member_text(in, "spatial", errors);
  d.temporal = member_text(in, "temporal", errors);

  std::string license = member_text(in, "license", errors);
  if (!license.empty()) {
    d.license_id = catalog::license_from_text(license);
    set_extra(d.extras, "license", license);  // the exact URL the publisher gave
  }

  auto cp = in.FindMember("contactPoint");
  if (cp != in.MemberEnd() && cp->value.IsObject()) {
    d.maintainer = member_text(cp->value, "fn", errors);
    d.maintainer_email = strip_mailto(member_text(cp->value, "hasEmail", errors));
  }

  auto pub = in.FindMember("publisher");
  if (pub != in.MemberEnd() && pub->value.IsObject()) {
    std::string name = member_text(pub->value, "name", errors);
    if (!name.empty()) {
      catalog::Organization o;
      o.title = name;
      o.name = catalog::slugify(name);
      if (o.name.empty()) o.name = "org-" + catalog::sha256_hex(name).substr(0, 12);
      auto parent = pub->value.FindMember("subOrganizationOf");
      if (parent != pub->value.MemberEnd() && !parent->value.IsNull())
        o.description = "Part of " + member_text(parent->value, "name", errors);
      item.organization = std::move(o);
    }
  }

  auto dist = in.FindMember("distribution");
  if (dist != in.MemberEnd() && dist->value.IsArray()) {
    std::size_t i = 0;
    for (const auto& r : dist->value.GetArray()) d.resources.push_back(map_distribution(r, i++, errors));
  }

  static const std::set<std::string> used = {
      "identifier", "title",     "description", "keyword",     "modified",     "issued",
      "landingPage", "accrualPeriodicity", "spatial", "temporal", "license", "contactPoint",
      "distribution", "@type"};
  for (const auto& m : in.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    if (used.count(key) || m.value.IsNull()) continue;
    if (key == "theme") {
      std::string joined;
      for (const auto& t : as_set(member_strings(in, "theme", errors)))
        joined += (joined.empty() ? "" : ", ") + t;
      set_extra(d.extras, "theme", joined);
      continue;
    }
    if (key == "publisher") {
      set_extra(d.extras, "publisher", member_text(m.value, "name", errors));
      continue;
    }
    set_extra(d.extras, key, value_text(m.value, key, errors));
  }
  return item;
}

JsonStreamResult read_datajson_file(const std::string& path, const ItemSink& sink) {
  JsonStreamResult r = stream_json_array_file(path, "dataset", [&](rapidjson::Document& doc) {
    return sink(map_datajson_dataset(doc));
  });
  if (r.ok && !r.found_array) {
    r.ok = false;
    r.error = "not a data.json catalog: no \"dataset\" array";
  }
  return r;
}

}  // namespace datamap::harvest
