// JSON-LD to triples, for DCAT catalogs as portals publish them (ckanext-dcat, piveau, Socrata):
// a @context of prefixes and term definitions (@id, @type: @id, @container), @graph, nested
// node objects, value objects, @list / @set. Remote contexts are never fetched; well-known
// prefixes are built in instead. Keys the context cannot expand are dropped, as JSON-LD says.
#include <rapidjson/document.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "catalog/text.h"
#include "catalog/untrusted_json.h"
#include "harvest/formats/rdf_graph.h"
#include "net/url.h"

namespace datamap::harvest {
namespace {

using rapidjson::Value;

struct TermDef {
  std::string iri;
  bool type_id = false;  // "@type": "@id" / "@vocab": string values are IRIs
  std::string datatype;
  std::string language;
};

struct Context {
  std::map<std::string, TermDef> terms;  // includes prefixes (term -> namespace IRI)
  std::string vocab;
  std::string base;
  std::string language;
};

const std::map<std::string, std::string>& builtin_prefixes() {
  static const std::map<std::string, std::string> p = {
      {"dcat", rdf::kDcat},
      {"dct", rdf::kDct},
      {"dcterms", rdf::kDct},
      {"foaf", rdf::kFoaf},
      {"vcard", rdf::kVcard},
      {"hydra", rdf::kHydra},
      {"skos", rdf::kSkos},
      {"schema", rdf::kSchema},
      {"xsd", rdf::kXsd},
      {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
      {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
      {"adms", "http://www.w3.org/ns/adms#"},
      {"locn", "http://www.w3.org/ns/locn#"},
      {"owl", "http://www.w3.org/2002/07/owl#"},
      {"spdx", "http://spdx.org/rdf/terms#"},
      {"dcatapit", "http://dati.gov.it/onto/dcatapit#"},
      {"org", "http://www.w3.org/ns/org#"},
      {"pod", "https://project-open-data.cio.gov/v1.1/schema#"},
  };
  return p;
}

bool is_absolute_iri(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    char c = s[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'))
      return false;
  }
  return true;
}

class JsonLdReader {
 public:
  JsonLdReader(RdfGraph& graph, std::string base) : graph_(graph) { root_.base = std::move(base); }

  void read_document(const Value& doc) {
    Context ctx = root_;
    if (doc.IsArray()) {
      for (const auto& n : doc.GetArray()) read_top(n, ctx);
    } else {
      read_top(doc, ctx);
    }
  }

 private:
  void read_top(const Value& v, const Context& parent) {
    if (!v.IsObject()) return;
    Context ctx = parent;
    if (auto c = v.FindMember("@context"); c != v.MemberEnd()) apply_context(c->value, ctx);
    auto g = v.FindMember("@graph");
    if (g != v.MemberEnd()) {
      bool only_graph = true;  // {"@context", "@graph"}: the wrapper is not a node itself
      for (const auto& m : v.GetObject()) {
        std::string_view k(m.name.GetString(), m.name.GetStringLength());
        if (k != "@context" && k != "@graph") only_graph = false;
      }
      if (!only_graph) read_node(v, ctx);
      if (g->value.IsArray())
        for (const auto& n : g->value.GetArray()) read_node(n, ctx);
      else
        read_node(g->value, ctx);
      return;
    }
    read_node(v, ctx);
  }

  void apply_context(const Value& c, Context& ctx) {
    if (c.IsArray()) {
      for (const auto& item : c.GetArray()) apply_context(item, ctx);
      return;
    }
    if (c.IsString()) {
      // A remote context is not fetched. data.json's context names DCAT-US terms; map them.
      std::string url(c.GetString(), c.GetStringLength());
      if (url.find("project-open-data") != std::string::npos) add_dcat_us_terms(ctx);
      return;
    }
    if (!c.IsObject()) return;
    for (const auto& m : c.GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      if (key == "@vocab" && m.value.IsString()) {
        ctx.vocab = m.value.GetString();
      } else if (key == "@base" && m.value.IsString()) {
        ctx.base = net::resolve_url(ctx.base, m.value.GetString());
      } else if (key == "@language" && m.value.IsString()) {
        ctx.language = m.value.GetString();
      } else if (key.empty() || key[0] == '@') {
        continue;
      } else if (m.value.IsString()) {
        ctx.terms[key] = TermDef{expand_iri(m.value.GetString(), ctx, true), false, "", ""};
      } else if (m.value.IsObject()) {
        TermDef def;
        auto id = m.value.FindMember("@id");
        def.iri = id != m.value.MemberEnd() && id->value.IsString()
                      ? expand_iri(id->value.GetString(), ctx, true)
                      : expand_iri(key, ctx, true);
        auto type = m.value.FindMember("@type");
        if (type != m.value.MemberEnd() && type->value.IsString()) {
          std::string t = type->value.GetString();
          if (t == "@id" || t == "@vocab")
            def.type_id = true;
          else
            def.datatype = expand_iri(t, ctx, true);
        }
        auto lang = m.value.FindMember("@language");
        if (lang != m.value.MemberEnd() && lang->value.IsString()) def.language = lang->value.GetString();
        ctx.terms[key] = def;
      }
    }
  }

  static void add_dcat_us_terms(Context& ctx) {
    auto term = [&](const char* name, std::string iri, bool id = false) {
      ctx.terms.emplace(name, TermDef{std::move(iri), id, "", ""});
    };
    std::string dcat = rdf::kDcat, dct = rdf::kDct, foaf = rdf::kFoaf, vcard = rdf::kVcard;
    term("dataset", dcat + "dataset");
    term("title", dct + "title");
    term("description", dct + "description");
    term("keyword", dcat + "keyword");
    term("modified", dct + "modified");
    term("issued", dct + "issued");
    term("publisher", dct + "publisher");
    term("contactPoint", dcat + "contactPoint");
    term("identifier", dct + "identifier");
    term("accessLevel", "https://project-open-data.cio.gov/v1.1/schema#accessLevel");
    term("license", dct + "license", true);
    term("rights", dct + "rights");
    term("spatial", dct + "spatial");
    term("temporal", dct + "temporal");
    term("distribution", dcat + "distribution");
    term("accrualPeriodicity", dct + "accrualPeriodicity");
    term("landingPage", dcat + "landingPage", true);
    term("theme", dcat + "theme");
    term("downloadURL", dcat + "downloadURL", true);
    term("accessURL", dcat + "accessURL", true);
    term("mediaType", dcat + "mediaType");
    term("format", dct + "format");
    term("name", foaf + "name");
    term("fn", vcard + "fn");
    term("hasEmail", vcard + "hasEmail", true);
    term("language", dct + "language");
  }

  std::string expand_iri(std::string_view s, const Context& ctx, bool vocab) const {
    std::string str(s);
    if (str.rfind("_:", 0) == 0) return str;
    if (vocab) {
      auto t = ctx.terms.find(str);
      if (t != ctx.terms.end()) return t->second.iri;
    }
    auto colon = str.find(':');
    if (colon != std::string::npos && str.compare(colon + 1, 2, "//") != 0) {
      std::string prefix = str.substr(0, colon);
      auto t = ctx.terms.find(prefix);
      if (t != ctx.terms.end()) return t->second.iri + str.substr(colon + 1);
      auto b = builtin_prefixes().find(prefix);
      if (b != builtin_prefixes().end()) return b->second + str.substr(colon + 1);
    }
    if (is_absolute_iri(str)) return str;
    if (vocab) return ctx.vocab.empty() ? "" : ctx.vocab + str;
    return ctx.base.empty() ? str : net::resolve_url(ctx.base, str);
  }

  RdfTerm node_term(const std::string& id) {
    RdfTerm t;
    if (id.rfind("_:", 0) == 0) {
      t.kind = RdfTerm::Kind::kBlank;
      t.value = id.substr(2);
    } else {
      t.kind = RdfTerm::Kind::kIri;
      t.value = id;
    }
    return t;
  }

  // Reads a node object; returns its term (a fresh blank node when it has no @id).
  RdfTerm read_node(const Value& v, const Context& parent) {
    Context ctx = parent;
    if (auto c = v.FindMember("@context"); c != v.MemberEnd()) apply_context(c->value, ctx);
    RdfTerm self;
    auto id = v.FindMember("@id");
    if (id != v.MemberEnd() && id->value.IsString())
      self = node_term(expand_iri(id->value.GetString(), ctx, false));
    else
      self = node_term("_:jl" + std::to_string(++blank_counter_));
    if (!v.IsObject()) return self;
    for (const auto& m : v.GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      if (key == "@type") {
        auto add_type = [&](const Value& t) {
          if (!t.IsString()) return;
          std::string iri = expand_iri(t.GetString(), ctx, true);
          if (!iri.empty()) graph_.add(self, rdf::kType, node_term(iri));
        };
        if (m.value.IsArray())
          for (const auto& t : m.value.GetArray()) add_type(t);
        else
          add_type(m.value);
        continue;
      }
      if (key == "@graph") {
        if (m.value.IsArray())
          for (const auto& n : m.value.GetArray()) read_node(n, ctx);
        continue;
      }
      if (key.empty() || key[0] == '@') continue;
      std::string predicate = expand_iri(key, ctx, true);
      if (predicate.empty() || predicate.rfind("_:", 0) == 0) continue;  // not expandable: drop
      const TermDef* def = nullptr;
      if (auto t = ctx.terms.find(key); t != ctx.terms.end()) def = &t->second;
      read_values(self, predicate, m.value, def, ctx);
    }
    return self;
  }

  void read_values(const RdfTerm& subject, const std::string& predicate, const Value& v,
                   const TermDef* def, const Context& ctx) {
    if (v.IsNull()) return;
    if (v.IsArray()) {
      for (const auto& item : v.GetArray()) read_values(subject, predicate, item, def, ctx);
      return;
    }
    if (v.IsObject()) {
      if (auto list = v.FindMember("@list"); list != v.MemberEnd()) {
        read_values(subject, predicate, list->value, def, ctx);
        return;
      }
      if (auto set = v.FindMember("@set"); set != v.MemberEnd()) {
        read_values(subject, predicate, set->value, def, ctx);
        return;
      }
      if (auto value = v.FindMember("@value"); value != v.MemberEnd()) {
        RdfTerm lit;
        lit.kind = RdfTerm::Kind::kLiteral;
        lit.value = scalar_text(value->value);
        if (auto l = v.FindMember("@language"); l != v.MemberEnd() && l->value.IsString())
          lit.lang = l->value.GetString();
        if (auto t = v.FindMember("@type"); t != v.MemberEnd() && t->value.IsString())
          lit.datatype = expand_iri(t->value.GetString(), ctx, true);
        graph_.add(subject, predicate, std::move(lit));
        return;
      }
      graph_.add(subject, predicate, read_node(v, ctx));
      return;
    }
    if (v.IsString() && def && def->type_id) {
      graph_.add(subject, predicate, node_term(expand_iri(v.GetString(), ctx, false)));
      return;
    }
    RdfTerm lit;
    lit.kind = RdfTerm::Kind::kLiteral;
    lit.value = scalar_text(v);
    if (v.IsString()) {
      lit.lang = def && !def->language.empty() ? def->language : ctx.language;
      if (def) lit.datatype = def->datatype;
    } else if (v.IsBool()) {
      lit.datatype = std::string(rdf::kXsd) + "boolean";
    } else if (v.IsNumber()) {
      lit.datatype = std::string(rdf::kXsd) + (v.IsDouble() ? "double" : "integer");
    }
    graph_.add(subject, predicate, std::move(lit));
  }

  static std::string scalar_text(const Value& v) {
    if (v.IsString()) {
      std::string s(v.GetString(), v.GetStringLength());
      return catalog::is_valid_utf8(s) ? catalog::to_nfc(s) : std::string();
    }
    if (v.IsBool()) return v.GetBool() ? "true" : "false";
    if (v.IsInt64()) return std::to_string(v.GetInt64());
    if (v.IsUint64()) return std::to_string(v.GetUint64());
    if (v.IsDouble()) {
      std::ostringstream ss;
      ss << v.GetDouble();
      return ss.str();
    }
    return "";
  }

  RdfGraph& graph_;
  Context root_;
  long blank_counter_ = 0;
};

}  // namespace

std::string parse_jsonld_text(std::string_view input, const std::string& base_uri,
                              RdfGraph& graph) {
  if (input.substr(0, 3) == "\xEF\xBB\xBF") input.remove_prefix(3);
  rapidjson::Document doc;
  if (auto error = catalog::parse_untrusted_json(input, doc)) return "JSON-LD: " + error->message();
  if (!doc.IsObject() && !doc.IsArray()) return "JSON-LD: the document is not an object or array";
  JsonLdReader(graph, base_uri).read_document(doc);
  return "";
}

}  // namespace datamap::harvest
