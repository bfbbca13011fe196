#include "datastore/near_measurer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

namespace datamap::datastore {
namespace {

std::optional<double> number(const Cell& c) {
  if (const auto* d = std::get_if<double>(&c)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&c)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&c)) {
    char* end = nullptr;
    double v = std::strtod(s->c_str(), &end);
    if (!s->empty() && end == s->c_str() + s->size() && std::isfinite(v)) return v;
  }
  return std::nullopt;
}

}  // namespace

NearMeasurer::NearMeasurer(catalog::Store& store, TableStore& tables, Options options)
    : store_(store),
      tables_(tables),
      options_(options),
      cache_(options.cache_bytes, options.within_m) {}

std::vector<LatLon> NearMeasurer::read_points(TableStore& tables, const std::string& resource_id,
                                              const std::string& lat, const std::string& lon) {
  std::vector<LatLon> out;
  SearchQuery q;
  q.resource_id = resource_id;
  q.fields = {lat, lon};
  tables.scan(q, [&](const std::vector<Field>&, const Row& row) {
    if (row.size() < 2) return true;
    auto la = number(row[0]), lo = number(row[1]);
    if (la && lo && std::abs(*la) <= 90 && std::abs(*lo) <= 180) out.push_back({*la, *lo});
    return true;
  });
  return out;
}

void NearMeasurer::seed() {
  if (seeded_) return;
  seeded_ = true;
  store_.for_each_dataset([&](const catalog::Dataset& d) {
    for (const auto& r : d.resources)
      if (!r.points.cells.empty()) candidates_.update(r.id, d.id, r.points.cells);
  });
}

catalog::PointSummary NearMeasurer::measure(const std::string& resource_id,
                                            const std::string& package_id) {
  std::lock_guard lock(mutex_);
  seed();
  auto t0 = std::chrono::steady_clock::now();
  const auto reads0 = cache_.stats().reads;
  auto info = tables_.info(resource_id);
  if (!info || !info->options.point) {
    cache_.forget(resource_id);
    return {};
  }
  const auto [lat, lon] = *info->options.point;
  // Its own points were just (re)loaded: always read, and kept for the pairs it is a candidate in.
  // The revision is taken before the read (PointGridCache::Source).
  std::vector<LatLon> points;
  auto read_mine = [&, lat = lat, lon = lon] {
    points = read_points(tables_, resource_id, lat, lon);
    return points;
  };
  std::shared_ptr<const PointGridCache::Prepared> mine;
  if (options_.within_m > 0)
    mine = cache_.refresh(resource_id, {lat, lon, tables_.revision(resource_id), std::nullopt},
                          read_mine);
  else
    read_mine();
  catalog::PointSummary summary = summarize_points(points);
  summary.lat_column = lat;
  summary.lon_column = lon;
  if (points.empty() || !mine) return summary;
  std::size_t measured = 0;
  for (const auto& other :
       candidates_.best(resource_id, package_id, summary.cells, options_.candidates)) {
    auto r = store_.resource(other);
    if (!r || r->points.lat_column.empty()) continue;
    auto d = store_.dataset(r->package_id);
    if (!d || d->is_private || d->state != "active") continue;
    const catalog::PointSummary& p = r->points;
    std::shared_ptr<const PointGridCache::Prepared> theirs;
    try {
      // Kept while its table is unchanged here and its profile's fingerprint (written by
      // whichever process loaded it last) is still the one its points had when read.
      theirs =
          cache_.get(other, {p.lat_column, p.lon_column, tables_.revision(other), p.fingerprint},
                     [&] { return read_points(tables_, other, p.lat_column, p.lon_column); });
    } catch (const std::exception&) {
      continue;  // its table is gone or was retyped since: its own next load measures again
    }
    if (theirs->points == 0) continue;
    ++measured;
    catalog::NearPair pair = measure_pair(mine->grid, theirs->grid, options_.within_m);
    pair.resource_id = other;
    pair.package_id = r->package_id;
    pair.fingerprint = theirs->fingerprint;
    if (pair.points_near > 0 || pair.other_points_near > 0) summary.near.push_back(pair);
  }
  std::stable_sort(summary.near.begin(), summary.near.end(), [&](const auto& x, const auto& y) {
    return near_strength(x, summary.points) > near_strength(y, summary.points);
  });
  const auto stats = cache_.stats();
  spdlog::info(
      "near: resource {} ({} points) measured against {} candidates in {:.2f} s, {} table "
      "reads ({} grids kept, {:.1f} MiB)",
      resource_id, points.size(), measured,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
      stats.reads - reads0, stats.entries, double(stats.bytes) / (1 << 20));
  return summary;
}

void NearMeasurer::remember(const std::string& resource_id, const std::string& package_id,
                            const catalog::PointSummary& summary) {
  std::lock_guard lock(mutex_);
  candidates_.update(resource_id, package_id, summary.cells);
}

void NearMeasurer::forget(const std::string& resource_id) {
  std::lock_guard lock(mutex_);
  candidates_.remove(resource_id);
  cache_.forget(resource_id);
}

}  // namespace datamap::datastore
