// Pieces several pages share: a dataset's summary card, labels for codes (dataset type, facet
// names), dates, the pager. All output goes through Html, so source text is escaped.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "api/portal/html.h"
#include "api/portal/page_context.h"

namespace datamap::api::portal {

// One search result / listing entry. `highlight` (may be empty) is the search engine's snippet.
void dataset_card(Html& h, const PageContext& ctx, const rapidjson::Value& pkg,
                  const rapidjson::Value* highlight);

std::string_view dataset_type_label(Lang lang, const std::string& type);  // file → 파일데이터
std::string_view facet_label(Lang lang, const std::string& field);        // groups → 분류
// excellent → 우수 / Excellent (catalog/quality_score.h's ratings).
std::string_view quality_rating_label(Lang lang, const std::string& rating);
// A dataset page's metadata quality section, from quality_show's result: the rating and score,
// and the failed indicators with what to fix, most points first (api/portal/quality_pages.cpp).
void quality_section(Html& h, Lang lang, const rapidjson::Value& quality_show);
// A dataset page's data validation section, from package_show's resources (their `validation`
// and columns[].validation): per validated resource the error rate (오류율), duplicate and
// ragged rows, the columns with problems and their first rows, and the failing-rows download.
void validation_section(Html& h, Lang lang, const rapidjson::Value& package);
// The display title of an organization / group object (title, display_name, else name).
std::string display_title(const rapidjson::Value& obj);
// "2023-05-01T12:00:00.123" → "2023-05-01".
std::string short_date(const std::string& iso);
// Snippet text: whitespace collapsed, cut at `max_chars` characters (UTF-8 aware) with "…".
std::string snippet(const std::string& text, std::size_t max_chars);
// Text from a source (descriptions) as escaped <p> paragraphs: catalog::source_paragraphs, so
// the <br/> and entities agencies send are line breaks and characters, never markup.
void source_paragraphs_html(Html& h, std::string_view text);
// The same text on one line, at most max_chars characters (cards, meta descriptions).
std::string source_snippet(std::string_view text, std::size_t max_chars);

// <nav> with previous / numbered / next links; `page` is 1-based.
void pager(Html& h, const PageContext& ctx, std::int64_t page, std::int64_t total,
           std::int64_t per_page);

}  // namespace datamap::api::portal
