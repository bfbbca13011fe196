#include "api/portal/point_map.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace datamap::api::portal {

bool inside_korea(const GeoPoint& p) {
  return p.lat >= kKoreaMinLat && p.lat <= kKoreaMaxLat && p.lon >= kKoreaMinLon &&
         p.lon <= kKoreaMaxLon;
}

namespace {

constexpr double kWidth = 640;        // SVG user units; the CSS scales it to the column
constexpr double kMinSpanDeg = 0.01;  // one point, or points on one street: about 1 km
constexpr double kPad = 0.06;         // of the span, on every side
constexpr double kMinAspect = 0.55, kMaxAspect = 1.3;  // height / width
constexpr int kMaxTiles = 48;

double deg(double rad) {
  return rad * 180.0 / M_PI;
}
double rad(double deg) {
  return deg * M_PI / 180.0;
}

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Points are placed in "projected degrees": x = lon · kx, y = Y(lat). Equirectangular (kx =
// cos of the middle latitude, Y = lat) unless tiles are drawn; tiles are Web Mercator, so then
// the points are too (kx = 1, Y = the Mercator ordinate in degrees) and both line up.
struct Projection {
  bool mercator = false;
  double kx = 1;
  double x0 = 0, y0 = 0;  // projected left edge and top edge
  double x1 = 0, y1 = 0;  // right and bottom
  double scale = 1;       // SVG units per projected degree
  double height = 0;

  double Y(double lat) const {
    return mercator ? deg(std::log(std::tan(M_PI / 4 + rad(lat) / 2))) : lat;
  }
  double lat_of(double y) const {
    return mercator ? deg(2 * std::atan(std::exp(rad(y))) - M_PI / 2) : y;
  }
  double sx(double lon) const { return (lon * kx - x0) * scale; }
  double sy(double lat) const { return (y0 - Y(lat)) * scale; }
};

Projection fit(const std::vector<GeoPoint>& pts, bool mercator) {
  double min_lat = pts[0].lat, max_lat = min_lat, min_lon = pts[0].lon, max_lon = min_lon;
  for (const auto& p : pts) {
    min_lat = std::min(min_lat, p.lat), max_lat = std::max(max_lat, p.lat);
    min_lon = std::min(min_lon, p.lon), max_lon = std::max(max_lon, p.lon);
  }
  Projection pr;
  pr.mercator = mercator;
  pr.kx = mercator ? 1 : std::cos(rad((min_lat + max_lat) / 2));
  double left = min_lon * pr.kx, right = max_lon * pr.kx;
  double top = pr.Y(max_lat), bottom = pr.Y(min_lat);
  auto widen = [](double& lo, double& hi, double span) {
    double mid = (lo + hi) / 2;
    lo = mid - span / 2, hi = mid + span / 2;
  };
  if (right - left < kMinSpanDeg) widen(left, right, kMinSpanDeg);
  if (top - bottom < kMinSpanDeg) widen(bottom, top, kMinSpanDeg);
  // Keep the drawing between a wide strip and a tall column: widen the narrower direction.
  double w = right - left, hgt = top - bottom;
  if (hgt / w < kMinAspect) widen(bottom, top, w * kMinAspect);
  if (hgt / w > kMaxAspect) widen(left, right, hgt / kMaxAspect);
  w = right - left, hgt = top - bottom;
  left -= w * kPad, right += w * kPad, bottom -= hgt * kPad, top += hgt * kPad;
  pr.x0 = left, pr.x1 = right, pr.y0 = top, pr.y1 = bottom;
  pr.scale = kWidth / (right - left);
  pr.height = (top - bottom) * pr.scale;
  return pr;
}

// A round step giving three to six graticule lines over `span` degrees.
double grid_step(double span) {
  for (double step : {5.0, 2.0, 1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001})
    if (span / step >= 3) return step;
  return 0.001;
}

// A graticule label: as many decimals as the step needs, none for whole degrees ("127", "37.5").
std::string degrees(double v, double step) {
  std::string s = fixed(v, step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

void graticule(Html& h, const Projection& pr) {
  double lon_lo = pr.x0 / pr.kx, lon_hi = pr.x1 / pr.kx;
  double lat_lo = pr.lat_of(pr.y1), lat_hi = pr.lat_of(pr.y0);
  double step = grid_step(std::min(lon_hi - lon_lo, lat_hi - lat_lo));
  h << "<g class=\"pm-grid\">";
  for (double lon = std::ceil(lon_lo / step) * step; lon <= lon_hi; lon += step) {
    std::string x = fixed(pr.sx(lon), 1);
    h << "<line x1=\"" << x << "\" y1=\"0\" x2=\"" << x << "\" y2=\"" << fixed(pr.height, 1)
      << "\"/><text x=\"" << x << "\" y=\"" << fixed(pr.height - 4, 1) << "\">"
      << degrees(lon, step) << "°E</text>";
  }
  for (double lat = std::ceil(lat_lo / step) * step; lat <= lat_hi; lat += step) {
    std::string y = fixed(pr.sy(lat), 1);
    h << "<line x1=\"0\" y1=\"" << y << "\" x2=\"" << fixed(kWidth, 0) << "\" y2=\"" << y
      << "\"/><text x=\"4\" y=\"" << fixed(pr.sy(lat) - 3, 1) << "\">" << degrees(lat, step)
      << "°N</text>";
  }
  h << "</g>";
}

std::string tile_url(std::string tmpl, int z, long x, long y) {
  for (auto [key, value] : {std::pair<std::string, std::string>{"{z}", std::to_string(z)},
                            {"{x}", std::to_string(x)},
                            {"{y}", std::to_string(y)}})
    for (std::size_t at; (at = tmpl.find(key)) != std::string::npos;)
      tmpl.replace(at, key.size(), value);
  return tmpl;
}

// Web Mercator tiles covering the drawing, at the zoom whose tiles come closest to 256 units,
// fewer if that would take more than kMaxTiles requests.
void tiles(Html& h, const Projection& pr, const std::string& tmpl) {
  int z = std::clamp(static_cast<int>(std::lround(std::log2(360 * pr.scale / 256))), 0, 19);
  long tx0 = 0, tx1 = 0, ty0 = 0, ty1 = 0;
  double size = 0;
  for (;; --z) {
    size = 360.0 / std::pow(2.0, z);  // one tile, in projected degrees
    tx0 = static_cast<long>(std::floor((pr.x0 + 180) / size));
    tx1 = static_cast<long>(std::floor((pr.x1 + 180) / size));
    ty0 = static_cast<long>(std::floor((180 - pr.y0) / size));
    ty1 = static_cast<long>(std::floor((180 - pr.y1) / size));
    if ((tx1 - tx0 + 1) * (ty1 - ty0 + 1) <= kMaxTiles || z == 0) break;
  }
  std::string px = fixed(size * pr.scale + 0.5, 1);  // half a unit of overlap hides seams
  h << "<g class=\"pm-tiles\">";
  for (long ty = ty0; ty <= ty1; ++ty)
    for (long tx = tx0; tx <= tx1; ++tx)
      h << "<image href=\"" << tile_url(tmpl, z, tx, ty) << "\" x=\""
        << fixed((tx * size - 180 - pr.x0) * pr.scale, 1) << "\" y=\""
        << fixed((pr.y0 - (180 - ty * size)) * pr.scale, 1) << "\" width=\"" << px << "\" height=\""
        << px << "\" preserveAspectRatio=\"none\"/>";
  h << "</g>";
}

// One path of zero-length segments with round caps draws every point as a dot in a fraction of
// the bytes of one <circle> each; points falling on the same tenth of a unit are written once.
std::string dots(const Projection& pr, const std::vector<GeoPoint>& pts) {
  std::string d;
  std::unordered_set<std::uint64_t> seen;
  for (const auto& p : pts) {
    double x = std::round(pr.sx(p.lon) * 10) / 10, y = std::round(pr.sy(p.lat) * 10) / 10;
    std::uint64_t key =
        (static_cast<std::uint64_t>(x * 10) << 32) | static_cast<std::uint32_t>(y * 10);
    if (!seen.insert(key).second) continue;
    d += 'M';
    d += fixed(x, 1);
    d += ' ';
    d += fixed(y, 1);
    d += "h0";
  }
  return d;
}

// The caption: what is drawn, of what, and what was left out and why.
void caption(Html& h, Lang lang, const PointSample& s, std::int64_t shown, std::int64_t outside) {
  std::string total = format_count(s.rows_total), read = format_count(s.rows_read),
              drawn = format_count(shown);
  h << "<figcaption class=\"pm-caption\"><span class=\"pm-shown\">";
  if (s.rows_read >= s.rows_total)
    h << tr(lang, "전체 ", "") << total << tr(lang, "행 중 위치 ", " rows, ") << drawn
      << tr(lang, "곳을 표시했습니다.", " locations shown.");
  else if (s.first_rows_only)
    h << tr(lang, "전체 ", "") << total << tr(lang, "행 중 처음 ", " rows; of the first ") << read
      << tr(lang, "행의 위치 ", " rows, ") << drawn
      << tr(lang, "곳을 표시했습니다.", " locations shown.");
  else
    h << tr(lang, "전체 ", "") << total << tr(lang, "행 중 고르게 뽑은 ", " rows; of ") << read
      << tr(lang, "행의 위치 ", " rows sampled evenly, ") << drawn
      << tr(lang, "곳을 표시했습니다.", " locations shown.");
  h << "</span>";
  if (outside > 0)
    h << " <span class=\"pm-outside\">" << tr(lang, "한국 밖 좌표 ", "") << format_count(outside)
      << tr(lang, "행은 그리지 않았습니다.", " rows with coordinates outside Korea are not drawn.")
      << "</span>";
  if (std::int64_t missing = s.rows_read - static_cast<std::int64_t>(s.points.size()); missing > 0)
    h << " <span class=\"pm-missing\">" << tr(lang, "좌표가 없거나 숫자가 아닌 행: ", "")
      << format_count(missing) << tr(lang, "행.", " rows have no numeric coordinates.")
      << "</span>";
  h << "</figcaption>";
}

}  // namespace

void point_map(Html& h, const PageContext& ctx, const PointSample& sample,
               const std::string& title) {
  const Lang lang = ctx.lang;
  std::vector<GeoPoint> inside;
  inside.reserve(sample.points.size());
  for (const auto& p : sample.points)
    if (inside_korea(p)) inside.push_back(p);
  const auto outside = static_cast<std::int64_t>(sample.points.size() - inside.size());
  const auto shown = static_cast<std::int64_t>(inside.size());
  h << "<figure class=\"point-map\">";
  if (!inside.empty()) {
    const bool with_tiles = !ctx.map_tiles_url.empty();
    Projection pr = fit(inside, with_tiles);
    std::string height = fixed(pr.height, 1);
    std::string label = title + " — " + std::string(tr(lang, "위치 ", "")) + format_count(shown) +
                        std::string(tr(lang, "곳", " locations"));
    h << "<svg class=\"pm-svg\" viewBox=\"0 0 " << fixed(kWidth, 0) << " " << height
      << "\" role=\"img\" aria-label=\"" << label << "\" data-points=\"" << shown
      << "\" data-outside=\"" << outside << "\"><title>" << label << "</title><rect width=\""
      << fixed(kWidth, 0) << "\" height=\"" << height << "\" class=\"pm-bg\"/>";
    if (with_tiles) tiles(h, pr, ctx.map_tiles_url);
    graticule(h, pr);
    h << "<path class=\"pm-dots\" d=\"" << dots(pr, inside) << "\"/></svg>";
  }
  caption(h, lang, sample, shown, outside);
  h << "</figure>\n";
}

}  // namespace datamap::api::portal
