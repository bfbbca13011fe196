// Data validation against the common standard (issue 15): each column is checked as what its
// header and its common standard term say it holds — coordinates within Korea, dates, phone
// numbers, codes (length, digits, 사업자등록번호 check digit), e-mail and URL forms, a domain's
// allowed values (여부 → Y/N) and length — and code-like columns for one value written two
// ways ("2" and "02"). Rows: duplicates of an earlier row, and ragged rows (too few or too many
// values). Per column: missing, invalid and valid counts with the first rows of each problem.
//
// One Validator serves every feed: the loader's first pass (load_file, with ragged rows known)
// and a scan of a stored table (validate_table, and the CSV of failing rows). The recognisers
// are the loader's (loader/semantic.h), so profile and validation never disagree on a value.
// Memory: bounded by the example cap and the duplicate/consistency tables (capped; past the cap
// those two checks stop counting new values).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"
#include "catalog/standard_terms.h"
#include "datastore/table_export.h"
#include "datastore/table_store.h"

namespace datamap::datastore {

struct ValidationOptions {
  std::size_t examples = 5;             // example rows kept per problem kind and column
  std::size_t max_tracked = 4'000'000;  // distinct rows / code spellings remembered
};

class Validator {
 public:
  explicit Validator(ValidationOptions options = {});
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  // Columns in table order. `term` is the column's matched common standard term (or null).
  void add_column(std::string_view name, const catalog::StandardTerm* term);
  std::size_t columns() const;

  // One data row (`row` 1-based); `width` is how many values the source row had (a ragged row
  // when it differs from the header's `header_width`; 0 = not known). Returns the row's
  // problems as "column: kind" joined by "; ", "" when the row is clean.
  std::string add(const std::vector<std::string>& cells, std::int64_t row, std::size_t width = 0,
                  std::size_t header_width = 0);
  // The same for the loader, which has hashed every value for its profile already:
  // `hashes[i]` is loader::value_hash of cells[i] trimmed, and `columns` how many columns there
  // were when the row was read (a later ragged row may have added some since).
  std::string add(const std::vector<std::string_view>& cells,
                  const std::vector<std::uint64_t>& hashes, std::size_t columns, std::int64_t row,
                  std::size_t width, std::size_t header_width);

  // The ragged rows seen (rows whose `width` differed from `header_width`), for the table to
  // keep with it (TableWriter::set_load_findings).
  const LoadFindings& load_findings() const;

  // Writes each column's validation into `columns` (matched by position) and the summary.
  void finish(std::vector<catalog::ColumnProfile>& columns,
              catalog::ResourceValidation& summary) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A Validator over the columns named `names`, their standard terms looked up in `terms` (may be
// null) by the profile's standard_term or else the name.
std::unique_ptr<Validator> make_validator(const std::vector<catalog::ColumnProfile>& columns,
                                          const catalog::StandardTermIndex* terms,
                                          ValidationOptions options = {});

// Validates the stored table `resource_id` (TableStore::scan, load order). `columns` are the
// resource's profiles; when empty, one per stored field is made. The load's findings kept with
// the table (TableStore::load_findings: its ragged rows) are merged in, so a ragged row is
// reported by every validation as by the load's. Fills their validation and
// returns the summary (validated_at left to the caller). `each_failing`, when set, gets every
// row with a problem: its 1-based row number, the row's values as text and the problems.
catalog::ResourceValidation validate_table(
    TableStore& store, const std::string& resource_id, std::vector<catalog::ColumnProfile>& columns,
    const catalog::StandardTermIndex* terms,
    const std::function<void(std::int64_t row, const std::vector<std::string>& cells,
                             const std::string& problems)>& each_failing = {});

// The failing rows of a stored table as a file for the agency to fix (CSV, UTF-8 with BOM by
// default; table_export.h's writer): columns "_row" (1-based), "_problems" ("column: kind; ...")
// and then every field, one line per row with a problem. Returns the rows written.
std::int64_t write_failing_rows(TableStore& store, const std::string& resource_id,
                                std::vector<catalog::ColumnProfile> columns,
                                const catalog::StandardTermIndex* terms, const std::string& path,
                                const ExportOptions& options);

}  // namespace datamap::datastore
