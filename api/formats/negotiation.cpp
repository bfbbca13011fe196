#include "api/formats/negotiation.h"

#include <cstdlib>
#include <vector>

#include "catalog/text.h"

namespace datamap::api::formats {
namespace {

struct MediaRange {
  std::string type;  // lower case, "text/turtle", "text/*", "*/*"
  double q = 1.0;
};

std::vector<MediaRange> parse_accept(std::string_view accept) {
  std::vector<MediaRange> out;
  std::size_t pos = 0;
  while (pos <= accept.size() && out.size() < 64) {  // a header of 10,000 ranges is not a client
    std::size_t comma = accept.find(',', pos);
    std::string_view part = accept.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    std::size_t semi = part.find(';');
    MediaRange r;
    r.type = catalog::to_lower_ascii(catalog::trim(part.substr(0, semi)));
    while (semi != std::string_view::npos) {
      std::size_t next = part.find(';', semi + 1);
      std::string_view param = catalog::trim(part.substr(semi + 1, next == std::string_view::npos ? std::string_view::npos : next - semi - 1));
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
        r.q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
      semi = next;
    }
    if (!r.type.empty()) out.push_back(r);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

// The q the header gives `type` (exact match beats type/* beats */*), 0 when not acceptable.
double quality(const std::vector<MediaRange>& ranges, const std::string& type, bool wildcards) {
  double exact = -1, partial = -1, any = -1;
  std::string major = type.substr(0, type.find('/')) + "/*";
  for (const auto& r : ranges) {
    if (r.type == type) exact = std::max(exact, r.q);
    else if (wildcards && r.type == major) partial = std::max(partial, r.q);
    else if (wildcards && r.type == "*/*") any = std::max(any, r.q);
  }
  if (exact >= 0) return exact;
  if (partial >= 0) return partial;
  return any >= 0 ? any : 0;
}

}  // namespace

std::optional<RdfSyntax> preferred_rdf_syntax(std::string_view accept) {
  auto ranges = parse_accept(accept);
  struct Candidate {
    const char* type;
    RdfSyntax syntax;
  };
  static const Candidate kCandidates[] = {{"text/turtle", RdfSyntax::kTurtle},
                                          {"application/x-turtle", RdfSyntax::kTurtle},
                                          {"application/rdf+xml", RdfSyntax::kRdfXml},
                                          {"application/ld+json", RdfSyntax::kJsonLd}};
  // Only named RDF types count: "*/*" is what browsers and curl send, and they get HTML.
  double best_rdf = 0;
  std::optional<RdfSyntax> best;
  for (const auto& c : kCandidates) {
    double q = quality(ranges, c.type, false);
    if (q > best_rdf) {
      best_rdf = q;
      best = c.syntax;
    }
  }
  if (!best) return std::nullopt;
  double html = std::max(quality(ranges, "text/html", false),
                         quality(ranges, "application/xhtml+xml", false));
  return best_rdf > html ? best : std::nullopt;
}

std::optional<Negotiated> negotiate_dataset(const HttpRequest& request) {
  constexpr std::string_view kPrefix = "/dataset/";
  std::string_view path = request.path;
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = path.substr(kPrefix.size());
  if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
  Negotiated n;
  constexpr std::string_view kSchema = ".schema.json";
  if (rest.size() > kSchema.size() && rest.substr(rest.size() - kSchema.size()) == kSchema) {
    n.kind = Representation::kSchemaOrg;
    n.name = std::string(rest.substr(0, rest.size() - kSchema.size()));
    return n;
  }
  std::size_t dot = rest.rfind('.');
  if (dot != std::string_view::npos && dot > 0) {
    RdfSyntax syntax;
    if (rdf_syntax_from_extension(rest.substr(dot + 1), syntax)) {
      n.kind = Representation::kRdf;
      n.syntax = syntax;
      n.name = std::string(rest.substr(0, dot));
      return n;
    }
  }
  n.name = std::string(rest);
  if (auto syntax = preferred_rdf_syntax(request.header("accept").value_or(""))) {
    n.kind = Representation::kRdf;
    n.syntax = *syntax;
  }
  return n;
}

bool dataset_wants_formats(const HttpRequest& request) {
  auto n = negotiate_dataset(request);
  return n && n->kind != Representation::kHtml;
}

}  // namespace datamap::api::formats
