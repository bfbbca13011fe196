#include "harvest/formats/dcat.h"

#include <algorithm>
#include <initializer_list>
#include <set>

#include "catalog/ids.h"
#include "catalog/licenses.h"
#include "catalog/text.h"
#include "catalog/validation.h"
#include "harvest/formats/json_fields.h"

namespace datamap::harvest {
namespace {

std::string dcat(const char* local) { return std::string(rdf::kDcat) + local; }
std::string dct(const char* local) { return std::string(rdf::kDct) + local; }
std::string foaf(const char* local) { return std::string(rdf::kFoaf) + local; }
std::string vcard(const char* local) { return std::string(rdf::kVcard) + local; }

// The literal to show: Korean first, then untagged, then English, then whatever comes first.
// Other languages' values are kept in extras as "<name>@<lang>".
std::string pick_literal(const RdfGraph& g, const std::string& s, const std::string& predicate,
                         catalog::KeyValues* extras) {
  std::vector<const RdfTerm*> lits;
  for (const RdfTerm* o : g.objects(s, predicate))
    if (o->kind == RdfTerm::Kind::kLiteral && !catalog::trim(o->value).empty()) lits.push_back(o);
  if (lits.empty()) return "";
  const RdfTerm* best = lits.front();
  for (const char* lang : {"ko", "", "en"}) {
    auto it = std::find_if(lits.begin(), lits.end(), [&](const RdfTerm* t) {
      return catalog::to_lower_ascii(t->lang).rfind(lang, 0) == 0 && (*lang || t->lang.empty());
    });
    if (it != lits.end()) {
      best = *it;
      break;
    }
  }
  if (extras)
    for (const RdfTerm* t : lits)
      if (t != best)
        set_extra(*extras, rdf::compact(predicate) + (t->lang.empty() ? "" : "@" + t->lang),
                  std::string(catalog::trim(t->value)));
  return std::string(catalog::trim(best->value));
}

// A human label for a node: its name or label if it has one, else its IRI.
std::string node_label(const RdfGraph& g, const RdfTerm& t) {
  if (t.kind == RdfTerm::Kind::kLiteral) return std::string(catalog::trim(t.value));
  for (const std::string& p : {foaf("name"), std::string(rdf::kSkos) + "prefLabel", vcard("fn"),
                               dct("title"), std::string("http://www.w3.org/2000/01/rdf-schema#label")}) {
    std::string l = pick_literal(g, t.key(), p, nullptr);
    if (!l.empty()) return l;
  }
  return t.kind == RdfTerm::Kind::kIri ? t.value : "";
}

// A vCard property's value: the IRI or literal itself (<mailto:a@b>, "a@b"), or, when it is a
// node (a vcard:Email / vcard:Voice), that node's vcard:hasValue (vCard 4, DCAT-AP) or
// vcard:value (older profiles).
std::string vcard_value(const RdfGraph& g, const RdfTerm& t) {
  if (t.kind == RdfTerm::Kind::kLiteral) return std::string(catalog::trim(t.value));
  for (const char* p : {"hasValue", "value"})
    for (const RdfTerm* v : g.objects(t.key(), vcard(p)))
      if (v->kind != RdfTerm::Kind::kBlank && !catalog::trim(v->value).empty())
        return std::string(catalog::trim(v->value));
  return t.kind == RdfTerm::Kind::kIri ? t.value : "";
}

// The text of a node for a temporal / spatial field.
std::string period_text(const RdfGraph& g, const RdfTerm& t) {
  if (t.kind == RdfTerm::Kind::kLiteral) return std::string(catalog::trim(t.value));
  std::string start, end;
  for (const std::string& p : {dcat("startDate"), std::string(rdf::kSchema) + "startDate"})
    if (start.empty()) start = pick_literal(g, t.key(), p, nullptr);
  for (const std::string& p : {dcat("endDate"), std::string(rdf::kSchema) + "endDate"})
    if (end.empty()) end = pick_literal(g, t.key(), p, nullptr);
  if (!start.empty() || !end.empty()) return start + "/" + end;
  return node_label(g, t);
}

std::string last_segment(std::string_view iri) {
  std::string s(iri);
  while (!s.empty() && (s.back() == '/' || s.back() == '#')) s.pop_back();
  auto cut = s.find_last_of("/#");
  return cut == std::string::npos ? s : s.substr(cut + 1);
}

// The name a CKAN-style portal gives an entity in its IRIs: ".../dataset/air-quality" ->
// "air-quality" when the segment before it is one of `collections` and the name is a valid one
// (ckanext-dcat and our own /catalog.ttl write such IRIs); "" otherwise.
std::string name_in_iri(std::string_view iri, std::initializer_list<const char*> collections) {
  std::string s(iri);
  auto query = s.find_first_of("?#");
  if (query != std::string::npos) s.resize(query);
  while (!s.empty() && s.back() == '/') s.pop_back();
  auto cut = s.rfind('/');
  if (cut == std::string::npos || cut == 0) return "";
  std::string name = s.substr(cut + 1);
  auto before = s.rfind('/', cut - 1);
  if (before == std::string::npos) return "";
  std::string collection = s.substr(before + 1, cut - before - 1);
  for (const char* c : collections)
    if (collection == c && catalog::is_valid_name(name)) return name;
  return "";
}

// The first IRI (or IRI-looking literal) of a predicate.
std::string first_iri(const RdfGraph& g, const std::string& s, const std::string& predicate) {
  for (const RdfTerm* o : g.objects(s, predicate)) {
    if (o->kind == RdfTerm::Kind::kIri) return o->value;
    if (o->kind == RdfTerm::Kind::kLiteral && catalog::is_valid_url(catalog::trim(o->value)))
      return std::string(catalog::trim(o->value));
  }
  return "";
}

std::string license_of(const RdfGraph& g, const std::string& s, std::string& raw) {
  for (const RdfTerm* o : g.objects(s, dct("license"))) {
    std::string text = o->kind == RdfTerm::Kind::kIri ? o->value : node_label(g, *o);
    if (text.empty()) continue;
    raw = text;
    std::string id = catalog::license_from_text(text);
    if (id.empty() && o->is_node()) id = catalog::license_from_text(node_label(g, *o));
    if (id.empty() && o->is_node()) {  // DCAT-AP_IT: a LicenseDocument with dct:type / foaf:name
      std::string type = first_iri(g, o->key(), dct("type"));
      if (!type.empty()) id = catalog::license_from_text(type);
    }
    return id;
  }
  return "";
}

// Every property not mapped to a field, as extras "<compact predicate>" -> sorted values.
void keep_unmapped(const RdfGraph& g, const std::string& s, const std::set<std::string>& mapped,
                   catalog::KeyValues& extras) {
  const auto* props = g.properties(s);
  if (!props) return;
  std::map<std::string, std::set<std::string>> values;
  for (const auto& [p, o] : *props) {
    if (mapped.count(p) || p == rdf::kType) continue;
    std::string v = o.kind == RdfTerm::Kind::kBlank ? node_label(g, o) : o.value;
    v = std::string(catalog::trim(v));
    std::string key = rdf::compact(p);
    if (o.kind == RdfTerm::Kind::kLiteral && !o.lang.empty()) key += "@" + o.lang;
    if (!v.empty()) values[key].insert(v);
  }
  for (const auto& [key, set] : values) {
    std::string joined;
    for (const auto& v : set) joined += (joined.empty() ? "" : "\n") + v;
    set_extra(extras, key, joined);
  }
}

void set_date(std::string value, std::string& field, const std::string& key,
              catalog::KeyValues& extras) {
  if (value.empty()) return;
  if (catalog::is_iso8601(value))
    field = std::move(value);
  else
    set_extra(extras, key, value);
}

catalog::Resource map_distribution(const RdfGraph& g, const RdfTerm& node) {
  catalog::Resource r;
  std::string s = node.key();
  std::string url = first_iri(g, s, dcat("downloadURL"));
  if (url.empty()) url = first_iri(g, s, dcat("accessURL"));
  if (catalog::is_valid_url(url))
    r.url = url;
  else if (!url.empty())
    set_extra(r.extras, "url", url);
  r.name = pick_literal(g, s, dct("title"), &r.extras);
  r.description = pick_literal(g, s, dct("description"), &r.extras);
  if (const RdfTerm* media = g.first(s, dcat("mediaType"))) {
    std::string m = media->kind == RdfTerm::Kind::kIri ? media->value : node_label(g, *media);
    auto at = m.find("/media-types/");
    r.mimetype = at == std::string::npos ? m : m.substr(at + 13);
  }
  if (const RdfTerm* f = g.first(s, dct("format"))) {
    std::string text = f->kind == RdfTerm::Kind::kIri ? last_segment(f->value) : node_label(g, *f);
    if (f->kind == RdfTerm::Kind::kBlank) {
      std::string v = pick_literal(g, f->key(), "http://www.w3.org/1999/02/22-rdf-syntax-ns#value", nullptr);
      if (!v.empty()) text = v;
    }
    if (text.find('/') != std::string::npos) text = last_segment(text);
    r.format = text;
  }
  if (r.format.empty()) r.format = format_from_media_type(r.mimetype);
  for (char& c : r.format) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string size = pick_literal(g, s, dcat("byteSize"), nullptr);
  if (!size.empty()) {
    char* end = nullptr;
    long long n = std::strtoll(size.c_str(), &end, 10);
    if (end && *end == '\0' && n >= 0) r.size = n;
  }
  std::string license_raw;
  std::string license = license_of(g, s, license_raw);
  if (!license_raw.empty()) set_extra(r.extras, "license", license.empty() ? license_raw : license);
  if (node.kind == RdfTerm::Kind::kIri) set_extra(r.extras, "uri", node.value);
  static const std::set<std::string> mapped = {
      dcat("downloadURL"), dcat("accessURL"), dct("title"),  dct("description"),
      dcat("mediaType"),   dct("format"),     dcat("byteSize"), dct("license")};
  keep_unmapped(g, s, mapped, r.extras);
  if (r.url.empty() && !url.empty()) set_extra(r.extras, "url", url);
  return r;
}

HarvestItem map_dataset(const RdfGraph& g, const std::string& s) {
  HarvestItem item;
  catalog::Dataset& d = item.dataset;
  std::string identifier = pick_literal(g, s, dct("identifier"), &d.extras);
  bool blank = s.rfind("_:", 0) == 0;
  item.ref = !identifier.empty() ? identifier : blank ? "" : s;
  if (item.ref.empty())
    item.errors["identifier"].push_back("A dataset needs a dct:identifier or an IRI");
  d.source_key = item.ref;
  if (!blank) set_extra(d.extras, "uri", s);
  // The remote's own name, when its IRI carries one; the import stage falls back to a slug of
  // the title when it is missing or taken.
  if (!blank) d.name = name_in_iri(s, {"dataset", "datasets"});
  d.title = pick_literal(g, s, dct("title"), &d.extras);
  d.notes = pick_literal(g, s, dct("description"), &d.extras);
  std::vector<std::string> keywords;
  for (const RdfTerm* o : g.objects(s, dcat("keyword")))
    if (o->kind == RdfTerm::Kind::kLiteral) keywords.push_back(std::string(catalog::trim(o->value)));
  d.tags = as_set(std::move(keywords));
  set_date(pick_literal(g, s, dct("issued"), nullptr), d.issued, "dct:issued", d.extras);
  set_date(pick_literal(g, s, dct("modified"), nullptr), d.modified, "dct:modified", d.extras);
  std::string landing = first_iri(g, s, dcat("landingPage"));
  if (landing.empty()) landing = first_iri(g, s, foaf("page"));
  if (catalog::is_valid_url(landing)) d.url = landing;

  // A frequency concept the document describes gives its label (Korean first: "일간", as
  // portals like ours write it); a bare EU vocabulary IRI gives its code ("DAILY").
  if (const RdfTerm* freq = g.first(s, dct("accrualPeriodicity"))) {
    d.frequency = node_label(g, *freq);
    if (freq->kind == RdfTerm::Kind::kIri && d.frequency == freq->value)
      d.frequency = last_segment(freq->value);
  }
  if (const RdfTerm* sp = g.first(s, dct("spatial"))) d.spatial = period_text(g, *sp);
  if (const RdfTerm* tp = g.first(s, dct("temporal"))) d.temporal = period_text(g, *tp);

  std::string license_raw;
  d.license_id = license_of(g, s, license_raw);
  if (!license_raw.empty()) set_extra(d.extras, "license", license_raw);

  if (const RdfTerm* pub = g.first(s, dct("publisher"))) {
    catalog::Organization o;
    o.title = node_label(g, *pub);
    if (pub->is_node()) o.code = pick_literal(g, pub->key(), dct("identifier"), nullptr);
    std::string basis = !o.code.empty() ? o.code : o.title;
    o.name = catalog::slugify(basis);
    // A publisher without a code keeps the name its portal gives it (".../organization/moe"):
    // a Korean title has no ASCII to slug.
    if (o.code.empty() && pub->kind == RdfTerm::Kind::kIri) {
      std::string named = name_in_iri(pub->value, {"organization", "organizations"});
      if (!named.empty()) o.name = named;
    }
    if (o.name.empty() && !basis.empty()) o.name = "org-" + catalog::sha256_hex(basis).substr(0, 12);
    if (!o.name.empty()) item.organization = std::move(o);
  }
  if (const RdfTerm* cp = g.first(s, dcat("contactPoint"))) {
    d.maintainer = pick_literal(g, cp->key(), vcard("fn"), nullptr);
    if (const RdfTerm* email = g.first(cp->key(), vcard("hasEmail")))
      d.maintainer_email = strip_mailto(vcard_value(g, *email));
    if (const RdfTerm* tel = g.first(cp->key(), vcard("hasTelephone")))
      d.maintainer_phone = vcard_value(g, *tel);
    if (d.maintainer_phone.rfind("tel:", 0) == 0) d.maintainer_phone.erase(0, 4);
    if (cp->kind == RdfTerm::Kind::kIri && d.maintainer.empty())
      set_extra(d.extras, "dcat:contactPoint", cp->value);
  }
  std::vector<std::string> themes;
  for (const RdfTerm* t : g.objects(s, dcat("theme")))
    themes.push_back(t->kind == RdfTerm::Kind::kIri ? t->value : node_label(g, *t));
  themes = as_set(std::move(themes));
  if (!themes.empty()) {
    std::string joined;
    for (const auto& t : themes) joined += (joined.empty() ? "" : "\n") + t;
    set_extra(d.extras, "dcat:theme", joined);
  }
  // Distributions in a stable order (by URL, then IRI), whatever order the document lists them.
  std::vector<catalog::Resource> resources;
  std::set<std::string> seen;
  for (const RdfTerm* dist : g.objects(s, dcat("distribution"))) {
    if (!dist->is_node() || !seen.insert(dist->key()).second) continue;
    resources.push_back(map_distribution(g, *dist));
  }
  std::stable_sort(resources.begin(), resources.end(), [](const auto& a, const auto& b) {
    return a.url < b.url;
  });
  d.resources = std::move(resources);

  static const std::set<std::string> mapped = {
      dct("identifier"), dct("title"),     dct("description"),     dcat("keyword"),
      dct("issued"),     dct("modified"),  dcat("landingPage"),    foaf("page"),
      dct("accrualPeriodicity"), dct("spatial"), dct("temporal"), dct("license"),
      dct("publisher"),  dcat("contactPoint"), dcat("theme"),     dcat("distribution")};
  keep_unmapped(g, s, mapped, d.extras);
  return item;
}

}  // namespace

DcatPage read_dcat_graph(const RdfGraph& g, const ItemSink& sink) {
  DcatPage page;
  for (const std::string& s : g.subjects_of_type(dcat("Dataset"))) {
    ++page.datasets;
    if (!sink(map_dataset(g, s))) {
      page.stopped = true;
      return page;
    }
  }
  // Hydra: a PagedCollection (or PartialCollectionView) node names the next page.
  std::string hydra = rdf::kHydra;
  for (const char* type : {"PagedCollection", "PartialCollectionView", "Collection"}) {
    for (const std::string& s : g.subjects_of_type(hydra + type)) {
      for (const char* p : {"nextPage", "next"}) {
        std::string next = first_iri(g, s, hydra + p);
        if (!next.empty() && page.next_page.empty()) page.next_page = next;
      }
      std::string total = pick_literal(g, s, hydra + "totalItems", nullptr);
      if (!total.empty()) page.total_items = std::atoll(total.c_str());
    }
  }
  return page;
}

}  // namespace datamap::harvest
