// Activity streams and following (issue 16 item 4), with CKAN's action names and shapes:
// *_activity_list, recently_changed_*_activity_stream, dashboard_activity_list, follow_dataset /
// follow_group (CKAN's name for following an organization too) / follow_datarequest, their
// unfollow_*, am_following_*, *_follower_count, *_follower_list and followee_list. Who may read
// an activity is the store's rule (Store::activities); who may follow is who may see the object.
//
// Every list action is one ActivityList (which object the `id` names, which scope it reads) and
// every followable kind one Followable (how `id` is resolved): the actions are generated from
// them, so a list or a follow behaves the same whatever it is about.
#include <limits>

#include "api/actions/demand_support.h"
#include "api/actions/support.h"
#include "api/params.h"
#include "catalog/errors.h"

namespace datamap::api {
namespace {

using rapidjson::Document;
using rapidjson::Value;
using Scope = catalog::ActivityQuery::Scope;

// What an `id` names, as the caller may see it.
struct Named {
  std::string type, id, name, title;
};
using Resolver = Named (*)(ActionContext&, const Value& params);

Named named_dataset(ActionContext& ctx, const Value& params) {
  catalog::Dataset d = actions::visible_dataset(ctx, need_string(params, "id"));
  return {"dataset", d.id, d.name, d.title};
}

Named named_organization(ActionContext& ctx, const Value& params) {
  auto org = ctx.services.store->organization(need_string(params, "id"));
  if (!org || org->state == "deleted") throw NotFound("Organization not found");
  return {"organization", org->id, org->name, org->title};
}

// A request has no name: its id stands in (CKAN's messages quote the name).
Named named_datarequest(ActionContext& ctx, const Value& params) {
  auto r = actions::demand(ctx).request(need_string(params, "id"));
  if (!r) throw NotFound("Data request not found");
  return {"datarequest", r->id, r->id, r->title};
}

Named named_user(ActionContext& ctx, const Value& params) {
  auto user = ctx.services.store->user(need_string(params, "id"));
  if (!user) throw NotFound("User not found");
  return {"user", user->id, user->name, user->fullname};
}

// The signed-in caller (the dashboard is theirs; anonymous is 403).
Named named_caller(ActionContext& ctx, const Value&) {
  actions::require_login(ctx.caller);
  return {"user", ctx.caller.user->id, ctx.caller.user->name, ""};
}

// ---- activity lists

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

struct ActivityList {
  const char* name;
  Scope scope;
  Resolver resolve;  // null: no `id` (a catalog-wide stream)
  const char* help;
};

ActionFn list_action(const ActivityList& list) {
  return [list](ActionContext& ctx, const Value& params, Document& result) {
    catalog::ActivityQuery q;
    q.scope = list.scope;
    if (list.resolve) q.id = list.resolve(ctx, params).id;
    q.offset = opt_int(params, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
    // CKAN: 31 by default, at most ckan.activity_list_limit_max (100).
    q.limit = opt_int(params, "limit", 31, 1, 100);
    write_activities(ctx, q, result);
  };
}

const ActivityList kLists[] = {
    {"package_activity_list", Scope::object, named_dataset,
     "The activity stream of dataset `id` (id or name), with the error reports on it: CKAN "
     "activity dicts {id, timestamp, user_id, object_id, activity_type, data}."},
    {"organization_activity_list", Scope::organization, named_organization,
     "The activity of organization `id`, of its datasets (private ones only for its members) and "
     "of the data requests and error reports it is asked or sent."},
    {"datarequest_activity_list", Scope::object, named_datarequest,
     "The activity of data request `id`: filed, each status step, comments, vote tallies, "
     "closed."},
    {"recently_changed_packages_activity_stream", Scope::all_packages, nullptr,
     "Every dataset's activity the caller may see."},
    {"recently_changed_datarequests_activity_stream", Scope::datarequests, nullptr,
     "Every data request's activity."},
    {"user_activity_list", Scope::user, named_user,
     "What user `id` changed, as far as the caller may see."},
    {"dashboard_activity_list", Scope::dashboard, named_caller,
     "The signed-in user's dashboard: activity of the datasets, organizations and data requests "
     "they follow (with the reports on those datasets), and their own."},
};

// ---- following (each action checks the login before the object: anonymous is 403, not 404)

struct Followable {
  const char* follow;   // follow_X / unfollow_X / am_following_X
  const char* counted;  // X_follower_count / X_follower_list
  const char* alias;    // a second name of the count and list (CKAN's group_*), or null
  const char* what;     // for the help texts
  Resolver resolve;
};

const Followable kFollowables[] = {
    {"dataset", "dataset", nullptr, "dataset", named_dataset},
    {"group", "organization", "group", "organization (CKAN's name: organizations are groups)",
     named_organization},
    {"datarequest", "datarequest", nullptr, "data request", named_datarequest},
};

void follow(ActionContext& ctx, const Named& n, Document& result) {
  catalog::Follow row{ctx.caller.user->id, n.type, n.id, ""};
  bool added = false;
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) { added = tx.follow(row); });
  // CKAN's message and status (409) for a second follow.
  if (!added) throw ValidationError("message", "You are already following " + n.name);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("follower_id", json_string(row.user_id, a), a);
  result.AddMember("object_id", json_string(n.id, a), a);
  result.AddMember("object_type", json_string(n.type, a), a);
}

void unfollow(ActionContext& ctx, const Named& n, Document& result) {
  bool removed = false;
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) {
    removed = tx.unfollow({ctx.caller.user->id, n.type, n.id, ""});
  });
  if (!removed) throw NotFound("You are not following " + n.name + ".");
  result.SetNull();
}

// CKAN's *_follower_list: the followers' user dicts, for sysadmins only (who follows what is
// each user's own business).
void follower_list(ActionContext& ctx, const Named& n, Document& result) {
  auto& a = result.GetAllocator();
  result.SetArray();
  for (const std::string& id : ctx.services.store->followers(n.type, n.id)) {
    auto u = ctx.services.store->user(id);
    if (!u) continue;
    Value v;
    actions::write_user(*u, false, ctx, v, a);
    result.PushBack(v, a);
  }
}

void register_following(Registry& r, const Followable& f) {
  const Resolver resolve = f.resolve;
  const std::string what = f.what;
  auto signed_in = [resolve](void (*fn)(ActionContext&, const Named&, Document&)) -> ActionFn {
    return [resolve, fn](ActionContext& ctx, const Value& params, Document& result) {
      actions::require_login(ctx.caller);
      fn(ctx, resolve(ctx, params), result);
    };
  };
  r.add({std::string("follow_") + f.follow, signed_in(follow), true,
         "Follow " + what +
             " `id`: its changes appear on your dashboard. 409 when already "
             "following."});
  r.add({std::string("unfollow_") + f.follow, signed_in(unfollow), true,
         "Stop following " + what + " `id` (404 when not following)."});
  r.add({std::string("am_following_") + f.follow,
         signed_in([](ActionContext& ctx, const Named& n, Document& result) {
           result.SetBool(ctx.services.store->is_following(ctx.caller.user->id, n.type, n.id));
         }),
         false, "Whether the signed-in user follows " + what + " `id`."});
  ActionFn count = [resolve](ActionContext& ctx, const Value& params, Document& result) {
    Named n = resolve(ctx, params);
    result.SetInt64(ctx.services.store->follower_count(n.type, n.id));
  };
  ActionFn list = [resolve](ActionContext& ctx, const Value& params, Document& result) {
    actions::require_sysadmin(ctx.caller);
    follower_list(ctx, resolve(ctx, params), result);
  };
  for (const char* prefix : {f.counted, f.alias}) {
    if (!prefix) continue;
    r.add({std::string(prefix) + "_follower_count", count, false,
           "How many users follow " + what + " `id`."});
    r.add({std::string(prefix) + "_follower_list", list, false,
           "The users following " + what + " `id` (user dicts). Sysadmins only."});
  }
}

// CKAN's followee_list: [{type, display_name, dict}] of what user `id` follows; only the user
// and sysadmins may ask (what someone follows is theirs).
void followee_list(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  Named who = named_user(ctx, params);
  if (who.id != ctx.caller.user->id && !ctx.caller.sysadmin())
    throw NotAuthorized("only the user and sysadmins may list what a user follows");
  auto& a = result.GetAllocator();
  auto& store = *ctx.services.store;
  result.SetArray();
  for (const auto& f : store.followees(who.id)) {
    Named n;
    if (f.object_type == "dataset") {
      auto d = store.dataset(f.object_id);
      if (!d || !actions::may_see(ctx, *d)) continue;  // made private since: not listed
      n = {f.object_type, d->id, d->name, d->title};
    } else if (f.object_type == "organization") {
      auto o = store.organization(f.object_id);
      if (!o) continue;
      n = {f.object_type, o->id, o->name, o->title};
    } else {
      auto r = ctx.services.demand ? ctx.services.demand->request(f.object_id) : std::nullopt;
      if (!r) continue;
      n = {f.object_type, r->id, r->id, r->title};
    }
    Value dict(rapidjson::kObjectType);
    dict.AddMember("id", json_string(n.id, a), a);
    dict.AddMember("name", json_string(n.name, a), a);
    dict.AddMember("title", json_string(n.title, a), a);
    Value v(rapidjson::kObjectType);
    v.AddMember("type", json_string(n.type, a), a);
    v.AddMember("display_name", json_string(n.title.empty() ? n.name : n.title, a), a);
    v.AddMember("dict", dict, a);
    result.PushBack(v, a);
  }
}

}  // namespace

void register_activity_actions(Registry& r) {
  const std::string paging = " Parameters: offset, limit (1-100, default 31). Newest first.";
  for (const ActivityList& list : kLists)
    r.add({list.name, list_action(list), false, list.help + paging});
  for (const Followable& f : kFollowables) register_following(r, f);
  r.add({"followee_list", followee_list, false,
         "What user `id` follows: [{type, display_name, dict}]. The user or a sysadmin only."});
}

}  // namespace datamap::api
