// search/query_parser: q and fq as anonymous callers send them, then the query builder that turns
// the tree into a Xapian query (both modes: q is lenient about unknown fields, fq strict).
// Syntax errors must be BadRequest ("Search Query Error", 400).
#include <xapian.h>

#include "catalog/errors.h"
#include "fuzz/fuzz_support.h"
#include "search/query_builder.h"
#include "search/query_parser.h"
#include "search/synonyms.h"

namespace {

const datamap::search::SynonymTable& synonyms() {
  static const datamap::search::SynonymTable table = [] {
    datamap::search::SynonymTable t;
    t.load_curated(DATAMAP_SOURCE_DIR "/data/search/synonyms.txt");
    return t;
  }();
  return table;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace datamap::search;
  auto [q, fq] = datamap::fuzz::split_two(datamap::fuzz::as_text(data, size));
  QueryBuilder builder(synonyms());
  try {
    QueryNode q_tree = parse_query(q, &is_query_field, true);
    (void)builder.build_q(q_tree, false).match.get_description();
    (void)builder.build_q(q_tree, true).match.get_description();
  } catch (const datamap::BadRequest&) {
  }
  try {
    QueryNode fq_tree = parse_query(fq, &is_query_field, false);
    if (fq_tree.kind != QueryNode::Kind::All) (void)builder.build_filter(fq_tree).get_description();
  } catch (const datamap::BadRequest&) {
  }
  return 0;
}
