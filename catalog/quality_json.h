// The quality score as JSON, in one place for package_show's and package_search's `quality`
// member (the search index stores it in each result) and quality_show's details.
#pragma once

#include <rapidjson/document.h>

#include "catalog/quality_score.h"

namespace datamap::catalog::quality {

// {score, max, percent, rating, rating_label, overdue, dimensions: {name: {score, max}}}
void write_summary(const Score& s, rapidjson::Value& out,
                   rapidjson::Document::AllocatorType& alloc);

// One indicator: {id, dimension, label, label_en, outcome, points, max, fix, fix_en} (fix
// members only when it failed).
void write_indicator(const IndicatorResult& r, rapidjson::Value& out,
                     rapidjson::Document::AllocatorType& alloc);

}  // namespace datamap::catalog::quality
