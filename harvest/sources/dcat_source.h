// `dcat`: a DCAT catalog (DCAT-AP and national profiles) in RDF/XML, Turtle or JSON-LD, one
// document or Hydra pages followed through hydra:nextPage. A page visited twice is a loop and
// fails the job; so does paging past `max_pages` (config, default 10000). A single-page catalog
// is fetched with a conditional GET.
#pragma once

#include "harvest/sources/source_type.h"

namespace datamap::harvest {

class DcatSource : public SourceType {
 public:
  GatherResult gather(GatherContext& ctx, const ItemSink& sink) override;
};

}  // namespace datamap::harvest
