// schema.org/Dataset JSON-LD for one dataset: what Google Dataset Search and other crawlers read.
// The portal embeds schema_org_script_json() in each dataset page inside
// <script type="application/ld+json">; /dataset/{name}.schema.json serves schema_org_json().
#pragma once

#include <string>

#include "api/formats/site.h"
#include "catalog/model.h"

namespace datamap::api::formats {

// The JSON-LD document (compact, "@context": "https://schema.org/"). `organization` may be null.
std::string schema_org_json(const catalog::Dataset& d, const catalog::Organization* organization,
                            const SiteInfo& site);

// The same JSON made safe to place inside an HTML <script> element: every '<' is written as
// \u003c, so no text in the record (say "</script><script>…") can end the element early.
std::string schema_org_script_json(const catalog::Dataset& d,
                                   const catalog::Organization* organization,
                                   const SiteInfo& site);

}  // namespace datamap::api::formats
