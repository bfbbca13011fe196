#include "catalog/quality_json.h"

#include <cmath>
#include <string_view>

#include "catalog/json_values.h"

namespace datamap::catalog::quality {
namespace {

rapidjson::Value str(std::string_view s, rapidjson::Document::AllocatorType& a) {
  return json_string(s, a);
}

}  // namespace

void write_summary(const Score& s, rapidjson::Value& out, rapidjson::Document::AllocatorType& a) {
  out.SetObject();
  out.AddMember("score", s.points, a);
  out.AddMember("max", s.max, a);
  out.AddMember("percent", static_cast<int>(std::lround(s.ratio() * 100)), a);
  out.AddMember("rating", str(rating_name(s.rating), a), a);
  out.AddMember("rating_label", str(rating_label_ko(s.rating), a), a);
  out.AddMember("overdue", s.overdue, a);
  rapidjson::Value dims(rapidjson::kObjectType);
  for (std::size_t i = 0; i < kDimensions; ++i) {
    rapidjson::Value d(rapidjson::kObjectType);
    d.AddMember("score", s.dimensions[i].points, a);
    d.AddMember("max", s.dimensions[i].max, a);
    dims.AddMember(str(dimension_name(static_cast<Dimension>(i)), a), d, a);
  }
  out.AddMember("dimensions", dims, a);
}

void write_indicator(const IndicatorResult& r, rapidjson::Value& out,
                     rapidjson::Document::AllocatorType& a) {
  out.SetObject();
  out.AddMember("id", str(r.info->id, a), a);
  out.AddMember("dimension", str(dimension_name(r.info->dimension), a), a);
  out.AddMember("label", str(r.info->label_ko, a), a);
  out.AddMember("label_en", str(r.info->label_en, a), a);
  out.AddMember("outcome", str(outcome_name(r.outcome), a), a);
  out.AddMember("points", r.points, a);
  out.AddMember("max", r.possible, a);
  out.AddMember("weight", r.info->points, a);
  if (r.outcome == Outcome::failed) {
    out.AddMember("fix", str(r.info->fix_ko, a), a);
    out.AddMember("fix_en", str(r.info->fix_en, a), a);
  }
}

}  // namespace datamap::catalog::quality
