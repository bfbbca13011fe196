// How pages get their data: through the same actions the API serves (api::call_action on the
// Registry, with the page's Caller), never through queries of their own. Optional sections (the
// map, search facets) use try_call, which treats "action not known / not enabled" as absent.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "api/action.h"

namespace datamap::api::portal {

// An action's input, built the way a JSON POST body would carry it.
class ActionParams {
 public:
  ActionParams();
  ActionParams& str(std::string_view name, std::string_view value);  // skipped when empty
  ActionParams& num(std::string_view name, std::int64_t value);
  ActionParams& boolean(std::string_view name, bool value);
  ActionParams& strings(std::string_view name, std::initializer_list<std::string_view> values);
  // Adds a JSON value given as text (e.g. a whole package dict); throws on invalid JSON.
  ActionParams& json(std::string_view name, std::string_view json_text);
  const rapidjson::Document& doc() const { return doc_; }
  rapidjson::Document& doc() { return doc_; }

 private:
  rapidjson::Document doc_;
};

class ActionClient {
 public:
  ActionClient(const Registry& registry, ActionContext& ctx) : registry_(registry), ctx_(ctx) {}

  // Runs the action; its typed errors (NotFound, ValidationError, ...) propagate.
  rapidjson::Document call(std::string_view name, const ActionParams& params);
  rapidjson::Document call(std::string_view name, const rapidjson::Value& params);
  // As call, but an action that is not registered or not enabled in this deployment (BadRequest),
  // or that does not know the thing asked about (NotFound: the map may not have taken in a
  // dataset created a moment ago), gives nullopt, so a page leaves that section out. Other
  // errors propagate.
  // As call, with `file` as the request's upload (resource_create and its kin).
  rapidjson::Document call_with_upload(std::string_view name, const ActionParams& params,
                                       const MultipartFile& file);
  std::optional<rapidjson::Document> try_call(std::string_view name, const ActionParams& params);
  bool has(std::string_view name) const { return registry_.find(name) != nullptr; }
  const Caller& caller() const { return ctx_.caller; }

 private:
  const Registry& registry_;
  ActionContext& ctx_;
};

// Reading results without ceremony: missing, empty or mistyped members give the fallback.
std::string json_str(const rapidjson::Value& v, const char* name, std::string fallback = "");
std::int64_t json_int(const rapidjson::Value& v, const char* name, std::int64_t fallback = 0);
double json_num(const rapidjson::Value& v, const char* name, double fallback = 0);
bool json_bool(const rapidjson::Value& v, const char* name, bool fallback = false);
const rapidjson::Value* json_member(const rapidjson::Value& v, const char* name);
const rapidjson::Value* json_array(const rapidjson::Value& v, const char* name);
std::string to_json_text(const rapidjson::Value& v);

}  // namespace datamap::api::portal
