// Semantic types: what a column's values mean, beyond their storage type — recognised from the
// values AND the header name (or its standard term). Korean public data's usual suspects:
// WGS84 coordinates (in Korea's range), 법정동코드 / 행정동코드 (10 digits, a 시도 prefix),
// 사업자등록번호 (with its check digit), 우편번호, 전화번호 in its several forms, 도로명주소 /
// 지번주소, 제공기관코드 (matched to the catalog's organizations), e-mail, URL and dates.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace datamap::datastore::loader {

enum class Semantic {
  latitude,
  longitude,
  legal_dong_code,
  admin_dong_code,
  business_reg_no,
  postal_code,
  phone,
  road_address,
  lot_address,
  org_code,
  email,
  url,
  date,
};
inline constexpr int kSemanticCount = 13;

// The id written to ColumnProfile::semantic_type: "latitude", "longitude", "legal_dong_code",
// "admin_dong_code", "business_reg_no", "postal_code", "phone", "road_address", "lot_address",
// "org_code", "email", "url", "date".
const char* semantic_id(Semantic s);

// Kinds the header (or its standard term) names, e.g. "위도" -> latitude.
std::vector<Semantic> header_hints(std::string_view header, std::string_view standard_term);

// Kinds distinctive enough to be recognised from the values alone (nearly all of them fit).
bool recognisable_from_values(Semantic s);

// Whether one trimmed, non-empty value fits `s`: for coordinates, within South Korea.
bool value_fits(Semantic s, std::string_view v);
// For coordinates: a number in the WGS84 range at all (out of Korea but still degrees).
bool plausible_value(Semantic s, std::string_view v);

// South Korea's extent, 33–39°N and 124–132°E: a coordinate outside it fits no Korean place.
// One rule for the profiler's semantic types and the validator's out_of_korea problem.
bool in_korea(Semantic s, double degrees);

// Codes: the values a join would be made on.
bool is_code(Semantic s);

// 사업자등록번호 check digit (10 digits, hyphens allowed).
bool valid_business_number(std::string_view v);

}  // namespace datamap::datastore::loader
