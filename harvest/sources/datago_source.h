// `datago`: the data.go.kr dataset list (목록개방현황), either
//  - the list CSV at a URL (any column layout, UTF-8 with or without BOM, or CP949), mapped by
//    the importer's DatagoRowMapper; spooled to disk and read through a memory map whose read
//    part is handed back to the kernel as we go, so memory does not grow with the list; or
//  - the odcloud-style JSON list API (api.odcloud.kr / data.go.kr "15062804"): `page`,
//    `perPage`, `totalCount`, `data[]` of rows keyed by the same Korean headers, paged to the
//    end (config `perPage`, default 1000; `serviceKey` added when configured).
// The two are told apart by the first response: JSON is the API, anything else a CSV.
#pragma once

#include "harvest/sources/source_type.h"

namespace datamap::harvest {

class DatagoSource : public SourceType {
 public:
  GatherResult gather(GatherContext& ctx, const ItemSink& sink) override;
};

}  // namespace datamap::harvest
