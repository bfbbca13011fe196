// Which tabular format a file is, read from its first bytes (magic numbers), with the caller's
// hint (a resource's format or file extension) only breaking ties. A file that is something else
// (an image, a PDF, an executable) is refused with a LoadError naming what it is.
#pragma once

#include <string>
#include <string_view>

namespace datamap::datastore::loader {

enum class Format { csv, tsv, xlsx, xls, json, zip };
const char* format_name(Format f);  // "CSV", "TSV", "XLSX", "XLS", "JSON", "ZIP"

// `head` is the file's first bytes (a few KiB); `is_xlsx_package` says whether a zip holds an
// Office workbook (xl/workbook.xml; archive.h tells). Throws LoadError.
Format sniff_format(std::string_view head, std::string_view hint, bool is_xlsx_package);

// Normalises a hint: "text/csv", ".CSV", "csv" -> "CSV"; unknown -> "".
std::string normalise_hint(std::string_view hint);

}  // namespace datamap::datastore::loader
