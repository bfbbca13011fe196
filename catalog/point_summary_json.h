// PointSummary <-> JSON (the `points` member of a resource dict): one form for package_show and
// the dataset record the SQLite store keeps. Fingerprints are 16-digit hex strings (a JSON
// number would lose bits in JavaScript clients).
//
//   {"lat_column", "lon_column", "count", "fingerprint", "cells": [[cell, points], ...],
//    "near": [{"resource_id", "package_id", "fingerprint", "within_m", "points_near",
//              "other_points", "other_points_near"}, ...]}
#pragma once

#include <rapidjson/document.h>

#include <string>

#include "catalog/errors.h"
#include "catalog/model.h"

namespace datamap::catalog {

rapidjson::Value point_summary_to_json(const PointSummary& p,
                                       rapidjson::Document::AllocatorType& alloc);
// A member of the wrong JSON type adds a message to `errors` under `prefix + key`.
PointSummary point_summary_from_json(const rapidjson::Value& in, FieldErrors& errors,
                                     const std::string& prefix);

}  // namespace datamap::catalog
