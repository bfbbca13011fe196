#include "api/formats/data_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>

#include "api/formats/json_fields.h"
#include "api/formats/vocabularies.h"
#include "catalog/licenses.h"
#include "catalog/text.h"
#include "catalog/validation.h"
#include "catalog/visibility.h"

namespace datamap::api::formats {
namespace {

using Writer = JsonWriter;

void str(Writer& w, const std::string& s) { write_string(w, s); }

void field(Writer& w, const char* key, const std::string& value) { write_nonempty(w, key, value); }

// DCAT-US dates are ISO 8601; our metadata timestamps carry microseconds, which it allows.
std::string iso_date(const std::string& preferred, const std::string& fallback) {
  std::string v(catalog::trim(preferred.empty() ? fallback : preferred));
  if (v.size() > 10 && v[10] == ' ') v[10] = 'T';
  return catalog::is_iso8601(v) ? v : "";
}

}  // namespace

std::string iso8601_frequency(std::string_view frequency) {
  const Concept* c = frequency_concept(frequency);
  if (!c) return "";
  static const std::pair<const char*, const char*> kIso[] = {
      {"UPDATE_CONT", "R/PT1S"}, {"DAILY", "R/P1D"},     {"WEEKLY", "R/P1W"},
      {"BIWEEKLY", "R/P2W"},     {"MONTHLY", "R/P1M"},   {"BIMONTHLY", "R/P2M"},
      {"QUARTERLY", "R/P3M"},    {"ANNUAL_2", "R/P6M"},  {"ANNUAL", "R/P1Y"},
      {"BIENNIAL", "R/P2Y"},     {"TRIENNIAL", "R/P3Y"}, {"QUINQUENNIAL", "R/P5Y"},
      {"IRREG", "irregular"}};
  for (const auto& [code, iso] : kIso)
    if (std::strcmp(code, c->code) == 0) return iso;
  return "";
}

DataJsonWriter::DataJsonWriter(const SiteInfo& site, const CatalogLookup& lookup, Sink sink)
    : site_(site), lookup_(lookup), sink_(std::move(sink)) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  field(w, "@context", "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld");
  field(w, "@id", site_.base_url + "/data.json");
  field(w, "@type", "dcat:Catalog");
  field(w, "conformsTo", "https://project-open-data.cio.gov/v1.1/schema");
  field(w, "describedBy", "https://project-open-data.cio.gov/v1.1/schema/catalog.json");
  w.Key("dataset");
  w.StartArray();
  w.EndArray();
  w.EndObject();
  // Everything up to the array's '[': the datasets follow, then "]}".
  std::string_view opening(b.GetString(), b.GetSize());
  sink_(opening.substr(0, opening.size() - 2));
}

void DataJsonWriter::add(const catalog::Dataset& d) {
  if (!catalog::is_public(d)) return;
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  field(w, "@type", "dcat:Dataset");
  field(w, "identifier", d.id);
  field(w, "title", d.title);
  field(w, "description", d.notes.empty() ? d.title : catalog::source_text(d.notes));
  // DCAT-US requires at least one keyword; a record without tags offers its categories.
  w.Key("keyword");
  w.StartArray();
  std::size_t keywords = 0;
  for (const auto& t : d.tags) {
    str(w, t);
    ++keywords;
  }
  std::vector<std::string> themes;
  for (const auto& g : d.groups) {
    const catalog::Group* group = lookup_.group(g);
    themes.push_back(group && !group->title.empty() ? group->title : g);
  }
  if (keywords == 0)
    for (const auto& t : themes) str(w, t);
  w.EndArray();
  field(w, "modified", iso_date(d.modified, d.metadata_modified));
  field(w, "issued", iso_date(d.issued, d.metadata_created));
  const catalog::Organization* org = lookup_.organization(d.owner_org);
  if (org) {
    w.Key("publisher");
    w.StartObject();
    field(w, "@type", "org:Organization");
    field(w, "name", org->title.empty() ? org->name : org->title);
    w.EndObject();
  }
  w.Key("contactPoint");
  w.StartObject();
  field(w, "@type", "vcard:Contact");
  // fn is required: the maintainer, else the organization's title or (untitled) name.
  std::string fn = d.maintainer;
  if (fn.empty() && org) fn = !org->title.empty() ? org->title : org->name;
  field(w, "fn", !fn.empty() ? fn : site_.title);
  if (d.maintainer_email.find('@') != std::string::npos)
    field(w, "hasEmail", "mailto:" + d.maintainer_email);
  w.EndObject();
  field(w, "accessLevel", "public");
  for (const auto& l : catalog::known_licenses())
    if (l.id == d.license_id && d.license_id != "notspecified")
      field(w, "license", l.url.empty() ? site_.base_url + "/license/" + l.id : l.url);
  field(w, "landingPage", catalog::is_valid_url(d.url) ? d.url : dataset_url(site_, d));
  field(w, "accrualPeriodicity", iso8601_frequency(d.frequency));
  field(w, "spatial", d.spatial);
  if (!d.temporal.empty()) {
    std::string t(catalog::trim(d.temporal));
    for (char& c : t)
      if (c == '~') c = '/';
    field(w, "temporal", t);
  }
  w.Key("language");
  w.StartArray();
  w.String("ko");
  w.EndArray();
  if (!themes.empty()) {
    w.Key("theme");
    w.StartArray();
    for (const auto& t : themes) str(w, t);
    w.EndArray();
  }
  w.Key("distribution");
  w.StartArray();
  for (const auto& r : d.resources) {
    if (!catalog::is_valid_url(r.url)) continue;
    w.StartObject();
    field(w, "@type", "dcat:Distribution");
    bool service = catalog::to_lower_ascii(r.format) == "api" || d.type == "api";
    field(w, service ? "accessURL" : "downloadURL", r.url);
    std::string media = media_type_of(r);
    if (!service) field(w, "mediaType", media);
    field(w, "format", r.format);
    field(w, "title", r.name);
    field(w, "description", catalog::source_text(r.description));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  if (written_ > 0) sink_(",");
  sink_(std::string_view(b.GetString(), b.GetSize()));
  ++written_;
}

void DataJsonWriter::finish() { sink_("]}"); }

}  // namespace datamap::api::formats
