// The scoreboard's history on the quality pages (docs/QUALITY.md): a small server-rendered line
// of the mean score per day, and the same figures as a table, which is what a screen reader
// reads (the drawing carries a one-line summary as its name and nothing more).
#pragma once

#include <rapidjson/document.h>

#include "api/portal/html.h"
#include "api/portal/page_context.h"

namespace datamap::api::portal {

// A section "변화 추이" from a scoreboard action's `history` (oldest first); says so when empty.
void quality_history_section(Html& h, Lang lang, const rapidjson::Value& board);

// An error rate (0–1) as text, e.g. "0.001%".
std::string error_rate_text(double rate);

}  // namespace datamap::api::portal
