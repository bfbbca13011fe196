// What the data-request and error-report actions share (private to api/actions/): the records,
// bounded text input, the evaluation time, and demand_changed(), the one place a request or a
// report change is announced: it records the change's activity and writes the notification
// outbox, so no action notifies anyone by itself.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/action.h"
#include "api/json.h"
#include "catalog/activity.h"
#include "catalog/demand.h"

namespace datamap::api::actions {

// Services::demand, or BadRequest "not enabled".
catalog::DemandRecords& demand(ActionContext& ctx);

// Charges one write of the signed-in caller to the per-user limit (api/write_limiter.h).
void charge_write(ActionContext& ctx);

// A text parameter as people type it: valid UTF-8 (else 409 naming the field), NFC, trimmed,
// no control characters but new lines and tabs, at most `max_chars` characters. "" when absent;
// `required` makes absent or blank a 409 "Missing value".
std::string text_param(const rapidjson::Value& params, const char* key, std::size_t max_chars,
                       bool required);

// The time deadlines are judged at: `as_of` (YYYY-MM-DD or an ISO 8601 UTC time) when given,
// so anyone can ask what was (or will be) overdue when; else now. Unix seconds.
std::int64_t evaluation_time(const rapidjson::Value& params);

// A request or report changed. `activity` (catalog/demand_activity.h), when given, is recorded
// as the caller's. `recipients` (user ids; the actor and repeats are skipped) each get one outbox
// row; e-mail is queued only when [requests] smtp_url is set and the user has an address, and
// the mailer (Services::mailer) is woken to send it off the request's thread.
struct DemandEvent {
  std::string entity;  // "datarequest" | "issue_report"
  std::string entity_id;
  std::string kind;     // "created", "updated", "status", "closed", "comment", "vote", ...
  std::string subject;  // plain text
  std::string body;     // plain text
  std::string link;     // portal path
  std::vector<std::string> recipients;
  std::optional<catalog::Activity> activity;
};
void demand_changed(ActionContext& ctx, const DemandEvent& event);

// The signed-in caller follows `object_type` `object_id` (no error when already following):
// a requester follows their own request.
void follow_as_caller(ActionContext& ctx, const std::string& object_type,
                      const std::string& object_id);

// "name" of a user id ("" when unknown), for the dicts.
std::string user_name(ActionContext& ctx, const std::string& user_id);

}  // namespace datamap::api::actions
