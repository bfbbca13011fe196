// The licenses a dataset may declare: CKAN's defaults plus Korea's 공공누리 (KOGL) types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"

namespace datamap::catalog {

const std::vector<License>& known_licenses();
// Maps the free text sources use ("공공누리 제1유형", "CC BY 4.0", "이용허락범위 제한 없음") to
// a known license id; empty when nothing fits (the caller keeps the text in extras).
std::string license_from_text(std::string_view text);

}  // namespace datamap::catalog
