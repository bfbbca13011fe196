// reuse_* (issue 16 item 3): reuses (활용사례) — apps, articles, visualisations, research built
// on datasets. Any registered user may add one; its creator or a sysadmin changes or removes
// it. A reuse names only datasets its author may see, and shows a reader only the datasets the
// reader may see, so a reuse never reveals a private dataset.
#include <limits>

#include "api/actions/support.h"
#include "api/params.h"
#include "catalog/errors.h"
#include "catalog/text.h"

namespace datamap::api {
namespace {

using catalog::Reuse;
using rapidjson::Document;
using rapidjson::Value;

std::string text_param(const Value& params, const char* key) {
  return catalog::to_nfc(catalog::trim(opt_string(params, key).value_or("")));
}

// The dataset references (ids or names) of `datasets`: a JSON list, or its text in a form.
std::vector<std::string> dataset_refs(const Value& params, FieldErrors& errors) {
  Document holder;
  const Value* v = json_param(params, "datasets", holder, "Validation Error");
  std::vector<std::string> refs;
  if (!v) return refs;
  if (!v->IsArray()) {
    errors["datasets"].push_back("Must be a list of dataset ids or names");
    return refs;
  }
  for (const auto& item : v->GetArray()) {
    if (!item.IsString()) {
      errors["datasets"].push_back("Must be a list of dataset ids or names");
      return refs;
    }
    refs.emplace_back(item.GetString(), item.GetStringLength());
  }
  return refs;
}

// The reuse as given; `base` supplies what an update leaves out.
Reuse read_reuse(ActionContext& ctx, const Value& params, const Reuse& base) {
  FieldErrors errors;
  Reuse r = base;
  for (auto [key, field] : {std::pair{"title", &Reuse::title},
                            {"url", &Reuse::url},
                            {"description", &Reuse::description},
                            {"image_url", &Reuse::image_url},
                            {"type", &Reuse::type}})
    if (params.HasMember(key)) r.*field = text_param(params, key);
  if (params.HasMember("datasets")) {
    r.dataset_ids.clear();
    for (const auto& ref : dataset_refs(params, errors)) {
      // The author must see what they link to; one they may not is as unknown as a missing one.
      auto d = ctx.services.store->dataset(ref);
      if (!d || !actions::may_see(ctx, *d) || d->state != "active")
        errors["datasets"].push_back("Dataset not found: " + ref.substr(0, 100));
      else if (std::find(r.dataset_ids.begin(), r.dataset_ids.end(), d->id) == r.dataset_ids.end())
        r.dataset_ids.push_back(d->id);
    }
  }
  if (errors.empty()) catalog::validate_reuse(r, errors);
  if (!errors.empty()) throw ValidationError(errors);
  return r;
}

void write_reuse(ActionContext& ctx, const Reuse& r, Value& out, Alloc& a) {
  out.SetObject();
  out.AddMember("id", json_string(r.id, a), a);
  out.AddMember("title", json_string(r.title, a), a);
  out.AddMember("url", json_string(r.url, a), a);
  out.AddMember("description", json_string(r.description, a), a);
  out.AddMember("image_url", json_string(r.image_url, a), a);
  out.AddMember("type", json_string(r.type, a), a);
  out.AddMember("creator_user_id", json_string(r.creator_user_id, a), a);
  out.AddMember("created", json_string(r.created, a), a);
  out.AddMember("modified", json_string(r.modified, a), a);
  Value datasets(rapidjson::kArrayType);
  for (const auto& id : r.dataset_ids) {
    auto d = ctx.services.store->dataset(id);
    if (!d || !actions::may_see(ctx, *d)) continue;
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(d->id, a), a);
    v.AddMember("name", json_string(d->name, a), a);
    v.AddMember("title", json_string(d->title, a), a);
    datasets.PushBack(v, a);
  }
  out.AddMember("datasets", datasets, a);
}

Reuse need_reuse(ActionContext& ctx, const Value& params) {
  auto r = ctx.services.store->reuse(need_string(params, "id"));
  if (!r) throw NotFound("Reuse not found");
  return std::move(*r);
}

void require_owner(ActionContext& ctx, const Reuse& r) {
  actions::require_login(ctx.caller);
  if (r.creator_user_id != ctx.caller.user->id && !ctx.caller.sysadmin())
    throw NotAuthorized("only the reuse's creator or a sysadmin may change it");
}

void reuse_create(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  Reuse base;
  base.creator_user_id = ctx.caller.user->id;
  Reuse r = read_reuse(ctx, params, base);
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) { tx.put_reuse(r); });
  write_reuse(ctx, r, result, result.GetAllocator());
}

void reuse_update(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  Reuse old = need_reuse(ctx, params);
  require_owner(ctx, old);
  Reuse r = read_reuse(ctx, params, old);
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) { tx.put_reuse(r); });
  write_reuse(ctx, r, result, result.GetAllocator());
}

void reuse_delete(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_login(ctx.caller);
  Reuse r = need_reuse(ctx, params);
  require_owner(ctx, r);
  actions::write_as_caller(ctx, [&](catalog::Transaction& tx) { tx.delete_reuse(r.id); });
  result.SetNull();
}

void reuse_show(ActionContext& ctx, const Value& params, Document& result) {
  write_reuse(ctx, need_reuse(ctx, params), result, result.GetAllocator());
}

// {count, results}; with `id`, the reuses of that dataset (as the caller may see it).
void reuse_list(ActionContext& ctx, const Value& params, Document& result) {
  std::string dataset_id;
  if (auto ref = opt_string(params, "id"); ref && !ref->empty())
    dataset_id = actions::visible_dataset(ctx, *ref).id;
  auto offset = opt_int(params, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  auto limit = opt_int(params, "limit", 20, 1, 100);
  auto& store = *ctx.services.store;
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("count", store.count_reuses(dataset_id), a);
  Value results(rapidjson::kArrayType);
  for (const auto& r : store.reuses(dataset_id, offset, limit)) {
    Value v;
    write_reuse(ctx, r, v, a);
    results.PushBack(v, a);
  }
  result.AddMember("results", results, a);
}

}  // namespace

void register_reuse_actions(Registry& r) {
  r.add({"reuse_create", reuse_create, true,
         "Adds a reuse (활용사례): title, url (http or https), description, image_url, type "
         "(app, article, visualisation, research) and datasets (a list of dataset ids or "
         "names). Any registered user."});
  r.add({"reuse_update", reuse_update, true,
         "Changes reuse `id`; members left out are kept. Its creator or a sysadmin."});
  r.add({"reuse_delete", reuse_delete, true, "Removes reuse `id`. Its creator or a sysadmin."});
  r.add({"reuse_show", reuse_show, false,
         "Reuse `id` with the datasets it uses that the caller may see."});
  r.add({"reuse_list", reuse_list, false,
         "Reuses, newest first: {count, results}. id: only those of that dataset; offset, limit "
         "(1-100, default 20)."});
}

}  // namespace datamap::api
