#include "api/portal/console_harvest.h"

#include <tuple>
#include <vector>

#include "api/portal/console_kit.h"
#include "api/portal/html.h"
#include "api/portal/partials.h"

namespace datamap::api::portal {
namespace {

void job_report(Html& h, Lang lang, const rapidjson::Value& job) {
  h << "<li class=\"job\"><strong>" << json_str(job, "status", json_str(job, "state"))
    << "</strong> · <time>"
    << json_str(job, "created", json_str(job, "gather_started")).substr(0, 19) << "</time>";
  if (const rapidjson::Value* stats = json_member(job, "stats"); stats && stats->IsObject()) {
    h << "<dl class=\"stat-list small\">";
    for (const auto& m : stats->GetObject())
      if (m.value.IsNumber())
        h << "<div><dt>" << std::string_view(m.name.GetString(), m.name.GetStringLength())
          << "</dt><dd>" << format_count(m.value.GetInt64()) << "</dd></div>";
    h << "</dl>";
  }
  std::vector<std::string> errors;
  if (const auto* gather = json_array(job, "gather_errors"))
    for (const auto& e : gather->GetArray())
      if (e.IsString()) errors.emplace_back(e.GetString(), e.GetStringLength());
  if (const auto* objects = json_array(job, "object_errors"))
    for (const auto& e : objects->GetArray())
      errors.push_back(json_str(e, "guid") + ": " + json_str(e, "message"));
  if (errors.empty())
    if (std::string e = json_str(job, "error"); !e.empty()) errors.push_back(e);
  if (!errors.empty()) {
    h << "<details class=\"job-errors\" open><summary>" << tr(lang, "오류 ", "Errors ")
      << static_cast<std::int64_t>(errors.size()) << "</summary><ul>";
    for (const auto& e : errors) h << "<li>" << e << "</li>";
    h << "</ul></details>";
  }
  h << "</li>";
}

}  // namespace

PortalResponse console_harvest_page(const PageContext& ctx, ActionClient& actions,
                                    const std::string& id) {
  const Lang lang = ctx.lang;
  ActionParams show;
  show.str("id", id);
  auto source = actions.call("harvest_source_show", show);
  Html h;
  std::string title = json_str(source, "title", json_str(source, "name", id));
  std::string source_id = json_str(source, "id", id);
  h << "<nav class=\"breadcrumb\" aria-label=\"" << tr(lang, "현재 위치", "Breadcrumb")
    << "\"><ol><li><a href=\"/console\">" << tr(lang, "기관 콘솔", "Agency console")
    << "</a></li><li aria-current=\"page\">" << title << "</li></ol></nav>\n<h1>" << title
    << "</h1>\n";
  if (std::string done = ctx.param("done"); !done.empty())
    h << "<p class=\"notice ok\" role=\"status\">" << done << "</p>\n";
  h << "<div class=\"panel\"><dl class=\"facts\">";
  for (auto [key, ko, en] :
       {std::tuple<const char*, std::string_view, std::string_view>{"url", "주소", "URL"},
        {"source_type", "유형", "Type"},
        {"frequency", "주기", "Frequency"}}) {
    std::string v = json_str(source, key);
    if (!v.empty()) h << "<div><dt>" << tr(lang, ko, en) << "</dt><dd>" << v << "</dd></div>";
  }
  if (const rapidjson::Value* status = json_member(source, "status");
      status && status->IsObject()) {
    h << "<div><dt>" << tr(lang, "수집된 데이터", "Datasets harvested") << "</dt><dd>"
      << format_count(json_int(*status, "total_datasets")) << "</dd></div>";
    if (std::string next = json_str(*status, "next_harvest"); !next.empty())
      h << "<div><dt>" << tr(lang, "다음 수집", "Next harvest") << "</dt><dd>" << next.substr(0, 19)
        << "</dd></div>";
  }
  h << "</dl><form method=\"post\" action=\"/console/harvest/" << url_encode(source_id)
    << "/run\">";
  csrf_input(h, ctx);
  h << "<button type=\"submit\">" << tr(lang, "지금 수집", "Harvest now")
    << "</button></form></div>\n<section class=\"panel\"><h2>"
    << tr(lang, "수집 작업 보고", "Job reports") << "</h2>";
  ActionParams jobs_params;
  jobs_params.str("source_id", source_id).num("limit", 20);
  auto jobs = actions.try_call("harvest_job_list", jobs_params);
  if (jobs && jobs->IsArray() && !jobs->Empty()) {
    h << "<ol class=\"jobs\">";
    for (const auto& job : jobs->GetArray()) {
      ActionParams rp;
      rp.str("id", json_str(job, "id")).num("limit", 20);
      auto report = actions.try_call("harvest_job_report", rp);
      job_report(h, lang, report && report->IsObject() ? *report : job);
    }
    h << "</ol>";
  } else {
    h << "<p>" << tr(lang, "아직 수집 작업이 없습니다.", "No jobs yet.") << "</p>";
  }
  h << "</section>\n";
  return console_shell(ctx, title, h.take());
}

}  // namespace datamap::api::portal
