// `datajson`: a DCAT-US 1.1 data.json catalog at the source URL. One document: fetched with a
// conditional GET (an unchanged catalog costs a 304), spooled to disk, checked whole, then
// streamed dataset by dataset.
#pragma once

#include "harvest/sources/source_type.h"

namespace datamap::harvest {

class DataJsonSource : public SourceType {
 public:
  GatherResult gather(GatherContext& ctx, const ItemSink& sink) override;
};

}  // namespace datamap::harvest
