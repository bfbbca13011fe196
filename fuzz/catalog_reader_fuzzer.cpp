// Every catalog reader `datamap import` and the harvesters run on remote text: format detection,
// then CKAN JSON / JSON lines, data.go.kr CSV, DCAT-US data.json, DCAT RDF/XML, Turtle and
// JSON-LD. The first byte picks the reader (0: detect_format, as `datamap import` does; else one
// format forced, as a harvest source of that type does). A reader may reject the whole input with
// BadRequest (400 / an import error) and individual records in their `errors`; nothing else.
#include <stdexcept>
#include <string>

#include "catalog/errors.h"
#include "catalog/import/encoding.h"
#include "catalog/import/format.h"
#include "fuzz/fuzz_support.h"
#include "harvest/import_readers.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  datamap::harvest::register_import_readers();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace datamap::catalog::importer;
  if (size < 1) return 0;
  std::string_view bytes = datamap::fuzz::as_text(data + 1, size - 1);
  ReadContext ctx;
  std::string text;
  try {
    Encoding detected;
    text = to_utf8_text(std::string(bytes), detected);
    ctx.decoded_from_cp949 = detected == Encoding::cp949;
  } catch (const std::runtime_error&) {
    return 0;  // not convertible: `datamap import` stops there with a message
  }
  static constexpr Format kForced[] = {Format::datago_csv, Format::ckan_json, Format::ckan_jsonl,
                                       Format::datajson,   Format::rdf_xml,   Format::turtle,
                                       Format::jsonld};
  Format format =
      data[0] == 0 ? detect_format(text) : kForced[data[0] % (sizeof kForced / sizeof kForced[0])];
  Reader reader = find_reader(format);
  if (!reader) return 0;
  try {
    reader(text, ctx, [](Record&& record) { (void)record; });
  } catch (const datamap::BadRequest&) {
  }
  return 0;
}
