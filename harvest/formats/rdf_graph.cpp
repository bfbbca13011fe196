#include "harvest/formats/rdf_graph.h"

#include <raptor2/raptor2.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>

#include "catalog/text.h"
#include "harvest/formats/xml_nesting.h"

namespace datamap::harvest {

void RdfGraph::add(const RdfTerm& subject, std::string predicate, RdfTerm object) {
  auto [it, inserted] = subjects_.try_emplace(subject.key());
  if (inserted) order_.push_back(subject.key());
  it->second.emplace_back(std::move(predicate), std::move(object));
  ++triples_;
}

const RdfGraph::Properties* RdfGraph::properties(const std::string& subject_key) const {
  auto it = subjects_.find(subject_key);
  return it == subjects_.end() ? nullptr : &it->second;
}

std::vector<const RdfTerm*> RdfGraph::objects(const std::string& subject_key,
                                              std::string_view predicate) const {
  std::vector<const RdfTerm*> out;
  if (const auto* props = properties(subject_key))
    for (const auto& [p, o] : *props)
      if (p == predicate) out.push_back(&o);
  return out;
}

const RdfTerm* RdfGraph::first(const std::string& subject_key, std::string_view predicate) const {
  if (const auto* props = properties(subject_key))
    for (const auto& [p, o] : *props)
      if (p == predicate) return &o;
  return nullptr;
}

std::vector<std::string> RdfGraph::subjects_of_type(std::string_view type_iri) const {
  std::vector<std::string> out;
  for (const auto& key : order_) {
    for (const auto& [p, o] : subjects_.at(key))
      if (p == rdf::kType && o.is_node() && o.value == type_iri) {
        out.push_back(key);
        break;
      }
  }
  return out;
}

RdfSyntax detect_rdf_syntax(std::string_view content_type, std::string_view head) {
  std::string ct = catalog::to_lower_ascii(content_type);
  if (ct.find("rdf+xml") != std::string::npos) return RdfSyntax::kRdfXml;
  if (ct.find("turtle") != std::string::npos || ct.find("n3") != std::string::npos)
    return RdfSyntax::kTurtle;
  if (ct.find("ld+json") != std::string::npos) return RdfSyntax::kJsonLd;
  std::string_view h = catalog::trim(head);
  if (h.empty()) return RdfSyntax::kUnknown;
  if (h.front() == '<') {
    // Turtle may start with an IRI "<http://...> a dcat:Dataset"; XML starts with "<?" or a tag.
    if (h.size() > 1 && (h[1] == '?' || h[1] == '!' || std::isalpha(static_cast<unsigned char>(h[1]))))
      return h.rfind("<http", 0) == 0 ? RdfSyntax::kTurtle : RdfSyntax::kRdfXml;
    return RdfSyntax::kTurtle;
  }
  if (h.front() == '{' || h.front() == '[') return RdfSyntax::kJsonLd;
  return RdfSyntax::kTurtle;
}

namespace rdf {
std::string compact(std::string_view iri) {
  static const std::pair<const char*, const char*> prefixes[] = {
      {"dcat:", kDcat},
      {"dct:", kDct},
      {"foaf:", kFoaf},
      {"vcard:", kVcard},
      {"hydra:", kHydra},
      {"skos:", kSkos},
      {"schema:", kSchema},
      {"adms:", "http://www.w3.org/ns/adms#"},
      {"dcatapit:", "http://dati.gov.it/onto/dcatapit#"},
      {"locn:", "http://www.w3.org/ns/locn#"},
      {"owl:", "http://www.w3.org/2002/07/owl#"},
      {"rdfs:", "http://www.w3.org/2000/01/rdf-schema#"},
      {"dc:", "http://purl.org/dc/elements/1.1/"},
      {"prov:", "http://www.w3.org/ns/prov#"},
      {"spdx:", "http://spdx.org/rdf/terms#"},
      {"odrl:", "http://www.w3.org/ns/odrl/2/"},
      {"dcatap:", "http://data.europa.eu/r5r/"},
  };
  for (const auto& [prefix, ns] : prefixes) {
    std::string_view n(ns);
    if (iri.size() > n.size() && iri.substr(0, n.size()) == n)
      return std::string(prefix) + std::string(iri.substr(n.size()));
  }
  return std::string(iri);
}
}  // namespace rdf

namespace {

struct WorldDeleter {
  void operator()(raptor_world* w) const { raptor_free_world(w); }
};
struct ParserDeleter {
  void operator()(raptor_parser* p) const { raptor_free_parser(p); }
};
struct UriDeleter {
  void operator()(raptor_uri* u) const { raptor_free_uri(u); }
};
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

struct ParseState {
  RdfGraph* graph;
  std::string error;
};

std::string uri_text(raptor_uri* u) {
  std::size_t len = 0;
  const unsigned char* s = raptor_uri_as_counted_string(u, &len);
  return std::string(reinterpret_cast<const char*>(s), len);
}

RdfTerm to_term(const raptor_term* t) {
  RdfTerm out;
  switch (t->type) {
    case RAPTOR_TERM_TYPE_URI:
      out.kind = RdfTerm::Kind::kIri;
      out.value = uri_text(t->value.uri);
      break;
    case RAPTOR_TERM_TYPE_BLANK:
      out.kind = RdfTerm::Kind::kBlank;
      out.value.assign(reinterpret_cast<const char*>(t->value.blank.string),
                       t->value.blank.string_len);
      break;
    case RAPTOR_TERM_TYPE_LITERAL:
      out.kind = RdfTerm::Kind::kLiteral;
      out.value.assign(reinterpret_cast<const char*>(t->value.literal.string),
                       t->value.literal.string_len);
      if (t->value.literal.language)
        out.lang.assign(reinterpret_cast<const char*>(t->value.literal.language),
                        t->value.literal.language_len);
      if (t->value.literal.datatype) out.datatype = uri_text(t->value.literal.datatype);
      break;
    default:
      break;
  }
  return out;
}

void on_statement(void* user, raptor_statement* st) {
  auto* state = static_cast<ParseState*>(user);
  if (!st->subject || !st->predicate || !st->object) return;
  RdfTerm s = to_term(st->subject);
  RdfTerm p = to_term(st->predicate);
  RdfTerm o = to_term(st->object);
  if (o.kind == RdfTerm::Kind::kLiteral && catalog::is_valid_utf8(o.value))
    o.value = catalog::to_nfc(o.value);
  state->graph->add(s, std::move(p.value), std::move(o));
}

void on_log(void* user, raptor_log_message* m) {
  auto* state = static_cast<ParseState*>(user);
  if (m->level < RAPTOR_LOG_LEVEL_ERROR || !state->error.empty()) return;
  state->error = m->text ? m->text : "RDF syntax error";
  if (m->locator && m->locator->line > 0)
    state->error += " (line " + std::to_string(m->locator->line) + ")";
}

}  // namespace

std::string parse_jsonld_text(std::string_view text, const std::string& base_uri, RdfGraph& graph);

namespace {

// raptor2 over chunks from `next_chunk` (returns the bytes read, 0 at the end). The one place
// RDF text enters raptor2: RDF/XML passes the nesting guard chunk by chunk before raptor2 sees
// it (xml_nesting.h says why).
std::string parse_with_raptor(
    RdfSyntax syntax, const std::string& base_uri, RdfGraph& graph,
    const std::function<std::size_t(unsigned char*, std::size_t)>& next_chunk) {
  std::unique_ptr<raptor_world, WorldDeleter> world(raptor_new_world());
  if (!world || raptor_world_open(world.get()) != 0) return "cannot start raptor2";
  ParseState state{&graph, ""};
  raptor_world_set_log_handler(world.get(), &state, on_log);
  const char* name = syntax == RdfSyntax::kRdfXml ? "rdfxml" : "turtle";
  std::unique_ptr<raptor_parser, ParserDeleter> parser(raptor_new_parser(world.get(), name));
  if (!parser) return std::string("no raptor2 parser for ") + name;
  // The document must not make us fetch or read anything else (SSRF / XXE).
  raptor_parser_set_option(parser.get(), RAPTOR_OPTION_NO_NET, nullptr, 1);
  raptor_parser_set_option(parser.get(), RAPTOR_OPTION_NO_FILE, nullptr, 1);
  raptor_parser_set_option(parser.get(), RAPTOR_OPTION_LOAD_EXTERNAL_ENTITIES, nullptr, 0);
  raptor_parser_set_statement_handler(parser.get(), &state, on_statement);
  std::string base = base_uri.empty() ? "http://localhost/" : base_uri;
  std::unique_ptr<raptor_uri, UriDeleter> uri(
      raptor_new_uri(world.get(), reinterpret_cast<const unsigned char*>(base.c_str())));
  if (!uri) return "bad base URI " + base;
  if (raptor_parser_parse_start(parser.get(), uri.get()) != 0)
    return state.error.empty() ? "cannot start parsing" : state.error;
  std::optional<XmlNestingGuard> guard;
  if (syntax == RdfSyntax::kRdfXml) guard.emplace();
  std::vector<unsigned char> buf(1 << 16);
  int rc = 0;
  for (;;) {
    std::size_t n = next_chunk(buf.data(), buf.size());
    bool end = n < buf.size();
    if (guard) {
      if (auto refused = guard->feed({reinterpret_cast<const char*>(buf.data()), n}))
        return refused->message();
    }
    rc = raptor_parser_parse_chunk(parser.get(), buf.data(), n, end ? 1 : 0);
    if (rc != 0 || end || !state.error.empty()) break;
  }
  if (rc != 0 || !state.error.empty()) {
    if (state.error.empty()) return "RDF syntax error";
    // raptor2's Turtle grammar says "memory exhausted" when its parser stack is full (measured:
    // about 5,000 levels of [ ] or 10,000 of ( )): the document's nesting, not the server's memory.
    if (syntax == RdfSyntax::kTurtle && state.error.rfind("memory exhausted", 0) == 0)
      return "Turtle nested too deeply for the parser (" + state.error + ")";
    return state.error;
  }
  return "";
}

}  // namespace

std::string parse_rdf_file(const std::string& path, RdfSyntax syntax, const std::string& base_uri,
                           RdfGraph& graph) {
  if (syntax == RdfSyntax::kJsonLd) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "cannot read " + path;
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_jsonld_text(ss.str(), base_uri, graph);
  }
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) return "cannot read " + path;
  return parse_with_raptor(syntax, base_uri, graph, [&](unsigned char* buf, std::size_t size) {
    return std::fread(buf, 1, size, f.get());
  });
}

std::string parse_rdf_text(std::string_view text, RdfSyntax syntax, const std::string& base_uri,
                           RdfGraph& graph) {
  if (syntax == RdfSyntax::kJsonLd) return parse_jsonld_text(text, base_uri, graph);
  std::size_t pos = 0;
  return parse_with_raptor(syntax, base_uri, graph, [&](unsigned char* buf, std::size_t size) {
    std::size_t n = std::min(size, text.size() - pos);
    std::memcpy(buf, text.data() + pos, n);
    pos += n;
    return n;
  });
}

}  // namespace datamap::harvest
