// What every portal page knows about the request it answers: language, where it is (for the
// language switch and links back), who is signed in to the console, and where the assets are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace datamap::api::portal {

using Params = std::vector<std::pair<std::string, std::string>>;

enum class Lang { ko, en };

// Korean first: every text the portal writes is given in both languages at the point of use.
// The result is text (escaped when written to Html), never markup.
inline std::string_view tr(Lang lang, std::string_view ko, std::string_view en) {
  return lang == Lang::en ? en : ko;
}

class StaticFiles;

struct PageContext {
  Lang lang = Lang::ko;
  std::string path;    // the request path, e.g. "/dataset"
  Params query;        // the request's query parameters, in order
  std::string site_title = "datamap";
  std::string base_url;  // "http://host:port" as the client addressed us (absolute links in JSON-LD)
  std::optional<std::string> user_name;  // signed in to the console
  std::string csrf_token;                // hidden field of console forms
  const StaticFiles* assets = nullptr;
  std::string map_tiles_url;  // [site] map_tiles_url: tiles beneath point maps, or ""

  // First value of a query parameter, or "".
  std::string param(std::string_view name) const;
  std::vector<std::string> params(std::string_view name) const;
};

}  // namespace datamap::api::portal
