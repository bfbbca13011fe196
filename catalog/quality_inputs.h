// What score_dataset() needs besides the dataset, read from the store in one place, so that
// package_show, quality_show, the scoreboard and the search index score with the same inputs.
#pragma once

#include <string_view>

#include "catalog/quality_score.h"
#include "catalog/store.h"

namespace datamap::catalog::quality {

// The link checker's last answers for the dataset's landing page and resources. Until the
// catalog holds link checks (issue 15 item 2, h/links) every URL is unknown: those indicators
// are pending, not failed.
LinkResults link_results(Store& store, const Dataset& d);

// The dataset scored with its stored organization and link answers, on `today` (YYYY-MM-DD).
Score score_stored(Store& store, const Dataset& d, std::string_view today);

}  // namespace datamap::catalog::quality
