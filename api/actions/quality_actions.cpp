// The metadata quality actions (issue 15, docs/QUALITY.md): quality_show (one dataset's
// indicators, what to fix first), organization_quality_show (an agency's scoreboard) and
// quality_overview (agencies ranked). Every number comes from catalog::quality::score_dataset,
// the function package_show and the search index also use.
#include <cmath>
#include <memory>
#include <mutex>

#include "api/actions/support.h"
#include "api/params.h"
#include "api/resolve.h"
#include "catalog/errors.h"
#include "catalog/quality_board.h"
#include "catalog/quality_inputs.h"
#include "catalog/quality_json.h"

namespace datamap::api {
namespace {

namespace q = catalog::quality;
using rapidjson::Document;
using rapidjson::Value;

// The board is one pass over every public dataset (~1 s for the 61k list, docs/BENCHMARKS.md),
// so it is computed once per catalog revision and day and shared by the pages and actions.
// A serve process has one store; the key names it anyway.
std::shared_ptr<const q::Board> board_of(catalog::Store& store) {
  static std::mutex mu;
  static std::shared_ptr<const q::Board> cached;
  static const catalog::Store* cached_store = nullptr;
  std::lock_guard lock(mu);
  const std::string today = q::today_utc();
  if (!cached || cached_store != &store || cached->today != today ||
      cached->revision != store.head_revision()) {
    cached = std::make_shared<const q::Board>(q::compute_board(store, today));
    cached_store = &store;
  }
  return cached;
}

Value percent(double p) {
  return Value(std::round(p * 10) / 10);
}

void write_distribution(const q::AgencyBoard& a, Value& out, Alloc& alloc) {
  out.SetObject();
  for (q::Rating r : {q::Rating::excellent, q::Rating::good, q::Rating::sufficient, q::Rating::bad})
    out.AddMember(json_string(q::rating_name(r), alloc),
                  Value(a.by_rating[static_cast<std::size_t>(r)]), alloc);
}

void write_totals(const q::AgencyBoard& a, Value& out, Alloc& alloc) {
  out.AddMember("datasets", Value(a.datasets), alloc);
  out.AddMember("mean_percent", percent(a.mean_percent()), alloc);
  Value dist;
  write_distribution(a, dist, alloc);
  out.AddMember("distribution", dist, alloc);
  out.AddMember("overdue", Value(a.overdue), alloc);
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
}

void quality_overview(ActionContext& ctx, const Value& params, Document& result) {
  auto& store = *ctx.services.store;
  const auto limit = opt_int(params, "limit", 1000, 0, 100000);
  auto board = board_of(store);
  auto& a = result.GetAllocator();
  result.SetObject();
  result.AddMember("scored_on", json_string(board->today, a), a);
  write_totals(board->national, result, a);
  Value agencies(rapidjson::kArrayType);
  std::int64_t rank = 0;
  for (const auto& ab : board->agencies) {
    if (++rank > limit) break;
    auto org = store.organization(ab.organization_id);
    Value v(rapidjson::kObjectType);
    v.AddMember("rank", Value(rank), a);
    write_org_ref(org ? &*org : nullptr, ab.organization_id, v, a);
    write_totals(ab, v, a);
    agencies.PushBack(v, a);
  }
  result.AddMember("agencies", agencies, a);
}

}  // namespace

void register_quality_actions(Registry& r) {
  r.add({"quality_show", quality_show, false,
         "The metadata quality of dataset `id` (docs/QUALITY.md): score, rating, and every "
         "indicator with its points, failed ones first by points lost, each with what to fix "
         "(Korean `fix`, English `fix_en`)."});
  r.add({"organization_quality_show", organization_quality_show, false,
         "An agency's quality scoreboard (organization `id`): score distribution, mean, rank, "
         "overdue updates, the indicators its datasets fail most and its worst datasets first "
         "with what to fix (`limit`, default 20, at most 50). Public datasets only.",
         Cost::expensive});
  r.add({"quality_overview", quality_overview, false,
         "The national quality overview: totals and every agency ranked by mean score "
         "(`limit` agencies, default 1000). Public datasets only.",
         Cost::expensive});
}

}  // namespace datamap::api
