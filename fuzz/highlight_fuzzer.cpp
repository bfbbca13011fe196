// The HTML that search results and portal pages build from dataset text anyone with a token can
// write: search/highlight.h's snippet marker (escape, then <em> around matches, cut to a window
// of UTF-8 characters), the portal's HTML escaping and the JSON embedded in <script>.
// Input: "term term ...\ntext". The output must never contain a '<' that is not our own <em>.
#include <sstream>
#include <string>
#include <unordered_set>

#include "api/portal/html.h"
#include "fuzz/fuzz_support.h"
#include "search/analysis.h"
#include "search/highlight.h"

namespace {

// Every '<' in the snippet opens <em> or </em>: the text's own markup was escaped.
bool only_our_tags(const std::string& html) {
  for (std::size_t i = html.find('<'); i != std::string::npos; i = html.find('<', i + 1)) {
    std::string_view rest = std::string_view(html).substr(i);
    if (rest.substr(0, 4) != "<em>" && rest.substr(0, 5) != "</em>") return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto [term_line, text] = datamap::fuzz::split_two(datamap::fuzz::as_text(data, size));
  std::unordered_set<std::string> terms;
  std::istringstream words{std::string(term_line)};
  for (std::string w; words >> w;) terms.insert(w);
  for (const auto& token : datamap::search::tokenize(term_line))
    for (const auto& term : datamap::search::index_terms(token)) terms.insert(term);
  for (std::size_t max_chars : {std::size_t{160}, std::size_t{7}}) {
    std::string snippet = datamap::search::highlight(text, terms, max_chars);
    if (!only_our_tags(snippet)) __builtin_trap();
  }
  if (datamap::api::portal::escape_html(text).find('<') != std::string::npos) __builtin_trap();
  if (datamap::search::html_escape(text).find('<') != std::string::npos) __builtin_trap();
  std::string script = datamap::api::portal::json_for_script(text);
  if (script.find('<') != std::string::npos) __builtin_trap();
  return 0;
}
