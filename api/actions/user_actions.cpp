// user_* and api_token_*: accounts and their API tokens (only SHA-256 of a secret is stored).
#include "api/actions/support.h"
#include "api/auth.h"
#include "api/params.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/text.h"
#include "catalog/validation.h"

namespace datamap::api {
namespace {

using rapidjson::Document;
using rapidjson::Value;

bool is_self_or_sysadmin(const Caller& caller, const catalog::User& u) {
  return caller.sysadmin() || (caller.user && caller.user->id == u.id);
}

catalog::User find_user(ActionContext& ctx, const std::string& ref) {
  auto u = ctx.services.store->user(ref);
  if (!u) throw NotFound("User not found");
  return *u;
}

void user_show(ActionContext& ctx, const Value& params, Document& result) {
  std::string ref = opt_string(params, "id").value_or("");
  if (ref.empty() && ctx.caller.user) ref = ctx.caller.user->id;  // CKAN: no id = yourself
  if (ref.empty()) throw ValidationError("id", "Missing value");
  catalog::User u = find_user(ctx, ref);
  actions::write_user(u, is_self_or_sysadmin(ctx.caller, u), ctx, result, result.GetAllocator());
}

void user_create(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_sysadmin(ctx.caller);
  catalog::User u;
  u.name = need_string(params, "name");
  if (!catalog::is_valid_name(u.name))
    throw ValidationError("name",
                          "Must be purely lowercase alphanumeric (ascii) characters and these "
                          "symbols: -_ (2 to 100 characters)");
  u.fullname = catalog::to_nfc(opt_string(params, "fullname").value_or(""));
  u.email = opt_string(params, "email").value_or("");
  u.sysadmin = opt_bool(params, "sysadmin", false);
  u.id = actions::chosen_id(ctx.caller, opt_string(params, "id").value_or(""));
  u.created = catalog::now_iso8601();
  if (auto other = ctx.services.store->user(u.id); other && other->id == u.id)
    throw ValidationError("id", "Id already exists");
  if (ctx.services.store->user(u.name)) throw ValidationError("name", "That login name is not available.");
  ctx.services.store->write([&](catalog::Transaction& tx) { tx.put_user(u); });
  actions::write_user(u, true, ctx, result, result.GetAllocator());
}

// Read, checked and written in one transaction: two updates at once (one the fullname, one the
// email) both land, and neither writes back the other's stale copy.
void user_update(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  const std::string ref = need_string(params, "id");
  catalog::User u;
  ctx.services.store->write([&](catalog::Transaction& tx) {
    auto found = tx.find_user(ref);
    if (!found) throw NotFound("User not found");
    u = *found;
    if (!is_self_or_sysadmin(ctx.caller, u))
      throw NotAuthorized("only the user or a sysadmin may change the user");
    if (auto v = opt_string(params, "fullname")) u.fullname = catalog::to_nfc(*v);
    if (auto v = opt_string(params, "email")) u.email = *v;
    if (params.HasMember("sysadmin")) {
      bool sysadmin = opt_bool(params, "sysadmin", u.sysadmin);
      if (sysadmin != u.sysadmin && !ctx.caller.sysadmin())
        throw NotAuthorized("only a sysadmin may grant or remove sysadmin rights");
      u.sysadmin = sysadmin;
    }
    tx.put_user(u);
  });
  actions::write_user(u, true, ctx, result, result.GetAllocator());
}

void api_token_create(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  catalog::User u = find_user(ctx, need_string(params, "user"));
  if (!is_self_or_sysadmin(ctx.caller, u))
    throw NotAuthorized("only the user or a sysadmin may create the user's tokens");
  std::string secret = new_token_secret();
  catalog::ApiToken t;
  t.id = token_id_for(secret);
  t.user_id = u.id;
  t.name = catalog::to_nfc(opt_string(params, "name").value_or("api"));
  t.created = catalog::now_iso8601();
  ctx.services.store->write(
      [&](catalog::Transaction& tx) { tx.add_token(t, catalog::sha256_hex(secret)); });
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("token", json_string(secret, a), a);
  result.AddMember("id", json_string(t.id, a), a);
}

void api_token_list(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  std::string ref = opt_string(params, "user").value_or(ctx.caller.user->id);
  catalog::User u = find_user(ctx, ref);
  if (!is_self_or_sysadmin(ctx.caller, u))
    throw NotAuthorized("only the user or a sysadmin may list the user's tokens");
  result.SetArray();
  auto& a = result.GetAllocator();
  for (const auto& t : ctx.services.store->tokens(u.id)) {
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(t.id, a), a);
    v.AddMember("name", json_string(t.name, a), a);
    v.AddMember("user_id", json_string(t.user_id, a), a);
    v.AddMember("created_at", json_string(t.created, a), a);
    v.AddMember("last_access", json_string(t.last_access, a), a);
    result.PushBack(v, a);
  }
}

// By the secret itself ("token") or by its id ("jti", CKAN's name for it).
void api_token_revoke(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  auto& store = *ctx.services.store;
  std::string id;
  std::optional<catalog::User> owner;
  if (auto secret = opt_string(params, "token"); secret && !secret->empty()) {
    id = token_id_for(*secret);
    owner = store.user_for_token(catalog::sha256_hex(*secret));
  } else {
    id = need_string(params, "jti");
    // Only the owner's own tokens, unless sysadmin: search the caller's list first.
    for (const auto& t : store.tokens(ctx.caller.user->id))
      if (t.id == id) owner = ctx.caller.user;
    if (!owner && ctx.caller.sysadmin()) owner = ctx.caller.user;  // sysadmin: any token
  }
  if (!owner) throw NotFound("API token not found");
  if (!is_self_or_sysadmin(ctx.caller, *owner))
    throw NotAuthorized("only the token's user or a sysadmin may revoke it");
  store.write([&](catalog::Transaction& tx) { tx.revoke_token(id); });
  result.SetNull();
}

}  // namespace

void register_user_actions(Registry& r) {
  r.add({"user_show", user_show, false,
         "A user by id or name (yourself when no id). Email and organizations only for the "
         "user or a sysadmin."});
  r.add({"user_create", user_create, true,
         "Creates a user (id, name, fullname, email, sysadmin). Sysadmin only (a given id, a "
         "UUID no user has, is kept); `datamap user add` "
         "calls it."});
  r.add({"user_update", user_update, true,
         "Changes user `id`'s fullname, email or (sysadmin only) sysadmin flag. Needs the user "
         "or a sysadmin."});
  r.add({"api_token_create", api_token_create, true,
         "Creates an API token for `user` (yourself, or anyone for a sysadmin), named `name`. "
         "The secret is in the result once and never again: only its SHA-256 is stored."});
  r.add({"api_token_list", api_token_list, false,
         "Your tokens (or `user`'s, for a sysadmin): ids and names, never secrets."});
  r.add({"api_token_revoke", api_token_revoke, true,
         "Revokes a token, given the secret (`token`) or its id (`jti`)."});
}

}  // namespace datamap::api
