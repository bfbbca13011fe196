#include "api/formats/schema_org.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "api/formats/json_fields.h"
#include "api/formats/vocabularies.h"
#include "catalog/licenses.h"
#include "catalog/text.h"
#include "catalog/validation.h"

namespace datamap::api::formats {
namespace {

using Writer = JsonWriter;

void str(Writer& w, const std::string& s) { write_string(w, s); }

void field(Writer& w, const char* key, const std::string& value) { write_nonempty(w, key, value); }

std::string license_url(const std::string& id, const SiteInfo& site) {
  if (id.empty() || id == "notspecified") return "";
  for (const auto& l : catalog::known_licenses())
    if (l.id == id) return l.url.empty() ? site.base_url + "/license/" + id : l.url;
  return "";
}

}  // namespace

std::string schema_org_json(const catalog::Dataset& d, const catalog::Organization* org,
                            const SiteInfo& site) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  const std::string page = dataset_url(site, d);
  w.StartObject();
  field(w, "@context", "https://schema.org/");
  field(w, "@type", "Dataset");
  field(w, "@id", page);
  field(w, "url", page);
  field(w, "name", d.title);
  for (const auto& [k, v] : d.extras)
    if (k == "title_en" || k == "title@en" || k == "dct:title@en") field(w, "alternateName", v);
  // Google wants a description of at least 50 characters; the title is all some records have.
  field(w, "description", d.notes.empty() ? d.title : d.notes);
  w.Key("identifier");
  w.StartArray();
  str(w, d.id);
  if (!d.source_key.empty() && d.source_key != d.id) str(w, d.source_key);
  w.EndArray();
  if (!d.tags.empty()) {
    w.Key("keywords");
    w.StartArray();
    for (const auto& t : d.tags) str(w, t);
    w.EndArray();
  }
  field(w, "inLanguage", "ko");
  field(w, "license", license_url(d.license_id, site));
  w.Key("isAccessibleForFree");
  w.Bool(true);
  if (org) {
    for (const char* role : {"creator", "publisher"}) {
      w.Key(role);
      w.StartObject();
      field(w, "@type", "Organization");
      field(w, "@id", organization_url(site, *org));
      field(w, "name", org->title.empty() ? org->name : org->title);
      field(w, "url", organization_url(site, *org));
      if (std::string(role) == "creator" &&
          (!d.maintainer.empty() || !d.maintainer_email.empty() || !d.maintainer_phone.empty())) {
        w.Key("contactPoint");
        w.StartObject();
        field(w, "@type", "ContactPoint");
        field(w, "contactType", "customer service");
        field(w, "name", d.maintainer);
        field(w, "email", d.maintainer_email);
        std::string phone;
        for (char c : d.maintainer_phone)
          if (c != '`') phone.push_back(c);
        field(w, "telephone", phone);
        w.EndObject();
      }
      w.EndObject();
    }
  }
  field(w, "datePublished", d.issued.empty() ? d.metadata_created : d.issued);
  field(w, "dateModified", d.modified.empty() ? d.metadata_modified : d.modified);
  if (!d.temporal.empty()) {
    std::string t(catalog::trim(d.temporal));
    for (char& c : t)
      if (c == '~') c = '/';  // "2019-01-01~2023-12-31" -> ISO 8601 interval
    field(w, "temporalCoverage", t);
  }
  if (!catalog::trim(d.spatial).empty()) {
    w.Key("spatialCoverage");
    w.StartObject();
    field(w, "@type", "Place");
    field(w, "name", d.spatial);
    w.EndObject();
  }
  field(w, "version", d.version);
  if (!d.columns.empty()) {
    w.Key("variableMeasured");
    w.StartArray();
    for (const auto& c : d.columns) {
      w.StartObject();
      field(w, "@type", "PropertyValue");
      field(w, "name", c.name);
      field(w, "description", c.description.empty() ? c.standard_term : c.description);
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("distribution");
  w.StartArray();
  for (const auto& r : d.resources) {
    if (!catalog::is_valid_url(r.url)) continue;
    w.StartObject();
    field(w, "@type", "DataDownload");
    field(w, "name", r.name);
    field(w, "description", r.description);
    std::string media = media_type_of(r);
    field(w, "encodingFormat", media.empty() ? r.format : media);
    field(w, "contentUrl", r.url);
    if (r.size >= 0) field(w, "contentSize", std::to_string(r.size) + " B");
    w.EndObject();
  }
  w.EndArray();
  w.Key("includedInDataCatalog");
  w.StartObject();
  field(w, "@type", "DataCatalog");
  field(w, "name", site.title);
  field(w, "url", site.base_url + "/");
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string schema_org_script_json(const catalog::Dataset& d,
                                   const catalog::Organization* organization,
                                   const SiteInfo& site) {
  std::string json = schema_org_json(d, organization, site);
  std::string out;
  out.reserve(json.size() + 32);
  for (char c : json) {
    if (c == '<')
      out += "\\u003c";  // '<' only ever occurs inside JSON strings, where \u003c means the same
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace datamap::api::formats
