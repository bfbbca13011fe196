// The dataset page's point map: where a table's rows lie, drawn server-side as inline SVG so it
// needs neither JavaScript nor a tile server. Points outside Korea's bounding box (swapped or
// mistyped coordinates are common in real files) are counted and said, never drawn, so one bad
// row cannot shrink the whole drawing to a dot. Tiles are drawn beneath only when a tile URL
// template is configured ([site] map_tiles_url).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/portal/html.h"
#include "api/portal/page_context.h"

namespace datamap::api::portal {

struct GeoPoint {
  double lat = 0, lon = 0;
};

// What the page read: the rows it looked at (all of them, or an even sample of a large table).
struct PointSample {
  std::vector<GeoPoint> points;  // sampled rows that carry a number in both columns
  std::int64_t rows_total = 0;   // rows in the table
  std::int64_t rows_read = 0;    // rows looked at (points + rows without usable coordinates)
  bool first_rows_only = false;  // a large table could not be sampled evenly: the first rows
};

// Korea's extent with its islands (Marado to Dokdo, Baengnyeong-do to the DMZ), in WGS84.
inline constexpr double kKoreaMinLat = 32.9, kKoreaMaxLat = 38.7;
inline constexpr double kKoreaMinLon = 124.4, kKoreaMaxLon = 132.0;
bool inside_korea(const GeoPoint& p);

// A <figure> with the SVG and a caption saying how many points are shown of how many rows, how
// many lay outside Korea and how many had no coordinates. Nothing when no point lies inside Korea
// (the caption alone is written then, so the reader learns why there is no map).
// `title` names the resource in the drawing's accessible name.
void point_map(Html& h, const PageContext& ctx, const PointSample& sample,
               const std::string& title);

}  // namespace datamap::api::portal
