#include "api/actions/demand_support.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "api/actions/support.h"
#include "api/config.h"
#include "api/mailer.h"
#include "api/params.h"
#include "api/write_limiter.h"
#include "catalog/errors.h"
#include "catalog/text.h"

namespace datamap::api::actions {

catalog::DemandRecords& demand(ActionContext& ctx) {
  if (!ctx.services.demand) throw BadRequest("Data requests are not enabled on this server");
  return *ctx.services.demand;
}

void charge_write(ActionContext& ctx) {
  require_login(ctx.caller);
  if (ctx.services.demand_writes) ctx.services.demand_writes->charge(ctx.caller.user->id);
}

std::string text_param(const rapidjson::Value& params, const char* key, std::size_t max_chars,
                       bool required) {
  std::string raw = opt_string(params, key).value_or("");
  if (!catalog::is_valid_utf8(raw)) throw ValidationError(key, "Must be valid UTF-8 text");
  std::string text(catalog::trim(catalog::to_nfc(raw)));
  std::size_t chars = 0;
  for (std::int32_t i = 0, n = static_cast<std::int32_t>(text.size()); i < n;) {
    UChar32 c = 0;
    U8_NEXT(text.data(), i, n, c);
    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
      throw ValidationError(key, "Must not contain control characters");
    if (c == 0x7f) throw ValidationError(key, "Must not contain control characters");
    ++chars;
  }
  if (chars > max_chars)
    throw ValidationError(key, "Must be at most " + std::to_string(max_chars) + " characters");
  if (required && text.empty()) throw ValidationError(key, "Missing value");
  return text;
}

std::int64_t evaluation_time(const rapidjson::Value& params) {
  std::string as_of = opt_string(params, "as_of").value_or("");
  if (as_of.empty())
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  std::int64_t t = catalog::utc_seconds(as_of);
  if (t < 0)
    throw ValidationError("as_of", "Must be a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SS)");
  return t;
}

std::string user_name(ActionContext& ctx, const std::string& user_id) {
  if (user_id.empty()) return {};
  auto u = ctx.services.store->user(user_id);
  return u ? u->name : std::string();
}

void follow_as_caller(ActionContext& ctx, const std::string& object_type,
                      const std::string& object_id) {
  require_login(ctx.caller);
  write_as_caller(ctx, [&](catalog::Transaction& tx) {
    tx.follow({ctx.caller.user->id, object_type, object_id, ""});
  });
}

void demand_changed(ActionContext& ctx, const DemandEvent& event) {
  auto& records = demand(ctx);
  if (event.activity) {
    catalog::Activity activity = *event.activity;
    write_as_caller(ctx, [&](catalog::Transaction& tx) { tx.record_activity(activity); });
  }
  const std::string actor = ctx.caller.user ? ctx.caller.user->id : "";
  const bool smtp = ctx.services.config && !ctx.services.config->requests.smtp_url.empty();
  std::set<std::string> done;
  bool queued = false;
  for (const std::string& id : event.recipients) {
    if (id.empty() || id == actor || !done.insert(id).second) continue;
    catalog::Notification n;
    n.user_id = id;
    n.subject = event.subject;
    n.body = event.body;
    n.link = event.link;
    n.entity = event.entity;
    n.entity_id = event.entity_id;
    if (smtp) {
      auto u = ctx.services.store->user(id);
      n.email_state = u && !u->email.empty() ? "queued" : "no_address";
    }
    records.add_notification(n);
    queued = queued || n.email_state == "queued";
  }
  if (queued && ctx.services.mailer) ctx.services.mailer->wake();
}

}  // namespace datamap::api::actions
