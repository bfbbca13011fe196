#include "api/formats/rdf_serialize.h"

#include <raptor2.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <vector>

namespace datamap::api::formats {
namespace {

// ---- raptor2, every handle owned by a unique_ptr with its free function.
struct WorldFree {
  void operator()(raptor_world* w) const { raptor_free_world(w); }
};
struct SerializerFree {
  void operator()(raptor_serializer* s) const { raptor_free_serializer(s); }
};
struct IostreamFree {
  void operator()(raptor_iostream* s) const { raptor_free_iostream(s); }
};
struct UriFree {
  void operator()(raptor_uri* u) const { raptor_free_uri(u); }
};
struct StatementFree {
  void operator()(raptor_statement* s) const { raptor_free_statement(s); }
};
using World = std::unique_ptr<raptor_world, WorldFree>;
using Serializer = std::unique_ptr<raptor_serializer, SerializerFree>;
using Iostream = std::unique_ptr<raptor_iostream, IostreamFree>;
using Uri = std::unique_ptr<raptor_uri, UriFree>;
using Statement = std::unique_ptr<raptor_statement, StatementFree>;

const unsigned char* u8(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.c_str());
}

raptor_term* make_term(raptor_world* world, const RdfNode& n) {
  switch (n.kind) {
    case RdfNode::Kind::kIri:
      return raptor_new_term_from_uri_string(world, u8(n.value));
    case RdfNode::Kind::kBlank:
      return raptor_new_term_from_blank(world, u8(n.value));
    case RdfNode::Kind::kLiteral: {
      Uri datatype(n.datatype.empty() ? nullptr : raptor_new_uri(world, u8(n.datatype)));
      return raptor_new_term_from_counted_literal(
          world, u8(n.value), n.value.size(), datatype.get(),
          n.lang.empty() ? nullptr : u8(n.lang), static_cast<unsigned char>(n.lang.size()));
    }
  }
  return nullptr;
}

std::string with_raptor(const RdfDoc& doc, const char* serializer_name) {
  World world(raptor_new_world());
  if (!world || raptor_world_open(world.get()) != 0)
    throw std::runtime_error("raptor2: cannot open a world");
  Serializer serializer(raptor_new_serializer(world.get(), serializer_name));
  if (!serializer) throw std::runtime_error(std::string("raptor2: no serializer ") + serializer_name);
  for (const auto& [prefix, iri] : rdf_prefixes()) {
    Uri uri(raptor_new_uri(world.get(), u8(iri)));
    raptor_serializer_set_namespace(serializer.get(), uri.get(), u8(prefix));
  }
  void* bytes = nullptr;
  size_t length = 0;
  Iostream stream(raptor_new_iostream_to_string(world.get(), &bytes, &length, malloc));
  if (!stream) throw std::runtime_error("raptor2: cannot make an output stream");
  raptor_serializer_start_to_iostream(serializer.get(), nullptr, stream.get());
  for (const RdfTriple& t : doc.triples()) {
    raptor_term* s = make_term(world.get(), t.subject);
    raptor_term* p = raptor_new_term_from_uri_string(world.get(), u8(t.predicate));
    raptor_term* o = make_term(world.get(), t.object);
    // The statement takes ownership of the three terms.
    Statement statement(raptor_new_statement_from_nodes(world.get(), s, p, o, nullptr));
    if (!statement) throw std::runtime_error("raptor2: cannot make a statement");
    raptor_serializer_serialize_statement(serializer.get(), statement.get());
  }
  raptor_serializer_serialize_end(serializer.get());
  serializer.reset();  // flushes into `stream` before it goes
  stream.reset();      // hands the bytes over
  std::string out(static_cast<const char*>(bytes), length);
  free(bytes);
  return out;
}

// ---- JSON-LD: subjects in first-appearance order, each a node object of compact keys.
std::string compact_iri(const std::string& iri) {
  for (const auto& [prefix, base] : rdf_prefixes())
    if (iri.size() > base.size() && iri.compare(0, base.size(), base) == 0) {
      std::string local = iri.substr(base.size());
      if (local.find_first_of("/#?:") == std::string::npos) return prefix + ":" + local;
    }
  return iri;
}

std::string node_id(const RdfNode& n) {
  return n.kind == RdfNode::Kind::kBlank ? "_:" + n.value : n.value;
}

template <typename Writer>
void write_object(Writer& w, const RdfNode& o) {
  w.StartObject();
  if (o.kind == RdfNode::Kind::kLiteral) {
    w.Key("@value");
    w.String(o.value.c_str(), static_cast<rapidjson::SizeType>(o.value.size()));
    if (!o.lang.empty()) {
      w.Key("@language");
      w.String(o.lang.c_str());
    } else if (!o.datatype.empty()) {
      w.Key("@type");
      std::string dt = compact_iri(o.datatype);
      w.String(dt.c_str());
    }
  } else {
    w.Key("@id");
    std::string id = node_id(o);
    w.String(id.c_str(), static_cast<rapidjson::SizeType>(id.size()));
  }
  w.EndObject();
}

std::string to_jsonld(const RdfDoc& doc) {
  const std::string rdf_type = std::string(ns::kRdf) + "type";
  std::vector<std::string> order;
  // subject id -> (predicate -> objects), predicates in first-appearance order.
  std::map<std::string, std::vector<std::pair<std::string, std::vector<const RdfNode*>>>> nodes;
  for (const RdfTriple& t : doc.triples()) {
    std::string id = node_id(t.subject);
    auto [it, fresh] = nodes.try_emplace(id);
    if (fresh) order.push_back(id);
    auto& props = it->second;
    auto p = std::find_if(props.begin(), props.end(),
                          [&](const auto& e) { return e.first == t.predicate; });
    if (p == props.end()) {
      props.emplace_back(t.predicate, std::vector<const RdfNode*>{});
      p = props.end() - 1;
    }
    p->second.push_back(&t.object);
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("@context");
  w.StartObject();
  for (const auto& [prefix, iri] : rdf_prefixes()) {
    w.Key(prefix.c_str());
    w.String(iri.c_str());
  }
  w.EndObject();
  w.Key("@graph");
  w.StartArray();
  for (const std::string& id : order) {
    w.StartObject();
    w.Key("@id");
    w.String(id.c_str(), static_cast<rapidjson::SizeType>(id.size()));
    for (const auto& [predicate, objects] : nodes[id]) {
      if (predicate == rdf_type) {
        w.Key("@type");
        w.StartArray();
        for (const RdfNode* o : objects) {
          std::string c = compact_iri(o->value);
          w.String(c.c_str(), static_cast<rapidjson::SizeType>(c.size()));
        }
        w.EndArray();
        continue;
      }
      std::string key = compact_iri(predicate);
      w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
      w.StartArray();
      for (const RdfNode* o : objects) write_object(w, *o);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string serialize_rdf(const RdfDoc& doc, RdfSyntax syntax) {
  switch (syntax) {
    case RdfSyntax::kTurtle:
      return with_raptor(doc, "turtle");
    case RdfSyntax::kRdfXml:
      return with_raptor(doc, "rdfxml-abbrev");
    case RdfSyntax::kJsonLd:
      return to_jsonld(doc);
  }
  return "";
}

const char* rdf_media_type(RdfSyntax syntax) {
  switch (syntax) {
    case RdfSyntax::kTurtle:
      return "text/turtle";
    case RdfSyntax::kRdfXml:
      return "application/rdf+xml";
    case RdfSyntax::kJsonLd:
      return "application/ld+json";
  }
  return "";
}

const char* rdf_extension(RdfSyntax syntax) {
  switch (syntax) {
    case RdfSyntax::kTurtle:
      return "ttl";
    case RdfSyntax::kRdfXml:
      return "rdf";
    case RdfSyntax::kJsonLd:
      return "jsonld";
  }
  return "";
}

bool rdf_syntax_from_extension(std::string_view ext, RdfSyntax& out) {
  if (ext == "ttl") out = RdfSyntax::kTurtle;
  else if (ext == "rdf" || ext == "xml") out = RdfSyntax::kRdfXml;
  else if (ext == "jsonld") out = RdfSyntax::kJsonLd;
  else return false;
  return true;
}

}  // namespace datamap::api::formats
