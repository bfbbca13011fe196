// The metadata quality actions (issue 15, docs/QUALITY.md): quality_show (one dataset's
// indicators, what to fix first), organization_quality_show (an agency's scoreboard) and
// quality_overview (agencies ranked), with broken links, error rates and the daily history;
// quality_snapshot (a sysadmin takes the day's snapshot now). Every score comes from
// catalog::quality::score_dataset, the function package_show and the search index also use.
#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>

#include "api/actions/support.h"
#include "api/params.h"
#include "api/resolve.h"
#include "catalog/errors.h"
#include "catalog/quality_board.h"
#include "catalog/quality_history.h"
#include "catalog/quality_inputs.h"
#include "catalog/quality_json.h"
#include "catalog/validation.h"

namespace datamap::api {
namespace {

namespace q = catalog::quality;
using rapidjson::Document;
using rapidjson::Value;

// The board is one pass over every public dataset (~1 s for the 61k list, docs/BENCHMARKS.md),
// so it is computed once per catalog revision and day and shared by the pages and actions.
// A serve process has one store; the key names it anyway. It is also kept at most a minute:
// the link checker logs a change only when a dataset's links go from answering to broken or
// back, so a second broken link of an already broken dataset changes no revision.
std::shared_ptr<const q::Board> board_of(catalog::Store& store) {
  constexpr auto kMaxAge = std::chrono::seconds(60);
  static std::mutex mu;
  static std::shared_ptr<const q::Board> cached;
  static const catalog::Store* cached_store = nullptr;
  static std::chrono::steady_clock::time_point computed_at;
  std::lock_guard lock(mu);
  const std::string today = q::today_utc();
  const auto now = std::chrono::steady_clock::now();
  if (!cached || cached_store != &store || cached->today != today ||
      cached->revision != store.head_revision() || now - computed_at > kMaxAge) {
    cached = std::make_shared<const q::Board>(q::compute_board(store, today));
    cached_store = &store;
    computed_at = now;
  }
  return cached;
}

Value percent(double p) {
  return Value(std::round(p * 10) / 10);
}

void write_distribution(const std::array<std::int64_t, 4>& by_rating, Value& out, Alloc& alloc) {
  out.SetObject();
  for (q::Rating r : {q::Rating::excellent, q::Rating::good, q::Rating::sufficient, q::Rating::bad})
    out.AddMember(json_string(q::rating_name(r), alloc),
                  Value(by_rating[static_cast<std::size_t>(r)]), alloc);
}

// The figures a board and a snapshot share, so the history reads like the scoreboard.
void write_figures(std::int64_t datasets, double mean_percent,
                   const std::array<std::int64_t, 4>& by_rating, std::int64_t overdue,
                   std::int64_t broken_links, std::int64_t checked, std::int64_t invalid,
                   Value& out, Alloc& alloc) {
  out.AddMember("datasets", Value(datasets), alloc);
  out.AddMember("mean_percent", percent(mean_percent), alloc);
  Value dist;
  write_distribution(by_rating, dist, alloc);
  out.AddMember("distribution", dist, alloc);
  out.AddMember("overdue", Value(overdue), alloc);
  out.AddMember("broken_links", Value(broken_links), alloc);
  out.AddMember("checked_values", Value(checked), alloc);
  out.AddMember("invalid_values", Value(invalid), alloc);
  out.AddMember("error_rate", Value(checked > 0 ? static_cast<double>(invalid) / checked : 0.0),
                alloc);
}

void write_totals(const q::AgencyBoard& a, Value& out, Alloc& alloc) {
  write_figures(a.datasets, a.mean_percent(), a.by_rating, a.overdue, a.broken_links,
                a.checked_values, a.invalid_values, out, alloc);
  out.AddMember("datasets_with_broken_links", Value(a.datasets_with_broken_links), alloc);
  out.AddMember("validated_resources", Value(a.validated_resources), alloc);
  out.AddMember("resources_over_limit", Value(a.resources_over_limit), alloc);
}

// `history` (newest last): the organization's ("" = national) daily snapshots, at most
// `limit`; empty where the server keeps no history.
void write_history(ActionContext& ctx, const std::string& organization_id, std::size_t limit,
                   Value& out, Alloc& alloc) {
  Value list(rapidjson::kArrayType);
  if (ctx.services.quality_history && limit > 0)
    for (const catalog::QualitySnapshot& s :
         ctx.services.quality_history->history(organization_id, limit)) {
      Value v(rapidjson::kObjectType);
      v.AddMember("date", json_string(s.day, alloc), alloc);
      write_figures(s.datasets, s.mean_percent, s.by_rating, s.overdue, s.broken_links,
                    s.checked_values, s.invalid_values, v, alloc);
      list.PushBack(v, alloc);
    }
  out.AddMember("history", list, alloc);
}

std::size_t history_limit(const Value& params) {
  return static_cast<std::size_t>(opt_int(params, "history_limit", 90, 0, 366));
}

void write_org_ref(const catalog::Organization* o, const std::string& id, Value& out,
                   Alloc& alloc) {
  out.AddMember("id", json_string(id, alloc), alloc);
  out.AddMember("name", json_string(o ? o->name : "", alloc), alloc);
  out.AddMember("title", json_string(o ? (o->title.empty() ? o->name : o->title) : "", alloc),
                alloc);
}

void quality_show(ActionContext& ctx, const Value& params, Document& result) {
  catalog::Dataset d = actions::visible_dataset(ctx, need_string(params, "id"));
  const std::string today = q::today_utc();
  const q::Score s = q::score_stored(*ctx.services.store, d, today);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("id", json_string(d.id, a), a);
  result.AddMember("name", json_string(d.name, a), a);
  result.AddMember("title", json_string(d.title, a), a);
  result.AddMember("scored_on", json_string(today, a), a);
  Value summary;
  q::write_summary(s, summary, a);
  result.AddMember("quality", summary, a);
  // What to fix first (most points lost), then what waits for a link check, then what passed.
  Value list(rapidjson::kArrayType);
  auto push = [&](const q::IndicatorResult& r) {
    Value v;
    q::write_indicator(r, v, a);
    list.PushBack(v, a);
  };
  for (const auto* r : s.to_fix()) push(*r);
  for (q::Outcome o : {q::Outcome::pending, q::Outcome::passed})
    for (const auto& r : s.results)
      if (r.outcome == o) push(r);
  result.AddMember("indicators", list, a);
}

// The first `n` fixes of a dataset: [{id, label, label_en, fix, fix_en, points_lost}].
Value top_fixes(ActionContext& ctx, const std::string& id, const std::string& today, std::size_t n,
                Alloc& a) {
  Value fixes(rapidjson::kArrayType);
  auto d = ctx.services.store->dataset(id);
  if (!d) return fixes;
  const q::Score s = q::score_stored(*ctx.services.store, *d, today);
  for (const auto* r : s.to_fix()) {
    if (fixes.Size() >= n) break;
    Value f(rapidjson::kObjectType);
    f.AddMember("id", json_string(r->info->id, a), a);
    f.AddMember("label", json_string(r->info->label_ko, a), a);
    f.AddMember("label_en", json_string(r->info->label_en, a), a);
    f.AddMember("fix", json_string(r->info->fix_ko, a), a);
    f.AddMember("fix_en", json_string(r->info->fix_en, a), a);
    f.AddMember("points_lost", r->possible - r->points, a);
    fixes.PushBack(f, a);
  }
  return fixes;
}

void organization_quality_show(ActionContext& ctx, const Value& params, Document& result) {
  auto& store = *ctx.services.store;
  auto org = resolve_organization(store, need_string(params, "id"));
  if (!org) throw NotFound("Organization not found");
  const auto limit = static_cast<std::size_t>(opt_int(params, "limit", 20, 0, 50));
  auto board = board_of(store);
  auto& a = result.GetAllocator();
  result.SetObject();
  Value org_ref(rapidjson::kObjectType);
  write_org_ref(&*org, org->id, org_ref, a);
  result.AddMember("organization", org_ref, a);
  result.AddMember("scored_on", json_string(board->today, a), a);
  const q::AgencyBoard empty;
  const q::AgencyBoard* agency = board->agency(org->id);
  const q::AgencyBoard& ab = agency ? *agency : empty;
  write_totals(ab, result, a);
  Value rank;  // null without public datasets: not ranked
  if (agency) rank.SetInt64(agency - board->agencies.data() + 1);
  result.AddMember("rank", rank, a);
  result.AddMember("agencies_ranked", Value(static_cast<std::int64_t>(board->agencies.size())), a);
  // The indicators most of its datasets fail: the agency's own to-do list.
  Value failing(rapidjson::kArrayType);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < ab.failing.size(); ++i)
    if (ab.failing[i] > 0) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const auto& info = q::indicators();
    return ab.failing[x] * info[x].points > ab.failing[y] * info[y].points;
  });
  for (std::size_t i : order) {
    const auto& info = q::indicators()[i];
    Value f(rapidjson::kObjectType);
    f.AddMember("id", json_string(info.id, a), a);
    f.AddMember("label", json_string(info.label_ko, a), a);
    f.AddMember("label_en", json_string(info.label_en, a), a);
    f.AddMember("datasets", Value(ab.failing[i]), a);
    f.AddMember("fix", json_string(info.fix_ko, a), a);
    f.AddMember("fix_en", json_string(info.fix_en, a), a);
    failing.PushBack(f, a);
  }
  result.AddMember("failing", failing, a);
  Value worst(rapidjson::kArrayType);
  for (std::size_t i = 0; i < ab.worst.size() && i < limit; ++i) {
    const auto& w = ab.worst[i];
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(w.id, a), a);
    v.AddMember("name", json_string(w.name, a), a);
    v.AddMember("title", json_string(w.title, a), a);
    v.AddMember("score", w.points, a);
    v.AddMember("max", w.max, a);
    v.AddMember("percent", static_cast<int>(std::lround(w.ratio() * 100)), a);
    v.AddMember("rating", json_string(q::rating_name(w.rating), a), a);
    v.AddMember("overdue", w.overdue, a);
    v.AddMember("fix", top_fixes(ctx, w.id, board->today, 3, a), a);
    worst.PushBack(v, a);
  }
  result.AddMember("worst", worst, a);
  // Broken links, the datasets with most first; error rates, the highest first.
  Value broken(rapidjson::kArrayType);
  for (std::size_t i = 0; i < ab.broken.size() && i < limit; ++i) {
    const auto& b = ab.broken[i];
    Value v(rapidjson::kObjectType);
    v.AddMember("id", json_string(b.id, a), a);
    v.AddMember("name", json_string(b.name, a), a);
    v.AddMember("title", json_string(b.title, a), a);
    v.AddMember("broken_links", Value(static_cast<std::int64_t>(b.links.size())), a);
    Value links(rapidjson::kArrayType);
    for (const auto& l : b.links) {
      Value lv(rapidjson::kObjectType);
      lv.AddMember("resource_id", json_string(l.resource_id, a), a);  // "" = the landing page
      lv.AddMember("url", json_string(l.url, a), a);
      links.PushBack(lv, a);
    }
    v.AddMember("links", links, a);
    broken.PushBack(v, a);
  }
  result.AddMember("broken", broken, a);
  Value rates(rapidjson::kArrayType);
  for (std::size_t i = 0; i < ab.worst_resources.size() && i < limit; ++i) {
    const auto& r = ab.worst_resources[i];
    Value v(rapidjson::kObjectType);
    v.AddMember("package_id", json_string(r.dataset_id, a), a);
    v.AddMember("package_name", json_string(r.dataset_name, a), a);
    v.AddMember("package_title", json_string(r.dataset_title, a), a);
    v.AddMember("resource_id", json_string(r.resource_id, a), a);
    v.AddMember("resource_name", json_string(r.resource_name, a), a);
    v.AddMember("error_rate", Value(r.error_rate()), a);
    v.AddMember("invalid_values", Value(r.invalid), a);
    v.AddMember("checked_values", Value(r.checked), a);
    v.AddMember("failing_rows", Value(r.failing_rows), a);
    rates.PushBack(v, a);
  }
  result.AddMember("error_rates", rates, a);
  write_history(ctx, org->id, history_limit(params), result, a);
}

// The ranking's orders: "score" (the rank), or worst first by "error_rate" or "broken_links"
// (ties in rank order).
std::vector<std::size_t> agency_order(const q::Board& board, const std::string& sort) {
  std::vector<std::size_t> order(board.agencies.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto& ag = board.agencies;
  if (sort == "error_rate")
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return ag[x].error_rate() > ag[y].error_rate();
    });
  else if (sort == "broken_links")
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return ag[x].broken_links > ag[y].broken_links;
    });
  return order;
}

void quality_overview(ActionContext& ctx, const Value& params, Document& result) {
  auto& store = *ctx.services.store;
  const auto limit = opt_int(params, "limit", 1000, 0, 100000);
  std::string sort = opt_string(params, "sort").value_or("");
  if (sort.empty()) sort = "score";
  if (sort != "score" && sort != "error_rate" && sort != "broken_links")
    throw ValidationError("sort", "Must be one of score, error_rate, broken_links");
  auto board = board_of(store);
  const std::vector<std::size_t> order = agency_order(*board, sort);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("scored_on", json_string(board->today, a), a);
  result.AddMember("sort", json_string(sort, a), a);
  write_totals(board->national, result, a);
  Value agencies(rapidjson::kArrayType);
  for (std::size_t i : order) {
    if (static_cast<std::int64_t>(agencies.Size()) >= limit) break;
    const auto& ab = board->agencies[i];
    auto org = store.organization(ab.organization_id);
    Value v(rapidjson::kObjectType);
    v.AddMember("rank", Value(static_cast<std::int64_t>(i) + 1), a);
    write_org_ref(org ? &*org : nullptr, ab.organization_id, v, a);
    write_totals(ab, v, a);
    agencies.PushBack(v, a);
  }
  result.AddMember("agencies", agencies, a);
  write_history(ctx, "", history_limit(params), result, a);
}

// YYYY-MM-DD naming a day that exists (no 2026-02-30).
bool is_calendar_day(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-' || !catalog::is_iso8601(d)) return false;
  const std::chrono::year_month_day ymd{std::chrono::year(std::stoi(d.substr(0, 4))),
                                        std::chrono::month(std::stoul(d.substr(5, 2))),
                                        std::chrono::day(std::stoul(d.substr(8, 2)))};
  return ymd.ok();
}

// The day's snapshot now (the daily job takes it anyway). `date` (YYYY-MM-DD, not after today)
// scores the catalog as it stands as if on that day: to fill a missed day, and for tests.
void quality_snapshot(ActionContext& ctx, const Value& params, Document& result) {
  actions::require_sysadmin(ctx.caller);
  if (!ctx.services.quality_history)
    throw BadRequest("The quality history is not available on this server");
  const std::string today = q::today_utc();
  std::string day = opt_string(params, "date").value_or("");
  if (day.empty()) day = today;
  if (!is_calendar_day(day)) throw ValidationError("date", "Must be a date, YYYY-MM-DD");
  if (day > today) throw ValidationError("date", "Must not be after today (" + today + ")");
  const auto rows = q::take_snapshot(*ctx.services.store, *ctx.services.quality_history, day);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("date", json_string(day, a), a);
  result.AddMember("agencies", Value(static_cast<std::int64_t>(rows.size()) - 1), a);
  write_figures(rows[0].datasets, rows[0].mean_percent, rows[0].by_rating, rows[0].overdue,
                rows[0].broken_links, rows[0].checked_values, rows[0].invalid_values, result, a);
}

}  // namespace

void register_quality_actions(Registry& r) {
  r.add({"quality_show", quality_show, false,
         "The metadata quality of dataset `id` (docs/QUALITY.md): score, rating, and every "
         "indicator with its points, failed ones first by points lost, each with what to fix "
         "(Korean `fix`, English `fix_en`)."});
  r.add({"organization_quality_show", organization_quality_show, false,
         "An agency's quality scoreboard (organization `id`): score distribution, mean, rank, "
         "overdue updates, broken links, the error rate of its loaded resources, the indicators "
         "its datasets fail most, its worst datasets first with what to fix, its datasets with "
         "broken links and its resources with the highest error rates (`limit` each, default "
         "20, at most 50), and its daily history (`history_limit` days, default 90, at most "
         "366, newest last). Public datasets only.",
         Cost::expensive});
  r.add({"quality_overview", quality_overview, false,
         "The national quality overview: totals and every agency ranked by mean score "
         "(`limit` agencies, default 1000), listed by `sort`: score (default), error_rate or "
         "broken_links (worst first); the national daily history (`history_limit`). Public "
         "datasets only.",
         Cost::expensive});
  r.add({"quality_snapshot", quality_snapshot, true,
         "Sysadmin: records today's scoreboard snapshot now (or that of `date`, YYYY-MM-DD, not "
         "after today, scoring the catalog as it stands on that day); a day has one snapshot, "
         "taking it again replaces it. A background job takes it daily."});
}

}  // namespace datamap::api
