#include "catalog/import/importer.h"

#include "catalog/errors.h"
#include "catalog/import/encoding.h"
#include "catalog/import/format.h"
#include "catalog/import/input_file.h"
#include "catalog/import/upserter.h"

namespace datamap::catalog::importer {

ImportSummary import_bytes(Store& store, std::string bytes, const ImportOptions& options) {
  Encoding encoding;
  std::string text = to_utf8_text(decompress_if_needed(std::move(bytes)), encoding);
  Format format = detect_format(text);
  if (format == Format::unknown)
    throw BadRequest("Import Error",
                     "unrecognised file: expected a data.go.kr list CSV, CKAN JSON, DCAT-US "
                     "data.json or DCAT RDF");
  Reader reader = find_reader(format);
  if (!reader)
    throw BadRequest("Import Error", std::string(format_name(format)) +
                                         " is recognised but no reader for it is installed");

  Upserter upserter(store, options.batch_size, options.max_batch_size);
  upserter.summary().format = format_name(format);
  upserter.summary().encoding = encoding_name(encoding);
  ReadContext ctx{options.source, encoding == Encoding::cp949};
  std::size_t since_report = 0;
  reader(text, ctx, [&](Record&& r) {
    std::size_t offset = r.offset;
    upserter.add(std::move(r));
    if (options.progress && ++since_report >= 500) {
      since_report = 0;
      options.progress(offset, text.size());
    }
  });
  upserter.flush();
  if (options.progress) options.progress(text.size(), text.size());
  return std::move(upserter.summary());
}

ImportSummary import_file(Store& store, const std::string& path, const ImportOptions& options) {
  return import_bytes(store, read_input_file(path), options);
}

}  // namespace datamap::catalog::importer
