// Error reports (품질오류신고) on a dataset or one of its resources: any signed-in user who may see
// the dataset files one (wrong values, broken link, outdated, other); the publishing agency's
// editors and admins (or a sysadmin) move it 대기 (pending) → 접수 (accepted) → 통지 (notified:
// answered and closed), within 10 days; everyone else is refused with 403. The reporter hears of
// each step (demand_changed). And the outbox as each user reads it: notification_list.
#include "api/actions/demand_support.h"
#include "api/actions/support.h"
#include "api/params.h"
#include "catalog/demand_activity.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/outbox.h"

namespace datamap::api {
namespace {

using catalog::IssueReport;
using rapidjson::Document;
using rapidjson::Value;
using namespace actions;

const char* status_label(std::string_view s) {
  if (s == "pending") return "대기";
  if (s == "accepted") return "접수";
  if (s == "notified") return "통지";
  return "";
}

// The report `id` as the caller may see it: one on a dataset the caller may not see is 404.
std::pair<IssueReport, catalog::Dataset> visible_report(ActionContext& ctx, const std::string& id) {
  auto r = demand(ctx).report(id);
  if (!r) throw NotFound("Error report not found");
  auto d = ctx.services.store->dataset(r->dataset_id);
  if (!d || !may_see(ctx, *d)) throw NotFound("Error report not found");
  return {std::move(*r), std::move(*d)};
}

void require_agency(const Caller& caller, const IssueReport& r) {
  require_login(caller);
  if (!caller.can_edit_org(r.organization_id))
    throw NotAuthorized(
        "only the publishing agency (its editors and admins) may handle this report");
}

void write_report(ActionContext& ctx, const IssueReport& r, const catalog::Dataset* d,
                  std::int64_t now, Value& out, Alloc& a) {
  out.SetObject();
  out.AddMember("id", json_string(r.id, a), a);
  out.AddMember("package_id", json_string(r.dataset_id, a), a);
  out.AddMember("package_name", json_string(d ? d->name : "", a), a);
  out.AddMember("package_title", json_string(d ? d->title : "", a), a);
  out.AddMember("resource_id", json_string(r.resource_id, a), a);
  auto org = r.organization_id.empty() ? std::nullopt
                                       : ctx.services.store->organization(r.organization_id);
  out.AddMember("organization", org ? json_string(org->name, a) : Value(), a);
  out.AddMember("kind", json_string(r.kind, a), a);
  out.AddMember("description", json_string(r.description, a), a);
  out.AddMember("user", json_string(user_name(ctx, r.user_id), a), a);
  out.AddMember("status", json_string(r.status, a), a);
  out.AddMember("status_label", Value(status_label(r.status), a), a);
  out.AddMember("answer", json_string(r.answer, a), a);
  out.AddMember("deadline", json_string(catalog::report_deadline(r), a), a);
  out.AddMember("overdue", catalog::report_overdue(r, now), a);
  out.AddMember("created", json_string(r.created, a), a);
  out.AddMember("modified", json_string(r.modified, a), a);
  out.AddMember("accepted_at", json_string(r.accepted_at, a), a);
  out.AddMember("closed_at", json_string(r.closed_at, a), a);
  out.AddMember("may_handle", ctx.caller.user.has_value() && ctx.caller.can_edit_org(r.organization_id),
                a);
}

// Who hears of a report's steps: the reporter and the dataset's followers who may still see it.
std::vector<std::string> report_audience(ActionContext& ctx, const IssueReport& r,
                                         const catalog::Dataset& d) {
  std::vector<std::string> to{r.user_id};
  for (std::string& id : ctx.services.store->followers("dataset", d.id)) {
    if (d.is_private) {
      Caller follower{ctx.services.store->user(id)};
      if (!follower.user || !follower.visibility().sees_private_of(d.owner_org)) continue;
    }
    to.push_back(std::move(id));
  }
  return to;
}

void announce(ActionContext& ctx, const IssueReport& r, const catalog::Dataset& d,
              const std::string& kind) {
  DemandEvent e;
  e.entity = "issue_report";
  e.entity_id = r.id;
  e.kind = kind;
  e.subject = std::string("[오류신고] ") + d.title + " — " + status_label(r.status);
  e.body = r.answer.empty() ? std::string("상태: ") + status_label(r.status) : r.answer;
  e.link = "/dataset/" + d.name;
  e.recipients = report_audience(ctx, r, d);
  e.activity = catalog::report_activity(r, d, kind);
  demand_changed(ctx, e);
}

void issue_report_create(ActionContext& ctx, const Value& params, Document& result) {
  require_login(ctx.caller);
  catalog::Dataset d = visible_dataset(ctx, need_string(params, "package_id"));
  IssueReport r;
  r.dataset_id = d.id;
  r.organization_id = d.owner_org;
  r.resource_id = opt_string(params, "resource_id").value_or("");
  if (!r.resource_id.empty()) {
    bool found = false;
    for (const auto& res : d.resources) found = found || res.id == r.resource_id;
    if (!found) throw ValidationError("resource_id", "Not a resource of this dataset");
  }
  r.kind = need_string(params, "kind");
  if (!catalog::is_report_kind(r.kind))
    throw ValidationError("kind", "Must be one of wrong_values, broken_link, outdated, other");
  r.description = text_param(params, "description", 5000, true);
  r.user_id = ctx.caller.user->id;
  charge_write(ctx);
  demand(ctx).insert_report(r);
  announce(ctx, r, d, "created");
  write_report(ctx, r, &d, evaluation_time(params), result, result.GetAllocator());
}

void issue_report_show(ActionContext& ctx, const Value& params, Document& result) {
  auto [r, d] = visible_report(ctx, need_string(params, "id"));
  write_report(ctx, r, &d, evaluation_time(params), result, result.GetAllocator());
}

// Reports of a dataset (`package_id`), an agency (`organization`) or a reporter (`user`).
// Reports on datasets the caller may not see are left out of the page (and of `count`).
void issue_report_list(ActionContext& ctx, const Value& params, Document& result) {
  catalog::ReportQuery q;
  if (auto pkg = opt_string(params, "package_id"); pkg && !pkg->empty())
    q.dataset_id = visible_dataset(ctx, *pkg).id;
  if (auto org = opt_string(params, "organization"); org && !org->empty()) {
    auto o = ctx.services.store->organization(*org);
    if (!o) throw NotFound("Organization not found");
    q.organization_id = o->id;
  }
  if (auto user = opt_string(params, "user"); user && !user->empty()) {
    auto u = ctx.services.store->user(*user);
    if (!u) throw NotFound("User not found");
    q.user_id = u->id;
  }
  q.status = opt_string(params, "status").value_or("");
  if (!q.status.empty() && q.status != "open" && !catalog::is_report_status(q.status))
    throw ValidationError("status", "Must be open, pending, accepted or notified");
  q.offset = opt_int(params, "offset", 0, 0, 1'000'000);
  q.limit = opt_int(params, "limit", 20, 1, 100);
  const std::int64_t now = evaluation_time(params);
  catalog::Page<IssueReport> page = demand(ctx).reports(q);
  auto& a = result.GetAllocator();
  result.SetObject();
  Value items(rapidjson::kArrayType);
  std::int64_t hidden = 0;
  for (const IssueReport& r : page.items) {
    auto d = ctx.services.store->dataset(r.dataset_id);
    if (!d || !may_see(ctx, *d)) {
      ++hidden;
      continue;
    }
    Value v;
    write_report(ctx, r, &*d, now, v, a);
    items.PushBack(v, a);
  }
  result.AddMember("count", Value(page.count - hidden), a);
  result.AddMember("results", items, a);
}

// 대기 → 접수: the agency accepts the report (optionally with a first `answer`).
void issue_report_update(ActionContext& ctx, const Value& params, Document& result) {
  require_login(ctx.caller);
  auto [r, d] = visible_report(ctx, need_string(params, "id"));
  require_agency(ctx.caller, r);
  if (r.status == "notified") throw ValidationError("status", "This report is closed");
  const std::string status = opt_string(params, "status").value_or("accepted");
  if (status != "accepted")
    throw ValidationError("status", "Must be accepted (close with issue_report_close)");
  if (params.HasMember("answer")) r.answer = text_param(params, "answer", 5000, false);
  const bool moved = r.status != "accepted";
  r.status = "accepted";
  if (moved) r.accepted_at = catalog::now_iso8601();
  demand(ctx).update_report(r);
  announce(ctx, r, d, moved ? "status" : "updated");
  write_report(ctx, r, &d, evaluation_time(params), result, result.GetAllocator());
}

// 접수 → 통지: the agency answers (`answer`, required) and the report is closed.
void issue_report_close(ActionContext& ctx, const Value& params, Document& result) {
  require_login(ctx.caller);
  auto [r, d] = visible_report(ctx, need_string(params, "id"));
  require_agency(ctx.caller, r);
  if (r.status == "notified") throw ValidationError("status", "This report is already closed");
  if (r.status != "accepted")
    throw ValidationError("status", "Accept the report (issue_report_update) before answering it");
  r.answer = text_param(params, "answer", 5000, true);
  r.status = "notified";
  r.closed_at = catalog::now_iso8601();
  demand(ctx).update_report(r);
  announce(ctx, r, d, "closed");
  write_report(ctx, r, &d, evaluation_time(params), result, result.GetAllocator());
}

// The caller's notifications, newest first, with the unread count.
void notification_list(ActionContext& ctx, const Value& params, Document& result) {
  require_login(ctx.caller);
  const std::string& me = ctx.caller.user->id;
  auto page = demand(ctx).notifications(me, opt_int(params, "offset", 0, 0, 1'000'000),
                                        opt_int(params, "limit", 20, 1, 100));
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("count", Value(page.count), a);
  result.AddMember("unread", Value(demand(ctx).unread_notifications(me)), a);
  Value items(rapidjson::kArrayType);
  for (const catalog::Notification& n : page.items) {
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(n.id, a), a);
    v.AddMember("subject", json_string(n.subject, a), a);
    v.AddMember("body", json_string(n.body, a), a);
    v.AddMember("link", json_string(n.link, a), a);
    v.AddMember("entity", json_string(n.entity, a), a);
    v.AddMember("entity_id", json_string(n.entity_id, a), a);
    // The mailer's progress on the row (catalog/outbox.h): sent, retrying or failed, and why.
    auto mail = ctx.services.outbox ? ctx.services.outbox->delivery(n.id) : std::nullopt;
    v.AddMember("email_state", json_string(mail ? mail->state : n.email_state, a), a);
    v.AddMember("email_attempts", Value(mail ? mail->attempts : 0), a);
    v.AddMember("email_error", json_string(mail ? mail->error : "", a), a);
    v.AddMember("read", n.read, a);
    v.AddMember("created", json_string(n.created, a), a);
    items.PushBack(v, a);
  }
  result.AddMember("results", items, a);
}

void notification_mark_read(ActionContext& ctx, const Value&, Document& result) {
  require_login(ctx.caller);
  demand(ctx).mark_notifications_read(ctx.caller.user->id);
  result.SetObject();
  result.AddMember("unread", 0, result.GetAllocator());
}

}  // namespace

void register_report_actions(Registry& r) {
  r.add({"issue_report_create", issue_report_create, true,
         "Report an error (signed in) in a dataset (`package_id`) or one of its resources "
         "(`resource_id`): `kind` wrong_values, broken_link, outdated or other, `description`."});
  r.add({"issue_report_show", issue_report_show, false,
         "An error report (`id`) with its status, deadline and overdue flag (`as_of`)."});
  r.add({"issue_report_list", issue_report_list, false,
         "Error reports by `package_id`, `organization`, `user`, `status` (open, pending, "
         "accepted, notified), newest first (`offset`, `limit`)."});
  r.add({"issue_report_update", issue_report_update, true,
         "The publishing agency accepts a report (`id`; 대기 → 접수), optionally with `answer`."});
  r.add({"issue_report_close", issue_report_close, true,
         "The publishing agency answers (`answer`) and closes an accepted report (접수 → 통지)."});
  r.add({"notification_list", notification_list, false,
         "Your notifications (the outbox), newest first, with the unread count."});
  r.add({"notification_mark_read", notification_mark_read, true,
         "Marks all your notifications read."});
}

}  // namespace datamap::api
