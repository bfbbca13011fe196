#include "catalog/import/format.h"

#include <map>
#include <mutex>
#include <set>

#include "catalog/import/ckan_reader.h"
#include "catalog/import/datago_reader.h"
#include "catalog/text.h"
#include "catalog/untrusted_json.h"

namespace datamap::catalog::importer {
namespace {

// Collects the top-level keys of a JSON object, or the keys of an array's first element, and
// stops as soon as the shape is clear (a 25 MB package list is not parsed just to name it).
struct ShapeProbe : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ShapeProbe> {
  int depth = 0;
  bool top_is_array = false;
  bool top_is_object = false;
  bool done = false;
  std::set<std::string> keys;

  bool Default() { return after_value(); }
  bool String(const char*, rapidjson::SizeType, bool) { return after_value(); }
  bool StartObject() {
    if (depth == 0) top_is_object = true;
    ++depth;
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    // Keys of the top object (depth 1) or of the first element of a top array (depth 2).
    if ((top_is_object && depth == 1) || (top_is_array && depth == 2)) {
      keys.emplace(s, n);
      if (top_is_object && decisive(keys)) return stop();
    }
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    --depth;
    if (depth == 0 || (top_is_array && depth == 1)) return stop();
    return after_value();
  }
  bool StartArray() {
    if (depth == 0) top_is_array = true;
    ++depth;
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    --depth;
    if (depth == 0) return stop();
    return after_value();
  }
  bool after_value() {
    if (top_is_array && depth == 1) return stop();  // first element was not an object
    return true;
  }
  bool stop() {
    done = true;
    return false;
  }
  static bool decisive(const std::set<std::string>& k) {
    for (const char* key : {"result", "results", "success", "dataset", "conformsTo", "@graph"})
      if (k.count(key)) return true;
    return false;
  }
};

Format json_shape(std::string_view text) {
  ShapeProbe probe;
  // Only the shape matters here: a syntax error or a refusal (too deep) after the keys that
  // decide it leaves the verdict to the reader, which reports it.
  parse_untrusted_json_sax<rapidjson::kParseStopWhenDoneFlag>(text, probe);
  const auto& k = probe.keys;
  auto has = [&](const char* key) { return k.count(key) > 0; };
  if (probe.top_is_object) {
    if (has("result") || has("results") || has("success")) return Format::ckan_json;
    if (has("dataset") || has("conformsTo")) return Format::datajson;
    if (has("@graph") || has("@context")) return Format::jsonld;
    if (has("name") || has("title") || has("id")) return Format::ckan_json;
    return Format::unknown;
  }
  if (probe.top_is_array) {
    if (has("@id") || has("@type")) return Format::jsonld;
    if (has("accessLevel") || (has("identifier") && !has("name"))) return Format::datajson;
    return Format::ckan_json;  // an array of package dicts (or an empty array)
  }
  return Format::unknown;
}

// `ckanapi dump` writes one complete package object per line.
bool looks_like_jsonl(std::string_view text) {
  std::size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return false;
  std::string_view first = trim(text.substr(0, nl));
  if (first.size() < 2 || first.front() != '{' || first.back() != '}') return false;
  std::string_view rest = trim(text.substr(nl + 1));
  if (rest.empty() || rest.front() != '{') return false;
  return !check_untrusted_json(first);
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && to_lower_ascii(s.substr(0, prefix.size())) == prefix;
}

std::string_view skip_comments_and_space(std::string_view s) {
  for (;;) {
    s = trim(s);
    if (s.empty() || s.front() != '#') return s;
    std::size_t nl = s.find('\n');
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
  }
}

struct Registry {
  std::mutex mutex;
  std::map<Format, Reader> readers;
  Registry() {
    readers[Format::datago_csv] = read_datago_csv;
    readers[Format::ckan_json] = read_ckan_json;
    readers[Format::ckan_jsonl] = read_ckan_jsonl;
  }
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

const char* format_name(Format f) {
  switch (f) {
    case Format::unknown:
      return "unknown";
    case Format::datago_csv:
      return "data.go.kr list CSV";
    case Format::ckan_json:
      return "CKAN JSON";
    case Format::ckan_jsonl:
      return "CKAN JSON lines (ckanapi dump)";
    case Format::datajson:
      return "DCAT-US data.json";
    case Format::rdf_xml:
      return "DCAT RDF/XML";
    case Format::turtle:
      return "DCAT Turtle";
    case Format::jsonld:
      return "DCAT JSON-LD";
  }
  return "unknown";
}

Format detect_format(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return Format::unknown;
  if (s.front() == '{' || s.front() == '[') {
    if (s.front() == '{' && looks_like_jsonl(s)) return Format::ckan_jsonl;
    return json_shape(s);
  }
  if (s.front() == '<') {
    std::string_view head = s.substr(0, 4096);
    if (head.find("rdf:RDF") != std::string_view::npos ||
        head.find("http://www.w3.org/1999/02/22-rdf-syntax-ns#") != std::string_view::npos)
      return Format::rdf_xml;
    if (starts_with_ci(s, "<http")) return Format::turtle;  // Turtle may open with a <subject>
    return Format::unknown;
  }
  std::string_view t = skip_comments_and_space(s);
  if (starts_with_ci(t, "@prefix") || starts_with_ci(t, "@base") || starts_with_ci(t, "prefix ") ||
      starts_with_ci(t, "base "))
    return Format::turtle;
  std::string_view first_line = s.substr(0, s.find_first_of("\r\n"));
  if (first_line.find(',') != std::string_view::npos) return Format::datago_csv;
  return Format::unknown;
}

void register_reader(Format f, Reader reader) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.readers[f] = std::move(reader);
}

Reader find_reader(Format f) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.readers.find(f);
  return it == r.readers.end() ? Reader() : it->second;
}

}  // namespace datamap::catalog::importer
