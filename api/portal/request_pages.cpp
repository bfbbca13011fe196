#include "api/portal/request_pages.h"

#include "api/portal/console_kit.h"
#include "api/portal/demand_kit.h"
#include "api/portal/follow_section.h"
#include "api/portal/html.h"
#include "api/portal/layout.h"
#include "api/portal/partials.h"
#include "catalog/errors.h"

namespace datamap::api::portal {
namespace {

constexpr std::int64_t kPerPage = 20;

const Choice kStatuses[] = {{"received", "접수", "Received"},
                            {"reviewing", "검토중", "Under review"},
                            {"scheduled", "제공 예정", "Scheduled"},
                            {"provided", "제공 완료", "Provided"},
                            {"refused", "제공 불가", "Refused"}};
const Choice kPurposes[] = {{"business", "사업(창업·서비스)", "Business"},
                            {"research", "연구·학술", "Research"},
                            {"personal", "개인 활용", "Personal use"},
                            {"public", "공익 활동", "Public interest"},
                            {"other", "기타", "Other"}};
const Choice kReasons[] = {{"already_open", "이미 개방됨", "Already open"},
                           {"non_disclosure", "비공개 대상", "Not disclosable"},
                           {"not_held", "보유하지 않음", "Not held"},
                           {"cannot_produce", "생성 불가", "Cannot be produced"},
                           {"other", "기타", "Other"}};

void status_badge(Html& h, Lang lang, const rapidjson::Value& r) {
  h << "<span class=\"badge\">" << choice_label(lang, kStatuses, json_str(r, "status"))
    << "</span>";
  if (json_bool(r, "overdue"))
    h << " <span class=\"badge badge-priority\">" << tr(lang, "답변 기한 초과", "Overdue")
      << "</span>";
}

void sign_in_hint(Html& h, Lang lang) {
  portal::sign_in_hint(h, lang, "신청·투표·댓글은 로그인한 이용자만 할 수 있습니다.",
                       "Only signed-in users may file, vote or comment.");
}

void organization_options(Html& h, ActionClient& actions, const std::string& selected) {
  ActionParams p;
  p.boolean("all_fields", true).num("limit", 1000);
  if (auto orgs = actions.try_call("organization_list", p); orgs && orgs->IsArray())
    for (const auto& o : orgs->GetArray()) {
      std::string name = json_str(o, "name");
      h << "<option value=\"" << name << "\"";
      if (name == selected) h << " selected";
      h << ">" << display_title(o) << "</option>";
    }
}


// The agency's part of a request page: move it along (with a date, an answer, the one
// extension) or close it. Only shown to those datarequest_update / _close would let through.
void agency_forms(Html& h, const PageContext& ctx, const rapidjson::Value& r,
                  const std::string& path) {
  const Lang lang = ctx.lang;
  h << "<section class=\"panel\" aria-labelledby=\"answer-h\"><h2 id=\"answer-h\">"
    << tr(lang, "기관 답변", "Agency's answer") << "</h2><form method=\"post\" action=\"" << path
    << "/answer\">";
  csrf_input(h, ctx);
  h << "<div class=\"field\"><label for=\"a-status\">" << tr(lang, "상태", "Status")
    << "</label><select id=\"a-status\" name=\"status\">";
  for (const Choice& c : kStatuses) {
    const std::string_view v = c.value;
    if (v != "reviewing" && v != "scheduled") continue;
    h << "<option value=\"" << v << "\"";
    if (json_str(r, "status") == c.value) h << " selected";
    h << ">" << tr(lang, c.ko, c.en) << "</option>";
  }
  h << "</select></div><div class=\"field\"><label for=\"a-date\">"
    << tr(lang, "제공 예정일 (제공 예정일 때)", "Scheduled date (when scheduled)")
    << "</label><input type=\"date\" id=\"a-date\" name=\"scheduled_date\" value=\""
    << json_str(r, "scheduled_date") << "\"></div><div class=\"field\"><label for=\"a-answer\">"
    << tr(lang, "답변", "Answer") << "</label><textarea id=\"a-answer\" name=\"answer\" rows=\"3\">"
    << json_str(r, "answer") << "</textarea></div>";
  if (!json_bool(r, "extended"))
    h << "<div class=\"field\"><input type=\"checkbox\" id=\"a-extend\" name=\"extend\" "
         "value=\"true\"> <label for=\"a-extend\">"
      << tr(lang, "답변 기한 10일 연장 (한 번)", "Extend the deadline by 10 days (once)")
      << "</label></div>";
  h << "<button type=\"submit\">" << tr(lang, "저장", "Save") << "</button></form>\n<h3>"
    << tr(lang, "신청 종료", "Close the request") << "</h3><form method=\"post\" action=\"" << path
    << "/close\">";
  csrf_input(h, ctx);
  h << "<div class=\"field\"><label for=\"c-outcome\">" << tr(lang, "결과", "Outcome")
    << "</label><select id=\"c-outcome\" name=\"outcome\"><option value=\"provided\">"
    << tr(lang, "제공 완료", "Provided") << "</option><option value=\"refused\">"
    << tr(lang, "제공 불가", "Refused") << "</option></select></div>"
    << "<div class=\"field\"><label for=\"c-package\">"
    << tr(lang, "답변 데이터 (주소 이름)", "Answering dataset (URL name)")
    << "</label><input id=\"c-package\" name=\"package_id\"></div>"
    << "<div class=\"field\"><label for=\"c-reason\">"
    << tr(lang, "제공 불가 사유", "Reason refused") << "</label><select id=\"c-reason\" name=\"reason\">"
    << "<option value=\"\"></option>";
  choice_options(h, lang, kReasons, "");
  h << "</select></div><div class=\"field\"><label for=\"c-basis\">"
    << tr(lang, "법적 근거 (비공개 대상일 때)", "Legal basis (when not disclosable)")
    << "</label><input id=\"c-basis\" name=\"legal_basis\"></div><div class=\"field\">"
    << "<label for=\"c-answer\">" << tr(lang, "답변", "Answer")
    << "</label><textarea id=\"c-answer\" name=\"answer\" rows=\"3\"></textarea></div>"
    << "<button type=\"submit\">" << tr(lang, "종료", "Close") << "</button></form></section>\n";
}

}  // namespace

PortalResponse request_list_page(const PageContext& ctx, ActionClient& actions) {
  const Lang lang = ctx.lang;
  const std::string q = ctx.param("q"), status = ctx.param("status"),
                    org = ctx.param("organization");
  std::int64_t page_no = 1;
  try {
    page_no =
        std::max<std::int64_t>(1, std::stoll(ctx.param("page").empty() ? "1" : ctx.param("page")));
  } catch (const std::exception&) {
    page_no = 1;
  }
  page_no = std::min<std::int64_t>(page_no, 1000);
  ActionParams p;
  p.str("q", q).str("status", status).str("organization", org);
  p.num("offset", (page_no - 1) * kPerPage).num("limit", kPerPage);
  rapidjson::Document found;
  std::string error;
  try {
    found = actions.call("datarequest_search", p);
  } catch (const ValidationError& e) {  // a filter that names nothing: say so, list nothing
    error = e.fields().empty() ? e.what() : e.fields().begin()->first;
  } catch (const BadRequest&) {  // a query the search cannot read (an unbalanced quote)
    error = "q";
  }
  Html h;
  h << "<h1>" << tr(lang, "데이터 제공신청", "Data requests") << "</h1>\n<p class=\"lead\">"
    << tr(lang,
          "찾는 데이터가 없으면 기관에 제공을 신청하세요. 기관은 8일 안에 답변합니다(한 번 10일 "
          "연장 가능).",
          "Cannot find the data you need? Ask the agency. Agencies answer within 8 days "
          "(extendable once by 10).")
    << "</p>\n<p><a class=\"button\" href=\"/requests/new\">"
    << tr(lang, "새 제공신청", "New data request") << "</a>";
  if (ctx.user_name)
    h << " <a href=\"/notifications\">" << tr(lang, "내 알림", "My notifications") << "</a>";
  h << " <a href=\"/feeds/datarequest.atom\">"
    << tr(lang, "제공신청 진행 내역 (Atom 피드)", "Every request's steps (Atom feed)") << "</a>";
  h << "</p>\n<form class=\"search-form\" role=\"search\" method=\"get\" action=\"/requests\">"
    << "<div class=\"field\"><label for=\"q\">" << tr(lang, "신청 검색", "Search requests")
    << "</label><input type=\"search\" id=\"q\" name=\"q\" value=\"" << q << "\"></div>"
    << "<div class=\"field\"><label for=\"status\">" << tr(lang, "상태", "Status")
    << "</label><select id=\"status\" name=\"status\"><option value=\"\">"
    << tr(lang, "전체", "All") << "</option><option value=\"open\"";
  if (status == "open") h << " selected";
  h << ">" << tr(lang, "진행 중", "Open") << "</option>";
  choice_options(h, lang, kStatuses, status);
  h << "</select></div><div class=\"field\"><label for=\"organization\">"
    << tr(lang, "기관", "Agency") << "</label><select id=\"organization\" name=\"organization\">"
    << "<option value=\"\">" << tr(lang, "전체", "All") << "</option>";
  organization_options(h, actions, org);
  h << "</select></div><button type=\"submit\">" << tr(lang, "찾기", "Search")
    << "</button></form>\n";
  if (!error.empty()) {
    h << "<p class=\"notice error\" role=\"alert\">" << tr(lang, "잘못된 조건: ", "Bad filter: ")
      << error << "</p>\n";
  } else {
    const std::int64_t count = json_int(found, "count");
    h << "<p role=\"status\">" << format_count(count) << tr(lang, "건", " requests") << "</p>\n"
      << "<ul class=\"results request-list\">";
    if (auto* results = json_array(found, "results"))
      for (const auto& r : results->GetArray()) {
        const std::string id = json_str(r, "id");
        h << "<li class=\"card\"><h2 class=\"card-title\"><a href=\"/requests/" << url_encode(id)
          << "\">" << json_str(r, "title") << "</a></h2><p class=\"card-meta\">";
        status_badge(h, lang, r);
        if (const auto* o = json_member(r, "organization"); o && o->IsObject())
          h << " · " << json_str(*o, "title");
        h << " · " << tr(lang, "공감 ", "Votes ") << json_int(r, "votes") << " · "
          << tr(lang, "신청일 ", "Filed ") << short_date(json_str(r, "created"));
        if (!json_bool(r, "closed"))
          h << " · " << tr(lang, "답변 기한 ", "Answer by ") << short_date(json_str(r, "deadline"));
        h << "</p></li>";
      }
    h << "</ul>\n";
    pager(h, ctx, page_no, count, kPerPage);
  }
  return demand_page(ctx, std::string(tr(lang, "데이터 제공신청", "Data requests")), h.take());
}

PortalResponse request_page(const PageContext& ctx, ActionClient& actions, const std::string& id,
                            const FieldErrors& errors) {
  const Lang lang = ctx.lang;
  ActionParams p;
  p.str("id", id);
  rapidjson::Document r = actions.call("datarequest_show", p);  // NotFound → 404 page
  const std::string title = json_str(r, "title");
  const std::string path = "/requests/" + url_encode(id);
  const bool closed = json_bool(r, "closed");
  Html h;
  h << "<nav class=\"breadcrumb\" aria-label=\"" << tr(lang, "현재 위치", "Breadcrumb")
    << "\"><ol><li><a href=\"/requests\">" << tr(lang, "제공신청", "Data requests")
    << "</a></li><li aria-current=\"page\">" << snippet(title, 40) << "</li></ol></nav>\n";
  refused_fields(h, lang, errors);
  h << "<h1>" << title << "</h1>\n<p class=\"card-meta\">";
  status_badge(h, lang, r);
  h << "</p>\n";
  if (std::string d = json_str(r, "description"); !d.empty()) h << "<p>" << d << "</p>\n";
  h << "<dl class=\"request-facts\">";
  auto fact = [&](std::string_view name, const std::string& value) {
    if (!value.empty()) h << "<div><dt>" << name << "</dt><dd>" << value << "</dd></div>";
  };
  if (const auto* o = json_member(r, "organization"); o && o->IsObject())
    fact(tr(lang, "신청 기관", "Agency asked"), json_str(*o, "title"));
  fact(tr(lang, "활용 목적", "Purpose"),
       std::string(choice_label(lang, kPurposes, json_str(r, "purpose"))));
  fact(tr(lang, "원하는 항목", "Fields wanted"), json_str(r, "fields"));
  fact(tr(lang, "원하는 형식", "Format wanted"), json_str(r, "format"));
  fact(tr(lang, "신청자", "Requested by"), json_str(r, "user"));
  fact(tr(lang, "신청일", "Filed"), short_date(json_str(r, "created")));
  if (!closed)
    fact(tr(lang, "답변 기한", "Answer due"),
         short_date(json_str(r, "deadline")) +
             (json_bool(r, "extended") ? std::string(tr(lang, " (연장됨)", " (extended)")) : ""));
  fact(tr(lang, "제공 예정일", "Scheduled for"), json_str(r, "scheduled_date"));
  if (std::string reason = json_str(r, "refusal_reason"); !reason.empty())
    fact(tr(lang, "제공 불가 사유", "Reason refused"),
         std::string(choice_label(lang, kReasons, reason)));
  fact(tr(lang, "법적 근거", "Legal basis"), json_str(r, "legal_basis"));
  fact(tr(lang, "기관 답변", "Agency's answer"), json_str(r, "answer"));
  h << "</dl>\n";
  if (std::string pkg = json_str(r, "package_name"); !pkg.empty())
    h << "<p>" << tr(lang, "답변 데이터: ", "Answered by: ") << "<a href=\"/dataset/"
      << url_encode(pkg) << "\">" << pkg << "</a></p>\n";

  if (json_bool(r, "may_answer") && !closed) agency_forms(h, ctx, r, path);
  h << "<section aria-labelledby=\"votes-h\"><h2 id=\"votes-h\">" << tr(lang, "공감", "Votes")
    << " <span class=\"count\">" << json_int(r, "votes") << "</span></h2>";
  if (!ctx.user_name) {
    sign_in_hint(h, lang);
  } else if (json_bool(r, "voted")) {
    h << "<p>" << tr(lang, "이미 공감했습니다.", "You voted for this request.") << "</p>";
  } else if (!closed) {
    h << "<form method=\"post\" action=\"" << path << "/vote\">";
    csrf_input(h, ctx);
    h << "<button type=\"submit\">" << tr(lang, "나도 필요해요 (공감)", "I need this too (vote)")
      << "</button></form>";
  }
  h << "</section>\n<section aria-labelledby=\"comments-h\"><h2 id=\"comments-h\">"
    << tr(lang, "댓글", "Comments") << "</h2><ol class=\"comments\">";
  const bool moderator = json_bool(r, "may_moderate");
  if (auto* comments = json_array(r, "comments"))
    for (const auto& c : comments->GetArray()) {
      const bool hidden = json_bool(c, "hidden");
      h << "<li><p class=\"card-meta\">" << json_str(c, "user") << " · "
        << short_date(json_str(c, "created")) << "</p>";
      if (hidden && !moderator)
        h << "<p><em>" << tr(lang, "관리자가 숨긴 댓글입니다.", "Hidden by a moderator.")
          << "</em></p>";
      else
        h << "<p>" << json_str(c, "text") << "</p>";
      if (moderator) {
        const std::string cid = json_str(c, "id");
        h << "<form method=\"post\" action=\"" << path << "/hide\" class=\"inline-form\">";
        csrf_input(h, ctx);
        h << "<input type=\"hidden\" name=\"comment\" value=\"" << cid << "\">"
          << "<input type=\"hidden\" name=\"hidden\" value=\""
          << std::string(hidden ? "false" : "true") << "\"><label for=\"reason-" << cid << "\">"
          << tr(lang, "사유", "Reason") << "</label> <input id=\"reason-" << cid
          << "\" name=\"reason\" required> <button "
          << "type=\"submit\" class=\"secondary\">"
          << (hidden ? tr(lang, "다시 보이기", "Show again") : tr(lang, "숨기기", "Hide"))
          << "</button></form>";
      }
      h << "</li>";
    }
  h << "</ol>";
  if (ctx.user_name) {
    h << "<form method=\"post\" action=\"" << path << "/comment\">";
    csrf_input(h, ctx);
    h << "<div class=\"field\"><label for=\"comment\">" << tr(lang, "댓글 쓰기", "Add a comment")
      << "</label><textarea id=\"comment\" name=\"comment\" rows=\"3\" maxlength=\"2000\" "
         "required></textarea></div><button type=\"submit\">"
      << tr(lang, "등록", "Post") << "</button></form>";
  }
  h << "</section>\n";
  follow_section(
      h, ctx, actions,
      {"datarequest", id, path + "/follow", "/feeds/datarequest/" + url_encode(id) + ".atom"});
  return demand_page(ctx, title, h.take());
}

PortalResponse request_new_page(const PageContext& ctx, ActionClient& actions, const Params* form) {
  const Lang lang = ctx.lang;
  auto value = [&](std::string_view name) {
    return form ? form_value(*form, name) : std::string();
  };
  FieldErrors errors;
  rapidjson::Document similar;
  if (form && ctx.user_name) {
    ActionParams p;
    for (const char* key : {"title", "description", "purpose", "organization", "fields", "format"})
      p.str(key, value(key));
    try {
      bool alike = false;
      if (value("confirm") != "1") {
        ActionParams s;
        s.str("title", value("title"));
        similar = actions.call("datarequest_similar", s);
        for (const char* key : {"requests", "datasets"})
          if (auto* list = json_array(similar, key)) alike = alike || !list->Empty();
      }
      if (!alike) {
        rapidjson::Document created = actions.call("datarequest_create", p);
        return see_other("/requests/" + url_encode(json_str(created, "id")));
      }
    } catch (const ValidationError& e) {
      errors = e.fields();
    }
  }
  Html h;
  h << "<nav class=\"breadcrumb\" aria-label=\"" << tr(lang, "현재 위치", "Breadcrumb")
    << "\"><ol><li><a href=\"/requests\">" << tr(lang, "제공신청", "Data requests")
    << "</a></li><li aria-current=\"page\">" << tr(lang, "새 신청", "New request")
    << "</li></ol></nav>\n<h1>" << tr(lang, "새 데이터 제공신청", "New data request") << "</h1>\n";
  if (!ctx.user_name) {
    sign_in_hint(h, lang);
    return demand_page(ctx, std::string(tr(lang, "새 데이터 제공신청", "New data request")),
                       h.take());
  }
  if (similar.IsObject()) {
    h << "<section class=\"notice\" aria-labelledby=\"similar-h\"><h2 id=\"similar-h\">"
      << tr(lang, "비슷한 신청과 데이터가 있습니다", "Similar requests and datasets exist")
      << "</h2><ul>";
    if (auto* list = json_array(similar, "requests"))
      for (const auto& s : list->GetArray())
        h << "<li><a href=\"/requests/" << url_encode(json_str(s, "id")) << "\">"
          << json_str(s, "title") << "</a> <span class=\"count\">" << tr(lang, "신청", "request")
          << "</span></li>";
    if (auto* list = json_array(similar, "datasets"))
      for (const auto& s : list->GetArray())
        h << "<li><a href=\"/dataset/" << url_encode(json_str(s, "name")) << "\">"
          << json_str(s, "title") << "</a> <span class=\"count\">" << tr(lang, "데이터", "dataset")
          << "</span></li>";
    h << "</ul><p>"
      << tr(lang, "같은 내용이면 기존 신청에 공감해 주세요. 다르면 아래 버튼으로 신청합니다.",
            "If it is the same, vote for the existing request; if not, file yours below.")
      << "</p></section>\n";
  }
  if (!errors.empty())
    h << "<p class=\"notice error\" role=\"alert\">"
      << tr(lang, "입력을 확인해 주세요.", "Please check the fields marked below.") << "</p>\n";
  h << "<form method=\"post\" action=\"/requests/new\" class=\"request-form\">";
  csrf_input(h, ctx);
  if (similar.IsObject()) h << "<input type=\"hidden\" name=\"confirm\" value=\"1\">";
  auto field = [&](const char* name, std::string_view text, std::string_view hint, bool area,
                   bool required) {
    auto err = errors.find(name);
    h << "<div class=\"field" << std::string_view(err != errors.end() ? " has-error" : "")
      << "\"><label for=\"f-" << std::string_view(name) << "\">" << text;
    if (required) h << " <span aria-hidden=\"true\">*</span>";
    h << "</label>";
    if (!hint.empty())
      h << "<p class=\"hint\" id=\"hint-" << std::string_view(name) << "\">" << hint << "</p>";
    if (area)
      h << "<textarea id=\"f-" << std::string_view(name) << "\" name=\"" << std::string_view(name)
        << "\" rows=\"5\"";
    else
      h << "<input id=\"f-" << std::string_view(name) << "\" name=\"" << std::string_view(name)
        << "\" value=\"" << value(name) << "\"";
    if (required) h << " required aria-required=\"true\"";
    if (!hint.empty()) h << " aria-describedby=\"hint-" << std::string_view(name) << "\"";
    if (err != errors.end()) h << " aria-invalid=\"true\"";
    h << ">";
    if (area) h << value(name) << "</textarea>";
    if (err != errors.end())
      for (const std::string& m : err->second) h << "<p class=\"field-error\">" << m << "</p>";
    h << "</div>";
  };
  field("title", tr(lang, "신청 데이터 이름", "Data you need"),
        tr(lang, "200자 이내", "At most 200 characters"), false, true);
  // Filled while the title is typed by request_similar.js (datarequest_similar over the Action
  // API); without JavaScript it stays empty and the check on submit above is the only one.
  h << "<div id=\"title-similar\" class=\"suggest\" aria-live=\"polite\" data-heading=\""
    << tr(lang, "비슷한 신청과 데이터", "Similar requests and datasets") << "\" data-request=\""
    << tr(lang, "신청", "request") << "\" data-dataset=\"" << tr(lang, "데이터", "dataset")
    << "\"></div>";
  field("description", tr(lang, "설명", "Description"),
        tr(lang, "무엇이 필요한지, 어디에 쓰는지", "What you need and what for"), true, false);
  h << "<div class=\"field\"><label for=\"f-purpose\">" << tr(lang, "활용 목적", "Purpose")
    << "</label><select id=\"f-purpose\" name=\"purpose\">";
  choice_options(h, lang, kPurposes, value("purpose").empty() ? "other" : value("purpose"));
  h << "</select></div><div class=\"field\"><label for=\"f-organization\">"
    << tr(lang, "제공 기관 (선택)", "Agency asked (optional)")
    << "</label><select id=\"f-organization\" name=\"organization\"><option value=\"\">"
    << tr(lang, "모름", "Not sure") << "</option>";
  organization_options(h, actions, value("organization"));
  h << "</select></div>";
  field("fields", tr(lang, "원하는 항목", "Fields wanted"),
        tr(lang, "예: 주차장명, 주소, 실시간 주차 가능 대수", "e.g. name, address, free spaces"),
        true, false);
  field("format", tr(lang, "원하는 형식", "Format wanted"),
        tr(lang, "예: CSV, API", "e.g. CSV, API"), false, false);
  h << "<button type=\"submit\">"
    << (similar.IsObject() ? tr(lang, "그래도 신청하기", "File it anyway")
                           : tr(lang, "신청하기", "File the request"))
    << "</button></form>\n";
  return demand_page(ctx, std::string(tr(lang, "새 데이터 제공신청", "New data request")), h.take(),
                     errors.empty() ? 200 : 409, {"request_similar.js"});
}

PortalResponse request_form_post(const PageContext& ctx, ActionClient& actions,
                                 const std::string& id, const std::string& what,
                                 const Params& form) {
  ActionParams p;
  const char* call = nullptr;
  std::string call_name;
  if (what == "vote") {
    p.str("id", id);
    call = "datarequest_vote";
  } else if (what == "comment") {
    p.str("id", id).str("comment", form_value(form, "comment"));
    call = "datarequest_comment";
  } else if (what == "answer") {
    p.str("id", id).str("status", form_value(form, "status"));
    p.str("scheduled_date", form_value(form, "scheduled_date"));
    p.str("answer", form_value(form, "answer"));
    p.boolean("extend", form_value(form, "extend") == "true");
    call = "datarequest_update";
  } else if (what == "close") {
    for (const char* key : {"outcome", "package_id", "reason", "legal_basis", "answer"})
      p.str(key, form_value(form, key));
    p.str("id", id);
    call = "datarequest_close";
  } else if (what == "follow") {
    p.str("id", id);
    call_name = follow_action("datarequest", form_value(form, "follow"));
    call = call_name.c_str();
  } else if (what == "hide") {
    p.str("id", form_value(form, "comment")).str("reason", form_value(form, "reason"));
    p.boolean("hidden", form_value(form, "hidden") != "false");
    call = "datarequest_comment_hide";
  } else {
    throw NotFound("Page not found");
  }
  try {
    actions.call(call, p);
  } catch (const ValidationError& e) {  // said on the request's page, next to what was asked
    PortalResponse r = request_page(ctx, actions, id, e.fields());
    r.status = 409;
    return r;
  }
  return see_other("/requests/" + url_encode(id));
}

PortalResponse notifications_page(const PageContext& ctx, ActionClient& actions) {
  const Lang lang = ctx.lang;
  Html h;
  h << "<h1>" << tr(lang, "내 알림", "My notifications") << "</h1>\n";
  if (!ctx.user_name) {
    sign_in_hint(h, lang);
    return demand_page(ctx, std::string(tr(lang, "내 알림", "My notifications")), h.take());
  }
  ActionParams p;
  p.num("limit", 100);
  rapidjson::Document list = actions.call("notification_list", p);
  h << "<p>" << format_count(json_int(list, "unread")) << tr(lang, "건 읽지 않음", " unread")
    << "</p><ol class=\"notifications\">";
  if (auto* items = json_array(list, "results"))
    for (const auto& n : items->GetArray()) {
      h << "<li class=\"card\"><p class=\"card-title\"><a href=\"" << json_str(n, "link") << "\">"
        << json_str(n, "subject") << "</a></p><p>" << json_str(n, "body")
        << "</p><p class=\"card-meta\">" << short_date(json_str(n, "created")) << "</p></li>";
    }
  h << "</ol>\n";
  return demand_page(ctx, std::string(tr(lang, "내 알림", "My notifications")), h.take());
}

}  // namespace datamap::api::portal
