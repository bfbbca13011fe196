// Data requests (제공신청), ckanext-datarequests' actions with data.go.kr's workflow: a signed-in
// citizen asks an agency for data; people vote (once each) and comment; the agency asked (its
// editors and admins) or a sysadmin answers: 검토중 (reviewing), 제공 예정 (scheduled, with a
// date), then closes it as 제공 완료 (provided, with the dataset that answers it) or 제공 불가
// (refused, with a reason from a fixed list). Deadlines: catalog/demand.h. A request with no agency
// named is answered by a sysadmin (who may also name the agency).
#include <algorithm>
#include <map>

#include "api/actions/demand_support.h"
#include "api/actions/support.h"
#include "api/params.h"
#include "catalog/demand_activity.h"
#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/validation.h"
#include "search/request_index.h"

namespace datamap::api {
namespace {

using catalog::DataRequest;
using rapidjson::Document;
using rapidjson::Value;
using namespace actions;

constexpr std::size_t kTitleChars = 200;
constexpr std::size_t kLongChars = 5000;
constexpr std::size_t kShortChars = 500;

const char* status_label(std::string_view s) {
  if (s == "received") return "접수";
  if (s == "reviewing") return "검토중";
  if (s == "scheduled") return "제공 예정";
  if (s == "provided") return "제공 완료";
  if (s == "refused") return "제공 불가";
  return "";
}

DataRequest find_request(ActionContext& ctx, const std::string& id) {
  auto r = demand(ctx).request(id);
  if (!r) throw NotFound("Data request not found");
  return std::move(*r);
}

// The agency asked answers; without one, a sysadmin does.
bool may_answer(const Caller& caller, const DataRequest& r) {
  return r.organization_id.empty() ? caller.sysadmin() : caller.can_edit_org(r.organization_id);
}
void require_answerer(const Caller& caller, const DataRequest& r) {
  require_login(caller);
  if (!may_answer(caller, r))
    throw NotAuthorized("only the agency asked (its editors and admins) may answer this request");
}
bool may_moderate(const Caller& caller, const DataRequest& r) {
  return caller.sysadmin() ||
         (!r.organization_id.empty() && caller.can_admin_org(r.organization_id));
}

// The organization id for `ref` (id, name or code); "" stays "". Unknown: 409 on `field`.
std::string organization_id(ActionContext& ctx, const std::string& ref, const char* field) {
  if (ref.empty()) return {};
  auto org = ctx.services.store->organization(ref);
  if (!org) throw ValidationError(field, "Organization not found");
  return org->id;
}

// The dataset named by `field`: one everybody may see, since the request shows it publicly.
catalog::Dataset public_dataset(ActionContext& ctx, const std::string& ref, const char* field) {
  auto d = ref.empty() ? std::nullopt : ctx.services.store->dataset(ref);
  if (!d || !catalog::is_public(*d)) throw ValidationError(field, "Must name a public dataset");
  return std::move(*d);
}

// Who hears of a change: the requester, the voters and the request's followers.
std::vector<std::string> audience(ActionContext& ctx, const DataRequest& r) {
  std::vector<std::string> to = demand(ctx).voters(r.id);
  to.insert(to.begin(), r.user_id);
  for (std::string& id : ctx.services.store->followers("datarequest", r.id))
    to.push_back(std::move(id));
  return to;
}

void announce(ActionContext& ctx, const DataRequest& r, const std::string& kind,
              const std::string& body, std::vector<std::string> recipients,
              const std::string& comment_id = "") {
  DemandEvent e;
  e.entity = "datarequest";
  e.entity_id = r.id;
  e.kind = kind;
  e.subject = std::string("[제공신청] ") + r.title + " — " + status_label(r.status);
  e.body = body;
  e.link = "/requests/" + r.id;
  e.recipients = std::move(recipients);
  e.activity = catalog::request_activity(r, kind, comment_id);
  demand_changed(ctx, e);
}

void write_request(ActionContext& ctx, const DataRequest& r, std::int64_t now, Value& out,
                   Alloc& a) {
  out.SetObject();
  out.AddMember("id", json_string(r.id, a), a);
  out.AddMember("title", json_string(r.title, a), a);
  out.AddMember("description", json_string(r.description, a), a);
  out.AddMember("purpose", json_string(r.purpose, a), a);
  Value org(rapidjson::kNullType);
  if (!r.organization_id.empty())
    if (auto o = ctx.services.store->organization(r.organization_id)) {
      org.SetObject();
      org.AddMember("id", json_string(o->id, a), a);
      org.AddMember("name", json_string(o->name, a), a);
      org.AddMember("title", json_string(o->title.empty() ? o->name : o->title, a), a);
    }
  out.AddMember("organization", org, a);
  out.AddMember("fields", json_string(r.fields, a), a);
  out.AddMember("format", json_string(r.format, a), a);
  out.AddMember("user", json_string(user_name(ctx, r.user_id), a), a);
  out.AddMember("status", json_string(r.status, a), a);
  out.AddMember("status_label", Value(status_label(r.status), a), a);
  out.AddMember("closed", catalog::is_closed_status(r.status), a);
  out.AddMember("scheduled_date", json_string(r.scheduled_date, a), a);
  // The answering dataset as the caller may see it now: one made private or deleted since the
  // request was closed is not named (a private dataset's name is not public).
  Value pkg_id(rapidjson::kNullType), pkg_name(rapidjson::kNullType);
  if (!r.dataset_id.empty())
    if (auto d = ctx.services.store->dataset(r.dataset_id); d && actions::may_see(ctx, *d)) {
      pkg_id = json_string(d->id, a);
      pkg_name = json_string(d->name, a);
    }
  out.AddMember("package_id", pkg_id, a);
  out.AddMember("package_name", pkg_name, a);
  out.AddMember("refusal_reason", json_string(r.refusal_reason, a), a);
  out.AddMember("legal_basis", json_string(r.legal_basis, a), a);
  out.AddMember("answer", json_string(r.answer, a), a);
  out.AddMember("extended", r.extended, a);
  out.AddMember("deadline", json_string(catalog::request_deadline(r), a), a);
  out.AddMember("overdue", catalog::request_overdue(r, now), a);
  out.AddMember("votes", Value(r.votes), a);
  out.AddMember("comment_count", Value(r.comments), a);
  out.AddMember("created", json_string(r.created, a), a);
  out.AddMember("modified", json_string(r.modified, a), a);
  out.AddMember("closed_at", json_string(r.closed_at, a), a);
}

// The requester's part of a request: create takes all of it, update what is given.
void read_request_fields(ActionContext& ctx, const Value& params, DataRequest& r, bool create) {
  auto given = [&](const char* key) { return create || params.HasMember(key); };
  if (given("title")) r.title = text_param(params, "title", kTitleChars, true);
  if (given("description")) r.description = text_param(params, "description", kLongChars, false);
  if (given("purpose")) {
    r.purpose = text_param(params, "purpose", 20, false);
    if (r.purpose.empty()) r.purpose = "other";
    if (!catalog::is_purpose(r.purpose))
      throw ValidationError("purpose",
                            "Must be one of business, research, personal, public, other");
  }
  if (given("organization"))
    r.organization_id =
        organization_id(ctx, text_param(params, "organization", 200, false), "organization");
  if (given("fields")) r.fields = text_param(params, "fields", kLongChars, false);
  if (given("format")) r.format = text_param(params, "format", 50, false);
}

search::RequestIndex& request_index(ActionContext& ctx) {
  if (!ctx.services.request_index) throw BadRequest("Request search is not enabled on this server");
  return *ctx.services.request_index;
}

// Matches beyond this many are not listed (a query that broad is refined, not paged through).
constexpr std::size_t kMaxMatches = 2000;

// Requests and datasets like `title`: what the requester may be about to ask twice. Both come
// from the search (search/request_index.h and package_search), which reads the title as it
// reads any query: particles, compounds, synonyms, typos.
void write_similar(ActionContext& ctx, const std::string& title, Value& out, Alloc& a) {
  out.SetObject();
  catalog::RequestQuery q;
  q.ids = request_index(ctx).match(title, kMaxMatches, /*plain_words=*/true);
  q.status = "open";
  q.sort = "rank";
  q.limit = 5;
  Value requests(rapidjson::kArrayType);
  for (const DataRequest& r : demand(ctx).requests(q).items) {
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(r.id, a), a);
    v.AddMember("title", json_string(r.title, a), a);
    v.AddMember("status", json_string(r.status, a), a);
    v.AddMember("votes", Value(r.votes), a);
    requests.PushBack(v, a);
  }
  out.AddMember("requests", requests, a);
  // The datasets: the search the portal already has, as the caller may see it.
  Value datasets(rapidjson::kArrayType);
  if (ctx.services.search && ctx.services.registry && !title.empty()) {
    Document params(rapidjson::kObjectType);
    params.AddMember("q", json_string(title, params.GetAllocator()), params.GetAllocator());
    params.AddMember("rows", 5, params.GetAllocator());
    Document found;
    try {
      call_action(*ctx.services.registry, ctx, "package_search", params, found);
    } catch (const BadRequest&) {  // a title that is no valid query suggests nothing
      found.SetNull();
    }
    if (found.IsObject() && found.HasMember("results") && found["results"].IsArray())
      for (const auto& p : found["results"].GetArray()) {
        if (!p.IsObject()) continue;
        Value v(rapidjson::kObjectType);
        for (const char* key : {"id", "name", "title"}) {
          auto it = p.FindMember(key);
          v.AddMember(Value(key, a),
                      it != p.MemberEnd() && it->value.IsString() ? Value(it->value, a) : Value(""),
                      a);
        }
        datasets.PushBack(v, a);
      }
  }
  out.AddMember("datasets", datasets, a);
}

void datarequest_create(ActionContext& ctx, const Value& params, Document& result) {
  require_login(ctx.caller);
  DataRequest r;
  read_request_fields(ctx, params, r, true);
  r.user_id = ctx.caller.user->id;
  charge_write(ctx);
  auto& a = result.GetAllocator();
  Value similar;
  write_similar(ctx, r.title, similar, a);
  demand(ctx).insert_request(r);
  follow_as_caller(ctx, "datarequest", r.id);  // the requester hears of every step
  announce(ctx, r, "created", "제공신청이 접수되었습니다: " + r.title, {r.user_id});
  write_request(ctx, r, evaluation_time(params), result, a);
  result.AddMember("similar", similar, a);
}

void datarequest_similar(ActionContext& ctx, const Value& params, Document& result) {
  std::string title = text_param(params, "title", kTitleChars, true);
  write_similar(ctx, title, result, result.GetAllocator());
}

void datarequest_show(ActionContext& ctx, const Value& params, Document& result) {
  DataRequest r = find_request(ctx, need_string(params, "id"));
  auto& a = result.GetAllocator();
  write_request(ctx, r, evaluation_time(params), result, a);
  const bool moderator = may_moderate(ctx.caller, r);
  Value comments(rapidjson::kArrayType);
  for (const catalog::RequestComment& c : demand(ctx).comments(r.id)) {
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(c.id, a), a);
    v.AddMember("user", json_string(user_name(ctx, c.user_id), a), a);
    // A hidden comment's text is kept for the moderators (and the audit), not shown to others.
    v.AddMember("text", json_string(c.hidden && !moderator ? "" : c.text, a), a);
    v.AddMember("hidden", c.hidden, a);
    v.AddMember("created", json_string(c.created, a), a);
    comments.PushBack(v, a);
  }
  result.AddMember("comments", comments, a);
  result.AddMember("voted", ctx.caller.user && demand(ctx).has_voted(r.id, ctx.caller.user->id), a);
  result.AddMember("may_answer", ctx.caller.user.has_value() && may_answer(ctx.caller, r), a);
  result.AddMember("may_moderate", moderator, a);
  if (moderator) {
    Value audit(rapidjson::kArrayType);
    for (const catalog::CommentAudit& e : demand(ctx).comment_audit(r.id)) {
      Value v(rapidjson::kObjectType);
      v.AddMember("comment_id", json_string(e.comment_id, a), a);
      v.AddMember("user", json_string(user_name(ctx, e.actor_id), a), a);
      v.AddMember("action", json_string(e.action, a), a);
      v.AddMember("reason", json_string(e.reason, a), a);
      v.AddMember("at", json_string(e.at, a), a);
      audit.PushBack(v, a);
    }
    result.AddMember("comment_audit", audit, a);
  }
}

// The requester edits what was asked while it is still 접수; the agency moves the status
// (reviewing, scheduled with a date), writes its answer, and may extend the deadline once.
void datarequest_update(ActionContext& ctx, const Value& params, Document& result) {
  require_login(ctx.caller);
  DataRequest r = find_request(ctx, need_string(params, "id"));
  if (catalog::is_closed_status(r.status))
    throw ValidationError("status", "This request is closed");
  const std::string status = opt_string(params, "status").value_or("");
  const bool extend = opt_bool(params, "extend", false);
  const bool agency_part =
      !status.empty() || extend || params.HasMember("answer") || params.HasMember("scheduled_date");
  const bool requester_part = params.HasMember("title") || params.HasMember("description") ||
                              params.HasMember("purpose") || params.HasMember("organization") ||
                              params.HasMember("fields") || params.HasMember("format");
  if (!agency_part && !requester_part) throw ValidationError("id", "Nothing to update");
  std::string kind = "updated";
  if (requester_part) {
    if (ctx.caller.user->id != r.user_id && !ctx.caller.sysadmin())
      throw NotAuthorized("only the requester may edit the request");
    if (r.status != "received" && !ctx.caller.sysadmin())
      throw ValidationError("status", "The request is being answered and can no longer be edited");
    read_request_fields(ctx, params, r, false);
  }
  if (agency_part) {
    require_answerer(ctx.caller, r);
    if (!status.empty()) {
      if (status != "reviewing" && status != "scheduled")
        throw ValidationError(
            "status", "Must be reviewing or scheduled (close the request with datarequest_close)");
      if (status == "reviewing" && r.status == "scheduled")
        throw ValidationError("status", "A scheduled request does not go back to reviewing");
      r.status = status;
      kind = "status";
    }
    if (params.HasMember("scheduled_date") || status == "scheduled") {
      std::string date = text_param(params, "scheduled_date", 10, status == "scheduled");
      if (!date.empty() && (date.size() != 10 || catalog::utc_seconds(date) < 0))
        throw ValidationError("scheduled_date", "Must be a date (YYYY-MM-DD)");
      r.scheduled_date = date;
    }
    if (params.HasMember("answer")) r.answer = text_param(params, "answer", kLongChars, false);
    if (extend) {
      if (r.extended) throw ValidationError("extend", "The deadline was already extended once");
      r.extended = true;
    }
  }
  demand(ctx).update_request(r);
  std::string body = std::string("상태: ") + status_label(r.status);
  if (!r.scheduled_date.empty()) body += " (제공 예정일 " + r.scheduled_date + ")";
  if (!r.answer.empty()) body += "\n" + r.answer;
  announce(ctx, r, kind, body, audience(ctx, r));
  write_request(ctx, r, evaluation_time(params), result, result.GetAllocator());
}

// 제공 완료 with the dataset that answers the request, or 제공 불가 with a reason: 이미 개방됨
// (already_open) names the dataset that is already open, 비공개 대상 (non_disclosure) the legal
// basis.
void datarequest_close(ActionContext& ctx, const Value& params, Document& result) {
  require_login(ctx.caller);
  DataRequest r = find_request(ctx, need_string(params, "id"));
  require_answerer(ctx.caller, r);
  if (catalog::is_closed_status(r.status))
    throw ValidationError("status", "This request is already closed");
  const std::string outcome = need_string(params, "outcome");
  const std::string dataset = text_param(params, "package_id", 200, false);
  r.answer = text_param(params, "answer", kLongChars, false);
  r.dataset_id.clear();
  r.refusal_reason.clear();
  r.legal_basis.clear();
  if (outcome == "provided") {
    r.dataset_id = public_dataset(ctx, dataset, "package_id").id;
  } else if (outcome == "refused") {
    r.refusal_reason = need_string(params, "reason");
    if (!catalog::is_refusal_reason(r.refusal_reason))
      throw ValidationError("reason",
                            "Must be one of already_open, non_disclosure, not_held, "
                            "cannot_produce, other");
    if (r.refusal_reason == "already_open")
      r.dataset_id = public_dataset(ctx, dataset, "package_id").id;
    if (r.refusal_reason == "non_disclosure")
      r.legal_basis = text_param(params, "legal_basis", kShortChars, true);
  } else {
    throw ValidationError("outcome", "Must be provided or refused");
  }
  r.status = outcome;
  r.closed_at = catalog::now_iso8601();
  demand(ctx).update_request(r);
  std::string body = std::string("결과: ") + status_label(r.status);
  if (!r.answer.empty()) body += "\n" + r.answer;
  announce(ctx, r, "closed", body, audience(ctx, r));
  write_request(ctx, r, evaluation_time(params), result, result.GetAllocator());
}

// datarequest_list and datarequest_search: one query, filters and paging.
void datarequest_search(ActionContext& ctx, const Value& params, Document& result) {
  catalog::RequestQuery q;
  const std::string text = text_param(params, "q", kTitleChars, false);
  q.status = opt_string(params, "status").value_or("");
  if (!q.status.empty() && q.status != "open" && !catalog::is_request_status(q.status))
    throw ValidationError("status",
                          "Must be open, received, reviewing, scheduled, provided or refused");
  q.organization_id =
      organization_id(ctx, opt_string(params, "organization").value_or(""), "organization");
  if (auto user = opt_string(params, "user"); user && !user->empty()) {
    auto u = ctx.services.store->user(*user);
    if (!u) throw ValidationError("user", "User not found");
    q.user_id = u->id;
  }
  if (auto pkg = opt_string(params, "package_id"); pkg && !pkg->empty()) {
    auto d = ctx.services.store->dataset(*pkg);
    q.dataset_id = d ? d->id : *pkg;
  }
  const std::int64_t now = evaluation_time(params);
  if (opt_bool(params, "overdue", false)) q.overdue_at = now;
  q.sort = opt_string(params, "sort").value_or(text.empty() ? "created desc" : "rank");
  if (q.sort != "created desc" && q.sort != "created asc" && q.sort != "votes desc" &&
      q.sort != "modified desc" && q.sort != "rank")
    throw ValidationError("sort",
                          "Must be rank, created desc, created asc, votes desc or modified desc");
  if (!text.empty()) q.ids = request_index(ctx).match(text, kMaxMatches);
  q.offset = opt_int(params, "offset", 0, 0, 1'000'000);
  q.limit = opt_int(params, "limit", 20, 1, 100);
  catalog::Page<DataRequest> page = demand(ctx).requests(q);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("count", Value(page.count), a);
  Value items(rapidjson::kArrayType);
  for (const DataRequest& r : page.items) {
    Value v;
    write_request(ctx, r, now, v, a);
    items.PushBack(v, a);
  }
  result.AddMember("results", items, a);
}

// Per agency: requests still open and those past their deadline (as_of), worst first.
void datarequest_overdue_summary(ActionContext& ctx, const Value& params, Document& result) {
  const std::int64_t now = evaluation_time(params);
  struct Counts {
    std::int64_t open = 0, overdue = 0;
  };
  std::map<std::string, Counts> by_org;
  for (const DataRequest& r : demand(ctx).open_requests(1'000'000)) {
    Counts& c = by_org[r.organization_id];
    ++c.open;
    if (catalog::request_overdue(r, now)) ++c.overdue;
  }
  std::vector<std::pair<std::string, Counts>> rows(by_org.begin(), by_org.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
    return x.second.overdue != y.second.overdue ? x.second.overdue > y.second.overdue
                                                : x.second.open > y.second.open;
  });
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("as_of", json_string(catalog::utc_iso(now), a), a);
  Value orgs(rapidjson::kArrayType);
  for (const auto& [id, counts] : rows) {
    Value v(rapidjson::kObjectType);
    auto o = id.empty() ? std::nullopt : ctx.services.store->organization(id);
    v.AddMember("organization", o ? json_string(o->name, a) : Value(), a);
    v.AddMember("title", json_string(o ? (o->title.empty() ? o->name : o->title) : "", a), a);
    v.AddMember("open", Value(counts.open), a);
    v.AddMember("overdue", Value(counts.overdue), a);
    orgs.PushBack(v, a);
  }
  result.AddMember("organizations", orgs, a);
}

// A tally of votes in the request's streams (catalog::is_vote_milestone), named as nobody's:
// the crowd reached it, and a vote is not a public act of the voter.
void record_vote_tally(ActionContext& ctx, const DataRequest& r) {
  catalog::Activity tally = catalog::request_activity(r, "votes");
  ctx.services.store->write([&](catalog::Transaction& tx) { tx.record_activity(tally); });
}

// One vote per user: a second vote changes nothing and says so (`counted` false).
void datarequest_vote(ActionContext& ctx, const Value& params, Document& result) {
  require_login(ctx.caller);
  DataRequest r = find_request(ctx, need_string(params, "id"));
  if (catalog::is_closed_status(r.status))
    throw ValidationError("status", "This request is closed");
  charge_write(ctx);
  // The count this vote made, not a re-read: with votes arriving at once a re-read may already
  // be past the milestone, and no vote would record it.
  const std::int64_t counted_as = demand(ctx).add_vote(r.id, ctx.caller.user->id);
  const bool counted = counted_as > 0;
  r = find_request(ctx, r.id);
  if (counted && catalog::is_vote_milestone(counted_as)) {
    DataRequest at_milestone = r;
    at_milestone.votes = counted_as;
    record_vote_tally(ctx, at_milestone);
  }
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("id", json_string(r.id, a), a);
  result.AddMember("votes", Value(r.votes), a);
  result.AddMember("voted", true, a);
  result.AddMember("counted", counted, a);
}

void write_comment(ActionContext& ctx, const catalog::RequestComment& c, Value& out, Alloc& a) {
  out.SetObject();
  out.AddMember("id", json_string(c.id, a), a);
  out.AddMember("request_id", json_string(c.request_id, a), a);
  out.AddMember("user", json_string(user_name(ctx, c.user_id), a), a);
  out.AddMember("text", json_string(c.text, a), a);
  out.AddMember("hidden", c.hidden, a);
  out.AddMember("created", json_string(c.created, a), a);
}

void datarequest_comment(ActionContext& ctx, const Value& params, Document& result) {
  require_login(ctx.caller);
  DataRequest r = find_request(ctx, need_string(params, "id"));
  catalog::RequestComment c;
  c.request_id = r.id;
  c.user_id = ctx.caller.user->id;
  c.text = text_param(params, "comment", 2000, true);
  charge_write(ctx);
  demand(ctx).add_comment(c);
  r = find_request(ctx, r.id);  // the comment count the activity shows
  announce(ctx, r, "comment", ctx.caller.user->name + ": " + c.text, {r.user_id}, c.id);
  write_comment(ctx, c, result, result.GetAllocator());
}

// The agency's admins or a sysadmin hide (or show again) a comment; each step is audited.
void datarequest_comment_hide(ActionContext& ctx, const Value& params, Document& result) {
  require_login(ctx.caller);
  auto c = demand(ctx).comment(need_string(params, "id"));
  if (!c) throw NotFound("Comment not found");
  DataRequest r = find_request(ctx, c->request_id);
  if (!may_moderate(ctx.caller, r))
    throw NotAuthorized("only an admin of the agency asked, or a sysadmin, may moderate comments");
  const bool hidden = opt_bool(params, "hidden", true);
  catalog::CommentAudit audit;
  audit.comment_id = c->id;
  audit.actor_id = ctx.caller.user->id;
  audit.action = hidden ? "hide" : "show";
  audit.reason = text_param(params, "reason", kShortChars, hidden);
  demand(ctx).set_comment_hidden(c->id, hidden, audit);
  c->hidden = hidden;
  write_comment(ctx, *c, result, result.GetAllocator());
}

}  // namespace

namespace actions {
// package_show's `datarequests`: the requests this dataset answers (closed with it).
void write_dataset_requests(ActionContext& ctx, const std::string& dataset_id, Value& out,
                            Alloc& a) {
  out.SetArray();
  if (!ctx.services.demand) return;
  catalog::RequestQuery q;
  q.dataset_id = dataset_id;
  q.limit = 100;
  for (const DataRequest& r : ctx.services.demand->requests(q).items) {
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(r.id, a), a);
    v.AddMember("title", json_string(r.title, a), a);
    v.AddMember("status", json_string(r.status, a), a);
    v.AddMember("votes", Value(r.votes), a);
    v.AddMember("closed_at", json_string(r.closed_at, a), a);
    out.PushBack(v, a);
  }
}
}  // namespace actions

void register_request_actions(Registry& r) {
  r.add({"datarequest_create", datarequest_create, true,
         "File a data request (signed in): `title`, `description`, `purpose`, `organization` "
         "(the agency asked, optional), `fields`, `format`. The result carries `similar` requests "
         "and datasets."});
  r.add({"datarequest_similar", datarequest_similar, false,
         "Open requests and datasets like `title`: what to check before filing a request.",
         Cost::expensive});
  r.add({"datarequest_show", datarequest_show, false,
         "A data request (`id`) with its comments, deadline and overdue flag (`as_of`)."});
  r.add({"datarequest_update", datarequest_update, true,
         "The requester edits a request still 접수; the agency asked sets `status` (reviewing, "
         "scheduled with `scheduled_date`), `answer`, or `extend`s the deadline once."});
  r.add({"datarequest_close", datarequest_close, true,
         "The agency asked closes a request: `outcome` provided (with `package_id`) or refused "
         "(with `reason`; already_open needs `package_id`, non_disclosure `legal_basis`)."});
  r.add({"datarequest_list", datarequest_search, false,
         "Data requests, newest first: `status`, `organization`, `user`, `package_id`, "
         "`overdue`, `sort`, `offset`, `limit`."});
  r.add({"datarequest_search", datarequest_search, false,
         "Data requests matching `q`, analysed as package_search analyses it (particles, compound "
         "words, standard-term synonyms, typos), best first, with the filters of "
         "datarequest_list."});
  r.add({"datarequest_overdue_summary", datarequest_overdue_summary, false,
         "Per agency: open requests and those past their answer deadline (`as_of`)."});
  r.add({"datarequest_vote", datarequest_vote, true,
         "Vote for a request (`id`), once per user; a second vote counts nothing."});
  r.add({"datarequest_comment", datarequest_comment, true,
         "Comment (`comment`) on a request (`id`), signed in."});
  r.add({"datarequest_comment_hide", datarequest_comment_hide, true,
         "Hide (`hidden` true, with a `reason`) or show again a comment (`id`): an admin of the "
         "agency asked or a sysadmin; every step is kept in the audit trail."});
}

}  // namespace datamap::api
