#include "api/formats/dcat.h"

#include <cctype>

#include "api/formats/vocabularies.h"
#include "catalog/licenses.h"
#include "catalog/text.h"
#include "catalog/validation.h"

namespace datamap::api::formats {
namespace {

using catalog::Dataset;
using catalog::Resource;
using N = RdfNode;

std::string xsd(const char* local) { return std::string(ns::kXsd) + local; }

std::string extra(const catalog::KeyValues& extras, std::initializer_list<const char*> keys) {
  for (const char* key : keys)
    for (const auto& [k, v] : extras)
      if (k == key && !catalog::trim(v).empty()) return std::string(catalog::trim(v));
  return "";
}

// A literal tagged with the language its text is in ("ko" for Hangul, "en" for Latin).
N tagged(const std::string& text) {
  std::string t(catalog::trim(text));
  return N::text(t, language_of(t));
}

// ISO 8601 as the matching XSD type: 2024 -> gYear, 2024-05 -> gYearMonth, 2024-05-01 -> date,
// with a time -> dateTime. Anything else is not a date, and the property is left out.
N date_literal(const std::string& raw) {
  std::string v(catalog::trim(raw));
  if (v.size() > 10 && v[10] == ' ') v[10] = 'T';
  if (v.empty() || !catalog::is_iso8601(v)) return N::text("");
  if (v.size() == 4) return N::typed(v, xsd("gYear"));
  if (v.size() == 7) return N::typed(v, xsd("gYearMonth"));
  if (v.size() == 10) return N::typed(v, xsd("date"));
  return N::typed(v, xsd("dateTime"));
}

// Enough of an address to be a mailto: IRI: one '@' with text on both sides, nothing IRIs forbid.
bool plausible_email(const std::string& e) {
  auto at = e.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= e.size() || e.find('@', at + 1) != std::string::npos)
    return false;
  for (unsigned char c : e)
    if (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '\\' || c == '`') return false;
  return true;
}

bool is_iri_safe(const std::string& url) {
  if (!catalog::is_valid_url(url)) return false;
  for (unsigned char c : url)  // characters Turtle's IRIREF and RDF/XML attributes cannot carry
    if (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' ||
        c == '\\' || c == '^' || c == '`')
      return false;
  return true;
}

void add_concept(RdfDoc& doc, const N& node, const std::string& scheme, const Concept& c) {
  if (!doc.describe_once(node, "skos:Concept")) return;
  doc.add(node, "skos:prefLabel", N::text(c.label_en, "en"));
  doc.add(node, "skos:prefLabel", N::text(c.label_ko, "ko"));
  doc.add(node, "skos:notation", N::text(c.code));
  doc.add(node, "skos:inScheme", N::iri(scheme));
}

void add_publisher(RdfDoc& doc, const N& subject, const catalog::Organization& o,
                   const SiteInfo& site) {
  N agent = N::iri(organization_url(site, o));
  doc.add(subject, "dct:publisher", agent);
  if (!doc.describe_once(agent, "foaf:Agent")) return;
  doc.add_type(agent, "foaf:Organization");
  doc.add(agent, "foaf:name", tagged(o.title.empty() ? o.name : o.title));
  doc.add(agent, "dct:identifier", N::text(o.code));
}

void add_contact(RdfDoc& doc, const N& dataset, const Dataset& d,
                 const catalog::Organization* org) {
  std::string name = d.maintainer.empty() ? (org ? org->title : "") : d.maintainer;
  if (name.empty() && d.maintainer_email.empty() && d.maintainer_phone.empty()) return;
  N contact = N::iri(dataset.value + "#contact");
  doc.add(dataset, "dcat:contactPoint", contact);
  doc.add_type(contact, "vcard:Kind");
  doc.add_type(contact, "vcard:Organization");
  doc.add(contact, "vcard:fn", tagged(name));
  if (plausible_email(d.maintainer_email))
    doc.add(contact, "vcard:hasEmail", N::iri("mailto:" + d.maintainer_email));
  std::string phone;
  for (char c : d.maintainer_phone)  // "`02-2100-1234" as data.go.kr writes it -> tel:02-2100-1234
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+') phone.push_back(c);
  if (!phone.empty()) {
    N tel = doc.new_blank();
    doc.add(contact, "vcard:hasTelephone", tel);
    doc.add_type(tel, "vcard:Voice");
    doc.add(tel, "vcard:hasValue", N::iri("tel:" + phone));
  }
}

// The license document: its canonical URL when it has one, else a page under the catalog.
N add_license(RdfDoc& doc, const std::string& license_id, const SiteInfo& site) {
  if (license_id.empty() || license_id == "notspecified") return N::iri("");
  const catalog::License* known = nullptr;
  for (const auto& l : catalog::known_licenses())
    if (l.id == license_id) known = &l;
  N license = N::iri(known && !known->url.empty() ? known->url
                                                  : site.base_url + "/license/" + license_id);
  if (doc.describe_once(license, "dct:LicenseDocument")) {
    doc.add(license, "dct:title", tagged(known ? known->title : license_id));
    doc.add(license, "dct:identifier", N::text(license_id));
  }
  return license;
}

void add_themes(RdfDoc& doc, const N& dataset, const Dataset& d, const CatalogLookup& lookup,
                const SiteInfo& site) {
  for (const std::string& name : d.groups) {
    const catalog::Group* g = lookup.group(name);
    std::string title = g && !g->title.empty() ? g->title : name;
    if (const Concept* c = theme_concept(title)) {
      N theme = N::iri(std::string(kEuDataTheme) + "/" + c->code);
      doc.add(dataset, "dcat:theme", theme);
      add_concept(doc, theme, kEuDataTheme, *c);
    }
    // The catalog's own category too, so no information is lost in the EU mapping.
    N own = N::iri(group_url(site, name));
    doc.add(dataset, "dcat:theme", own);
    if (doc.describe_once(own, "skos:Concept")) {
      doc.add(own, "skos:prefLabel", tagged(title));
      doc.add(own, "skos:inScheme", N::iri(site.base_url + "/group"));
    }
  }
}

void add_period(RdfDoc& doc, const N& dataset, const std::string& temporal) {
  std::string t(catalog::trim(temporal));
  if (t.empty()) return;
  N period = doc.new_blank();
  doc.add(dataset, "dct:temporal", period);
  doc.add_type(period, "dct:PeriodOfTime");
  std::size_t cut = t.find_first_of("~/");
  if (cut != std::string::npos) {
    N start = date_literal(t.substr(0, cut));
    N end = date_literal(t.substr(cut + 1));
    if (!start.value.empty() || !end.value.empty()) {
      doc.add(period, "dcat:startDate", start);
      doc.add(period, "dcat:endDate", end);
      return;
    }
  }
  doc.add(period, std::string(ns::kRdfs) + "label", tagged(t));
}

void add_distribution(RdfDoc& doc, const N& dataset, const Dataset& d, const Resource& r,
                      const N& license, const SiteInfo& site) {
  N dist = N::iri(dataset_url(site, d) + "/resource/" + r.id);
  doc.add(dataset, "dcat:distribution", dist);
  doc.add_type(dist, "dcat:Distribution");
  bool has_url = is_iri_safe(r.url);
  std::string access = has_url ? r.url : (is_iri_safe(d.url) ? d.url : dataset_url(site, d));
  doc.add(dist, "dcat:accessURL", N::iri(access));
  // A file (not an API page) is downloadable at its URL.
  bool is_service = catalog::to_lower_ascii(r.format) == "api" || d.type == "api";
  if (has_url && !is_service) doc.add(dist, "dcat:downloadURL", N::iri(r.url));
  doc.add(dist, "dct:title", tagged(r.name));
  doc.add(dist, "dct:description", tagged(catalog::source_text(r.description)));
  const FileFormat* ff = file_format_of(r);
  if (ff && *ff->eu_file_type) {
    N type = N::iri(std::string(kEuFileType) + ff->eu_file_type);
    doc.add(dist, "dct:format", type);
    if (doc.describe_once(type, "dct:MediaTypeOrExtent"))
      doc.add(type, std::string(ns::kRdfs) + "label", N::text(ff->name));
  } else if (!r.format.empty()) {  // a format the EU table lacks (HWP): a described node
    N type = doc.new_blank();
    doc.add(dist, "dct:format", type);
    doc.add_type(type, "dct:MediaTypeOrExtent");
    doc.add(type, std::string(ns::kRdfs) + "label", N::text(r.format));
  }
  std::string media = media_type_of(r);
  if (!media.empty() && media.find('/') != std::string::npos && is_iri_safe(kIanaMediaTypes + media)) {
    N mt = N::iri(kIanaMediaTypes + media);
    doc.add(dist, "dcat:mediaType", mt);
    doc.describe_once(mt, "dct:MediaType");
  }
  if (r.size >= 0)
    doc.add(dist, "dcat:byteSize", N::typed(std::to_string(r.size), xsd("nonNegativeInteger")));
  if (!license.value.empty()) doc.add(dist, "dct:license", license);
  doc.add(dist, "dct:issued", date_literal(r.created));
  doc.add(dist, "dct:modified", date_literal(r.last_modified));
}

}  // namespace

std::string catalog_iri(const SiteInfo& site) { return site.base_url + "/catalog"; }

void add_dcat_dataset(RdfDoc& doc, const Dataset& d, const CatalogLookup& lookup,
                      const SiteInfo& site) {
  N s = N::iri(dataset_url(site, d));
  doc.add_type(s, "dcat:Dataset");
  doc.add(s, "dct:identifier", N::text(d.id));
  if (!d.source_key.empty() && d.source_key != d.id) {
    N id = doc.new_blank();
    doc.add(s, "adms:identifier", id);
    doc.add_type(id, "adms:Identifier");
    doc.add(id, "skos:notation", N::text(d.source_key));
  }
  doc.add(s, "dct:title", tagged(d.title));
  doc.add(s, "dct:title", N::text(extra(d.extras, {"title_en", "title@en", "dct:title@en"}), "en"));
  doc.add(s, "dct:description", tagged(d.notes.empty() ? d.title : catalog::source_text(d.notes)));
  doc.add(s, "dct:description",
          N::text(extra(d.extras, {"notes_en", "description_en", "dct:description@en"}), "en"));
  for (const std::string& tag : d.tags) doc.add(s, "dcat:keyword", tagged(tag));

  const catalog::Organization* org = lookup.organization(d.owner_org);
  if (org) add_publisher(doc, s, *org, site);
  add_contact(doc, s, d, org);
  add_themes(doc, s, d, lookup, site);

  N landing = N::iri(is_iri_safe(d.url) ? d.url : dataset_url(site, d));
  doc.add(s, "dcat:landingPage", landing);
  doc.describe_once(landing, "foaf:Document");

  doc.add(s, "dct:issued", date_literal(d.issued.empty() ? d.metadata_created : d.issued));
  doc.add(s, "dct:modified", date_literal(d.modified.empty() ? d.metadata_modified : d.modified));
  if (const Concept* f = frequency_concept(d.frequency)) {
    N freq = N::iri(std::string(kEuFrequency) + f->code);
    doc.add(s, "dct:accrualPeriodicity", freq);
    if (doc.describe_once(freq, "dct:Frequency")) {
      doc.add(freq, "skos:prefLabel", N::text(f->label_en, "en"));
      doc.add(freq, "skos:prefLabel", N::text(f->label_ko, "ko"));
    }
  }
  N korean = N::iri(std::string(kEuLanguage) + "KOR");
  doc.add(s, "dct:language", korean);
  doc.describe_once(korean, "dct:LinguisticSystem");
  if (!catalog::trim(d.spatial).empty()) {
    N place = doc.new_blank();
    doc.add(s, "dct:spatial", place);
    doc.add_type(place, "dct:Location");
    doc.add(place, "skos:prefLabel", tagged(d.spatial));
  }
  add_period(doc, s, d.temporal);
  doc.add(s, "dcat:version", N::text(d.version));

  // DCAT-AP puts the licence on distributions; CKAN-style consumers (and our harvester) read
  // the dataset's, so it goes on both.
  N license = add_license(doc, d.license_id, site);
  doc.add(s, "dct:license", license);
  for (const Resource& r : d.resources) add_distribution(doc, s, d, r, license, site);
}

void add_dcat_catalog(RdfDoc& doc, const std::vector<Dataset>& datasets,
                      const CatalogLookup& lookup, const SiteInfo& site, const HydraPage* paging) {
  N c = N::iri(catalog_iri(site));
  doc.add_type(c, "dcat:Catalog");
  doc.add(c, "dct:title", tagged(site.title));
  doc.add(c, "dct:description", tagged(site.description));
  N publisher = N::iri(site.base_url + "/#publisher");
  doc.add(c, "dct:publisher", publisher);
  doc.add_type(publisher, "foaf:Agent");
  doc.add(publisher, "foaf:name", tagged(site.title));
  N home = N::iri(site.base_url + "/");
  doc.add(c, "foaf:homepage", home);
  doc.describe_once(home, "foaf:Document");
  N korean = N::iri(std::string(kEuLanguage) + "KOR");
  doc.add(c, "dct:language", korean);
  doc.describe_once(korean, "dct:LinguisticSystem");
  doc.add(c, "dct:modified", date_literal(site.modified));
  N eu_themes = N::iri(kEuDataTheme);
  doc.add(c, "dcat:themeTaxonomy", eu_themes);
  doc.add_type(eu_themes, "skos:ConceptScheme");
  doc.add(eu_themes, "dct:title", N::text("Data theme", "en"));
  N own_themes = N::iri(site.base_url + "/group");
  doc.add(c, "dcat:themeTaxonomy", own_themes);
  doc.add_type(own_themes, "skos:ConceptScheme");
  doc.add(own_themes, "dct:title", N::text("분류체계", "ko"));
  for (const Dataset& d : datasets) {
    doc.add(c, "dcat:dataset", N::iri(dataset_url(site, d)));
    add_dcat_dataset(doc, d, lookup, site);
  }
  if (paging) {
    N page = N::iri(paging->this_page);
    auto hydra = [](const char* local) { return std::string(ns::kHydra) + local; };
    doc.add_type(page, hydra("PagedCollection"));
    doc.add(page, hydra("totalItems"),
            N::typed(std::to_string(paging->total_items), xsd("integer")));
    doc.add(page, hydra("itemsPerPage"),
            N::typed(std::to_string(paging->items_per_page), xsd("integer")));
    doc.add(page, hydra("firstPage"), N::iri(paging->first));
    doc.add(page, hydra("lastPage"), N::iri(paging->last));
    doc.add(page, hydra("nextPage"), N::iri(paging->next));
    doc.add(page, hydra("previousPage"), N::iri(paging->previous));
  }
}

}  // namespace datamap::api::formats
