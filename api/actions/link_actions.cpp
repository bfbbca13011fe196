// link_check_show and organization_link_report: what the link checker (quality/link_checker.h)
// recorded in the catalog (catalog/link_checks.h). Only public datasets' links are checked, so
// everything here is public; a resource of a dataset the caller may not see is 404.
#include "api/actions/support.h"
#include "api/json.h"
#include "api/params.h"
#include "api/resolve.h"
#include "catalog/errors.h"
#include "catalog/link_checks.h"

namespace datamap::api {
namespace {

using catalog::LinkCheck;
using rapidjson::Document;
using rapidjson::Value;

catalog::LinkRecords& links(ActionContext& ctx) {
  if (!ctx.services.links) throw BadRequest("Link checks are not available on this server");
  return *ctx.services.links;
}

void write_check(const LinkCheck& c, Value& out, Alloc& a) {
  out.SetObject();
  out.AddMember("checked_at", json_string(c.checked_at, a), a);
  out.AddMember("answer", Value(catalog::to_string(c.answer), a), a);
  out.AddMember("status", Value(static_cast<std::int64_t>(c.status)), a);
  out.AddMember("error", json_string(c.error, a), a);
  out.AddMember("message", json_string(c.message, a), a);
  out.AddMember("final_url", json_string(c.final_url, a), a);
  out.AddMember("content_type", json_string(c.content_type, a), a);
  if (c.content_length >= 0)
    out.AddMember("content_length", Value(c.content_length), a);
  else
    out.AddMember("content_length", Value(rapidjson::kNullType), a);
  out.AddMember("response_ms", Value(c.response_ms), a);
}

// `id`: a resource id (its url's checks); or `url`: any URL a public dataset names.
void link_check_show(ActionContext& ctx, const Value& params, Document& result) {
  auto& records = links(ctx);
  std::string url = opt_string(params, "url").value_or("");
  std::string resource_id;
  if (url.empty()) {
    resource_id = need_string(params, "id");
    auto r = ctx.services.store->resource(resource_id);
    if (!r) throw NotFound("Resource not found");
    actions::visible_dataset(ctx, r->package_id);  // 404 unless the caller may see it
    url = r->url;
  }
  auto link = url.empty() ? std::nullopt : records.link(url);
  if (!link && resource_id.empty()) throw NotFound("No public dataset links to this URL");
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("url", json_string(url, a), a);
  if (!resource_id.empty()) result.AddMember("resource_id", json_string(resource_id, a), a);
  result.AddMember(
      "answer", Value(catalog::to_string(link ? link->answer : catalog::LinkAnswer::kUnknown), a),
      a);
  Value latest(rapidjson::kNullType);
  if (link && link->latest) write_check(*link->latest, latest, a);
  result.AddMember("latest", latest, a);
  Value history(rapidjson::kArrayType);
  if (link)
    for (const LinkCheck& c : link->history) {
      Value v;
      write_check(c, v, a);
      history.PushBack(v, a);
    }
  result.AddMember("history", history, a);
  result.AddMember("next_check", link ? json_string(link->next_check_at, a) : Value(), a);
  Value named(rapidjson::kArrayType);
  if (link)
    for (const catalog::LinkTarget& t : link->targets) {
      Value v(rapidjson::kObjectType);
      v.AddMember("package_id", json_string(t.dataset_id, a), a);
      v.AddMember("resource_id", json_string(t.resource_id, a), a);  // "" = the landing page
      named.PushBack(v, a);
    }
  result.AddMember("named_by", named, a);
}

// An agency's broken links, by dataset name: what it has to fix.
void organization_link_report(ActionContext& ctx, const Value& params, Document& result) {
  auto& records = links(ctx);
  auto org = resolve_organization(*ctx.services.store, need_string(params, "id"));
  if (!org) throw NotFound("Organization not found");
  const std::int64_t offset = opt_int(params, "offset", 0, 0, 1'000'000'000);
  const std::int64_t limit = opt_int(params, "limit", 100, 1, 1000);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("organization", json_string(org->name, a), a);
  result.AddMember("count", Value(records.count_broken_links(org->id)), a);
  Value broken(rapidjson::kArrayType);
  for (const catalog::BrokenLink& b : records.broken_links(org->id, offset, limit)) {
    Value v(rapidjson::kObjectType);
    v.AddMember("package_id", json_string(b.dataset_id, a), a);
    v.AddMember("package_name", json_string(b.dataset_name, a), a);
    v.AddMember("resource_id", json_string(b.resource_id, a), a);
    v.AddMember("url", json_string(b.url, a), a);
    Value latest;
    write_check(b.latest, latest, a);
    v.AddMember("latest", latest, a);
    broken.PushBack(v, a);
  }
  result.AddMember("broken", broken, a);
}

}  // namespace

// status_show's "links": how many URLs answer, are broken, are not known yet.
void write_link_counts(ActionContext& ctx, Value& out, Alloc& a) {
  catalog::LinkCounts c = links(ctx).counts();
  out.SetObject();
  out.AddMember("urls", Value(c.urls), a);
  out.AddMember("answering", Value(c.answering), a);
  out.AddMember("broken", Value(c.broken), a);
  out.AddMember("unknown", Value(c.unknown), a);
  out.AddMember("datasets_with_broken_links", Value(c.datasets_broken), a);
}

void register_link_actions(Registry& r) {
  r.add({"link_check_show", link_check_show, false,
         "The link checker's latest result and history for a resource's URL (`id`) or a `url` "
         "a public dataset names."});
  r.add({"organization_link_report", organization_link_report, false,
         "An organization's (`id`) broken links, by dataset name (`offset`, `limit`)."});
}

}  // namespace datamap::api
