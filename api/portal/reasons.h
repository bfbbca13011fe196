// Why two datasets are related, in words: the data map's reason objects
// ({"kind": "term"|"keyword"|"agency"|"category"|"explicit", "value", "weight"}) as a list.
#pragma once

#include <rapidjson/document.h>

#include <string>

#include "api/portal/html.h"
#include "api/portal/page_context.h"

namespace datamap::api::portal {

std::string_view reason_kind_label(Lang lang, const std::string& kind);
// <ul class="reasons"> of the `reasons` array of `item` (nothing when it has none).
void reason_list(Html& h, Lang lang, const rapidjson::Value& item);
// One reason: its label and, for measured ones (joinable, near), the figures in words.
void reason_text(Html& h, Lang lang, const rapidjson::Value& reason);
// /join?… previewing the join a measured reason describes (joinable: on its column pair; near:
// by its distance); "" for other reasons or when the reason names no resources.
std::string join_preview_url(const rapidjson::Value& reason);

}  // namespace datamap::api::portal
