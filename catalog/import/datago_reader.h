// The data.go.kr list CSV (목록개방현황) -> records. Columns are found by header name, so the 2022
// 13-column list, the current 36-column list and any future layout all map the same way; every
// column without a model field is kept in extras under its Korean header. Identity comes from
// 목록키: id = stable_id("datago", key), name = "datago-<key>", so re-imports find their dataset.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/import/datago_columns.h"
#include "catalog/import/format.h"
#include "catalog/import/record.h"

namespace datamap::catalog::importer {

// A Reader (format.h) for Format::datago_csv. `text` is UTF-8 (see encoding.h). Throws
// BadRequest when the header has no 목록키 column.
void read_datago_csv(std::string_view text, const ReadContext& ctx, const RecordSink& emit);

// Maps rows of one list to records; the harvester's data.go.kr source reuses it.
class DatagoRowMapper {
 public:
  // `header` as read from the file (BOM, spaces and decomposed Hangul are tolerated).
  // Throws BadRequest when there is no 목록키 column.
  // With `decoded_from_cp949`, a value holding U+FFFD (an undecodable byte) rejects its row.
  DatagoRowMapper(const std::vector<std::string>& header, std::string source,
                  bool decoded_from_cp949 = false);

  // `values` in header order, raw bytes from the file; `line` for reports.
  Record map(const std::vector<std::string>& values, std::size_t line) const;

  std::size_t columns() const { return headers_.size(); }

 private:
  std::vector<std::string> headers_;  // trimmed, NFC: the keys extras are stored under
  std::vector<DatagoField> fields_;
  std::string source_;
  bool decoded_from_cp949_;
  // A list names ~1,000 agencies and 16 categories over 61,000 rows: build each once.
  mutable std::unordered_map<std::string, Organization> agencies_;
  mutable std::unordered_map<std::string, Group> categories_;
};

// "2012-12-06", "2012.12.06", "2012/12/6", "20121206", "2012-12-06 10:00:00" -> ISO 8601;
// empty when the text is no date.
std::string normalize_date(std::string_view text);

}  // namespace datamap::catalog::importer
