// Activity streams and following (issue 16 item 4), with CKAN's action names and shapes:
// *_activity_list, recently_changed_packages_activity_stream, dashboard_activity_list,
// follow_dataset / follow_group (CKAN's name for following an organization too), their
// unfollow_*, am_following_*, *_follower_count and followee_list. Who may read an activity is
// the store's rule (Store::activities); who may follow is who may see the object.
#include <limits>

#include "api/actions/support.h"
#include "api/params.h"
#include "catalog/errors.h"

namespace datamap::api {
namespace {

using rapidjson::Document;
using rapidjson::Value;

catalog::ActivityQuery read_query(const Value& params, catalog::ActivityQuery::Scope scope,
                                  std::string id) {
  catalog::ActivityQuery q;
  q.scope = scope;
  q.id = std::move(id);
  q.offset = opt_int(params, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  // CKAN: 31 by default, at most ckan.activity_list_limit_max (100).
  q.limit = opt_int(params, "limit", 31, 1, 100);
  return q;
}

void write_activities(ActionContext& ctx, const catalog::ActivityQuery& q, Document& result) {
  auto& a = result.GetAllocator();
  result.SetArray();
  for (const auto& act : ctx.services.store->activities(q, ctx.caller.visibility())) {
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(act.id, a), a);
    v.AddMember("timestamp", json_string(act.timestamp, a), a);
    v.AddMember("user_id", json_string(act.user_id, a), a);
    v.AddMember("object_id", json_string(act.object_id, a), a);
    v.AddMember("activity_type", json_string(act.activity_type, a), a);
    Document data(&a);
    data.Parse(act.data.c_str(), act.data.size());  // written by the catalog itself
    if (data.HasParseError() || !data.IsObject()) data.SetObject();
    v.AddMember("data", Value(data, a), a);
    result.PushBack(v, a);
  }
}

catalog::Organization need_organization(ActionContext& ctx, const Value& params) {
  auto org = ctx.services.store->organization(need_string(params, "id"));
  if (!org || org->state == "deleted") throw NotFound("Organization not found");
  return std::move(*org);
}

catalog::User need_user(ActionContext& ctx, const Value& params) {
  auto user = ctx.services.store->user(need_string(params, "id"));
  if (!user) throw NotFound("User not found");
  return std::move(*user);
}

void package_activity_list(ActionContext& ctx, const Value& params, Document& result) {
  catalog::Dataset d = actions::visible_dataset(ctx, need_string(params, "id"));
  write_activities(ctx, read_query(params, catalog::ActivityQuery::Scope::object, d.id), result);
}

void organization_activity_list(ActionContext& ctx, const Value& params, Document& result) {
  catalog::Organization o = need_organization(ctx, params);
  write_activities(ctx, read_query(params, catalog::ActivityQuery::Scope::organization, o.id),
                   result);
}

void recently_changed_packages_activity_stream(ActionContext& ctx, const Value& params,
                                               Document& result) {
  write_activities(ctx, read_query(params, catalog::ActivityQuery::Scope::all_packages, ""),
                   result);
}

void user_activity_list(ActionContext& ctx, const Value& params, Document& result) {
  catalog::User u = need_user(ctx, params);
  write_activities(ctx, read_query(params, catalog::ActivityQuery::Scope::user, u.id), result);
}

void dashboard_activity_list(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  write_activities(
      ctx, read_query(params, catalog::ActivityQuery::Scope::dashboard, ctx.caller.user->id),
      result);
}

// ---- following (each action checks the login first: anonymous is 403, not a 404 of the object)

struct Followed {
  std::string type, id, name;
};

Followed followed_dataset(ActionContext& ctx, const Value& params) {
  catalog::Dataset d = actions::visible_dataset(ctx, need_string(params, "id"));
  return {"dataset", d.id, d.name};
}

Followed followed_organization(ActionContext& ctx, const Value& params) {
  catalog::Organization o = need_organization(ctx, params);
  return {"organization", o.id, o.name};
}

void follow(ActionContext& ctx, const Followed& f, Document& result) {
  catalog::Follow row{ctx.caller.user->id, f.type, f.id, ""};
  bool added = false;
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) { added = tx.follow(row); });
  // CKAN's message and status (409) for a second follow.
  if (!added) throw ValidationError("message", "You are already following " + f.name);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("follower_id", json_string(row.user_id, a), a);
  result.AddMember("object_id", json_string(f.id, a), a);
  result.AddMember("object_type", json_string(f.type, a), a);
}

void unfollow(ActionContext& ctx, const Followed& f, Document& result) {
  bool removed = false;
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    removed = tx.unfollow({ctx.caller.user->id, f.type, f.id, ""});
  });
  if (!removed) throw NotFound("You are not following " + f.name + ".");
  result.SetNull();
}

void follow_dataset(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  follow(ctx, followed_dataset(ctx, params), result);
}
void unfollow_dataset(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  unfollow(ctx, followed_dataset(ctx, params), result);
}
void follow_group(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  follow(ctx, followed_organization(ctx, params), result);
}
void unfollow_group(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  unfollow(ctx, followed_organization(ctx, params), result);
}

void dataset_follower_count(ActionContext& ctx, const Value& params, Document& result) {
  Followed f = followed_dataset(ctx, params);
  result.SetInt64(ctx.services.store->follower_count(f.type, f.id));
}
void organization_follower_count(ActionContext& ctx, const Value& params, Document& result) {
  Followed f = followed_organization(ctx, params);
  result.SetInt64(ctx.services.store->follower_count(f.type, f.id));
}

void am_following(ActionContext& ctx, const Followed& f, Document& result) {
  result.SetBool(ctx.services.store->is_following(ctx.caller.user->id, f.type, f.id));
}
void am_following_dataset(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  am_following(ctx, followed_dataset(ctx, params), result);
}
void am_following_group(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  am_following(ctx, followed_organization(ctx, params), result);
}

// CKAN's followee_list: [{type, display_name, dict}] of what user `id` follows; only the user
// and sysadmins may ask (what someone follows is theirs).
void followee_list(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  catalog::User u = need_user(ctx, params);
  if (u.id != ctx.caller.user->id && !ctx.caller.sysadmin())
    throw NotAuthorized("only the user and sysadmins may list what a user follows");
  auto& a = result.GetAllocator();
  auto& store = *ctx.services.store;
  result.SetArray();
  for (const auto& f : store.followees(u.id)) {
    std::string id, name, title;
    if (f.object_type == "dataset") {
      auto d = store.dataset(f.object_id);
      if (!d || !actions::may_see(ctx, *d)) continue;  // made private since: not listed
      id = d->id, name = d->name, title = d->title;
    } else {
      auto o = store.organization(f.object_id);
      if (!o) continue;
      id = o->id, name = o->name, title = o->title;
    }
    Value dict(rapidjson::kObjectType);
    dict.AddMember("id", json_string(id, a), a);
    dict.AddMember("name", json_string(name, a), a);
    dict.AddMember("title", json_string(title, a), a);
    Value v(rapidjson::kObjectType);
    v.AddMember("type", json_string(f.object_type, a), a);
    v.AddMember("display_name", json_string(title.empty() ? name : title, a), a);
    v.AddMember("dict", dict, a);
    result.PushBack(v, a);
  }
}

}  // namespace

void register_activity_actions(Registry& r) {
  const char* paging = " Parameters: offset, limit (1-100, default 31). Newest first.";
  r.add({"package_activity_list", package_activity_list, false,
         std::string("The activity stream of dataset `id` (id or name): CKAN activity dicts "
                     "{id, timestamp, user_id, object_id, activity_type, data}.") +
             paging});
  r.add({"organization_activity_list", organization_activity_list, false,
         std::string("The activity of organization `id` and of its datasets (private ones only "
                     "for its members).") +
             paging});
  r.add({"recently_changed_packages_activity_stream", recently_changed_packages_activity_stream,
         false, std::string("Every dataset's activity the caller may see.") + paging});
  r.add({"user_activity_list", user_activity_list, false,
         std::string("What user `id` changed, as far as the caller may see.") + paging});
  r.add({"dashboard_activity_list", dashboard_activity_list, false,
         std::string("The signed-in user's dashboard: activity of the datasets and "
                     "organizations they follow, and their own.") +
             paging});
  r.add({"follow_dataset", follow_dataset, true,
         "Follow dataset `id`: its changes appear on your dashboard. 409 when already "
         "following."});
  r.add({"unfollow_dataset", unfollow_dataset, true,
         "Stop following dataset `id` (404 when not following)."});
  r.add({"follow_group", follow_group, true,
         "Follow organization `id` (CKAN's name: organizations are groups): its changes and its "
         "datasets' appear on your dashboard."});
  r.add({"unfollow_group", unfollow_group, true, "Stop following organization `id`."});
  r.add({"dataset_follower_count", dataset_follower_count, false,
         "How many users follow dataset `id`."});
  r.add({"organization_follower_count", organization_follower_count, false,
         "How many users follow organization `id`."});
  r.add({"group_follower_count", organization_follower_count, false,
         "How many users follow organization `id` (CKAN's group name)."});
  r.add({"am_following_dataset", am_following_dataset, false,
         "Whether the signed-in user follows dataset `id`."});
  r.add({"am_following_group", am_following_group, false,
         "Whether the signed-in user follows organization `id`."});
  r.add({"followee_list", followee_list, false,
         "What user `id` follows: [{type, display_name, dict}]. The user or a sysadmin only."});
}

}  // namespace datamap::api
