// DCAT (DCAT-AP, national profiles such as DCAT-AP_IT, schema-light portals) from an RDF graph
// to HarvestItems: one per dcat:Dataset. Mapped properties go to the model's fields; every other
// property of the dataset is kept in extras under its compact name ("dct:accessRights"), so a
// profile's additions survive. Hydra paging (hydra:nextPage / hydra:next) is reported so the
// source can follow it.
#pragma once

#include <cstdint>
#include <string>

#include "harvest/formats/rdf_graph.h"
#include "harvest/item.h"

namespace datamap::harvest {

struct DcatPage {
  std::string next_page;         // absolute URL of the next Hydra page, "" on the last
  std::int64_t total_items = -1;  // hydra:totalItems when given
  std::int64_t datasets = 0;     // dcat:Dataset nodes on this page
  bool stopped = false;          // the sink asked to stop
};

DcatPage read_dcat_graph(const RdfGraph& graph, const ItemSink& sink);

}  // namespace datamap::harvest
