// Test helper: parses Turtle or RDF/XML text with raptor2 into N-Triples-like lines
// ("<s> <p> <o>", "<s> <p> \"text\"@ko"), so tests can assert what a consumer would read.
#pragma once

#include <raptor2.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <string>

namespace datamap::testing {

// N-Triples-like, but literals keep their UTF-8 (raptor_term_to_string writes \\u escapes).
inline std::string term_text(raptor_term* t) {
  if (t->type == RAPTOR_TERM_TYPE_LITERAL) {
    // Appends one piece at a time: g++ 12 warns falsely (-Wrestrict) on "x" + std::string.
    std::string out(1, '"');
    out.append(reinterpret_cast<const char*>(t->value.literal.string), t->value.literal.string_len);
    out.push_back('"');
    if (t->value.literal.language) {
      out.push_back('@');
      out.append(reinterpret_cast<const char*>(t->value.literal.language));
    }
    if (t->value.literal.datatype) {
      out.append("^^<");
      out.append(reinterpret_cast<const char*>(raptor_uri_as_string(t->value.literal.datatype)));
      out.push_back('>');
    }
    return out;
  }
  unsigned char* s = raptor_term_to_string(t);
  std::string out(reinterpret_cast<char*>(s));
  raptor_free_memory(s);
  return out;
}

inline std::set<std::string> parse_triples(const std::string& text, const char* syntax) {
  struct WorldFree {
    void operator()(raptor_world* w) const { raptor_free_world(w); }
  };
  struct ParserFree {
    void operator()(raptor_parser* p) const { raptor_free_parser(p); }
  };
  struct UriFree {
    void operator()(raptor_uri* u) const { raptor_free_uri(u); }
  };
  std::unique_ptr<raptor_world, WorldFree> world(raptor_new_world());
  raptor_world_open(world.get());
  std::unique_ptr<raptor_parser, ParserFree> parser(raptor_new_parser(world.get(), syntax));
  std::set<std::string> triples;
  raptor_parser_set_statement_handler(parser.get(), &triples, [](void* data, raptor_statement* st) {
    static_cast<std::set<std::string>*>(data)->insert(term_text(st->subject) + " " +
                                                      term_text(st->predicate) + " " +
                                                      term_text(st->object));
  });
  std::unique_ptr<raptor_uri, UriFree> base(
      raptor_new_uri(world.get(), reinterpret_cast<const unsigned char*>("http://base.invalid/")));
  if (raptor_parser_parse_start(parser.get(), base.get()) != 0 ||
      raptor_parser_parse_chunk(parser.get(), reinterpret_cast<const unsigned char*>(text.data()),
                                text.size(), 1) != 0)
    throw std::runtime_error(std::string("raptor2 could not parse the ") + syntax);
  return triples;
}

}  // namespace datamap::testing
