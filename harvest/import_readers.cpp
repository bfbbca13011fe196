#include "harvest/import_readers.h"

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/import/format.h"
#include "harvest/formats/datajson.h"
#include "harvest/formats/dcat.h"
#include "harvest/formats/rdf_graph.h"
#include "harvest/naming.h"

namespace datamap::harvest {
namespace {

using catalog::importer::Format;
using catalog::importer::ReadContext;
using catalog::importer::RecordSink;

// What the job's import stage fills in for a harvest, for a plain import.
void complete(HarvestItem& item, const ReadContext& ctx, const char* default_source) {
  catalog::Dataset& d = item.dataset;
  d.source = ctx.source.empty() ? default_source : ctx.source;
  if (item.ref.empty()) return;  // the record carries its "identifier: Missing value" error
  if (d.id.empty()) d.id = catalog::stable_id("harvest", item.ref);
  d.name = derived_name(d, item.ref);
  if (item.organization) {
    item.organization->id = organization_id(*item.organization);
    d.owner_org = item.organization->id;
  }
}

void read_datajson(std::string_view text, const ReadContext& ctx, const RecordSink& emit) {
  std::size_t n = 0;
  JsonStreamResult r = stream_json_array_text(text, "dataset", [&](rapidjson::Document& doc) {
    HarvestItem item = map_datajson_dataset(doc);
    item.where = "dataset[" + std::to_string(n++) + "]";
    complete(item, ctx, "datajson");
    emit(std::move(item));
    return true;
  });
  if (!r.ok) throw BadRequest("Import Error", "invalid data.json: " + r.error);
  if (!r.found_array) throw BadRequest("Import Error", "not a data.json catalog: no \"dataset\"");
}

catalog::importer::Reader rdf_reader(RdfSyntax syntax) {
  return [syntax](std::string_view text, const ReadContext& ctx, const RecordSink& emit) {
    RdfGraph graph;
    std::string error = parse_rdf_text(text, syntax, "", graph);
    if (!error.empty()) throw BadRequest("Import Error", "invalid RDF: " + error);
    std::size_t n = 0;
    read_dcat_graph(graph, [&](HarvestItem&& item) {
      item.where = "dataset " + std::to_string(++n);
      complete(item, ctx, "dcat");
      emit(std::move(item));
      return true;
    });
  };
}

}  // namespace

void register_import_readers() {
  catalog::importer::register_reader(Format::datajson, read_datajson);
  catalog::importer::register_reader(Format::rdf_xml, rdf_reader(RdfSyntax::kRdfXml));
  catalog::importer::register_reader(Format::turtle, rdf_reader(RdfSyntax::kTurtle));
  catalog::importer::register_reader(Format::jsonld, rdf_reader(RdfSyntax::kJsonLd));
}

}  // namespace datamap::harvest
