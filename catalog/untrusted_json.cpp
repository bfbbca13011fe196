#include "catalog/untrusted_json.h"

#include <rapidjson/error/en.h>

namespace datamap::catalog {

std::string JsonError::message() const {
  return reason + " at byte " + std::to_string(offset);
}

JsonError json_error(rapidjson::ParseErrorCode code, std::size_t offset, bool too_deep,
                     std::size_t max_depth) {
  JsonError e;
  e.offset = offset;
  e.too_deep = too_deep;
  e.reason = too_deep ? "JSON nested deeper than " + std::to_string(max_depth) + " levels"
                      : std::string(rapidjson::GetParseError_En(code));
  return e;
}

std::optional<JsonError> parse_untrusted_json(std::string_view text, rapidjson::Document& doc,
                                              std::size_t max_depth) {
  doc.SetNull();
  SaxOutcome outcome;
  // Populate runs the handler events into the document and keeps the root only when the
  // generator succeeds; on failure the partial values are dropped with the parse stack.
  auto generate = [&](rapidjson::Document& handler) {
    outcome = parse_untrusted_json_sax(text, handler, max_depth);
    return !outcome.error && !outcome.stopped;
  };
  doc.Populate(generate);
  return outcome.error;
}

std::optional<JsonError> check_untrusted_json(std::string_view text, std::size_t max_depth) {
  rapidjson::BaseReaderHandler<> ignore;
  return parse_untrusted_json_sax(text, ignore, max_depth).error;
}

}  // namespace datamap::catalog
