// api_token_usage: how much each of a user's tokens has been used against its quota.
#include <algorithm>

#include "api/actions/support.h"
#include "api/params.h"
#include "api/quota.h"
#include "catalog/errors.h"

namespace datamap::api {
namespace {

using rapidjson::Document;
using rapidjson::Value;

void api_token_usage(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  std::string ref = opt_string(params, "user").value_or(ctx.caller.user->id);
  auto user = ctx.services.store->user(ref);
  if (!user) throw NotFound("User not found");
  if (user->id != ctx.caller.user->id && !ctx.caller.sysadmin())
    throw NotAuthorized("only the user or a sysadmin may see the user's token usage");
  auto& a = result.GetAllocator();
  result.SetObject();
  Value limits(rapidjson::kObjectType);
  QuotaConfig config = ctx.services.quotas ? ctx.services.quotas->config() : QuotaConfig{};
  limits.AddMember("per_second", Value(config.per_second), a);
  limits.AddMember("per_day", Value(config.per_day), a);
  result.AddMember("limits", limits, a);
  Value tokens(rapidjson::kArrayType);
  for (const auto& t : ctx.services.store->tokens(user->id)) {
    TokenUsage u = ctx.services.quotas ? ctx.services.quotas->usage(t.id) : TokenUsage{};
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(t.id, a), a);
    v.AddMember("name", json_string(t.name, a), a);
    v.AddMember("requests_today", Value(u.today), a);
    v.AddMember("requests_total", Value(u.total), a);
    v.AddMember("refused", Value(u.refused), a);
    if (config.per_day > 0)
      v.AddMember("remaining_today", Value(std::max<std::int64_t>(0, config.per_day - u.today)), a);
    else
      v.AddMember("remaining_today", Value(rapidjson::kNullType), a);
    v.AddMember("last_request", json_string(u.last_request, a), a);
    tokens.PushBack(v, a);
  }
  result.AddMember("tokens", tokens, a);
}

}  // namespace

void register_quota_actions(Registry& r) {
  r.add({"api_token_usage", api_token_usage, false,
         "Requests each of your tokens (or `user`'s, for a sysadmin) made today (UTC) and in all "
         "(since the server started; on a PostgreSQL catalog, the cluster's, every day "
         "recorded), how many were refused with 429, and the quota limits."});
}

}  // namespace datamap::api
