// Lets `datamap import` read what the harvesters read: DCAT-US data.json and DCAT in RDF/XML,
// Turtle or JSON-LD, through the importer's reader table (catalog/import/format.h). The
// mapping is the harvesters' own (formats/), so a file imported and the same catalog harvested
// give the same datasets (same ids: stable_id("harvest", identifier)).
#pragma once

namespace datamap::harvest {

// Registers the readers; call once at start-up (app/main.cpp does). Safe to call again.
void register_import_readers();

}  // namespace datamap::harvest
