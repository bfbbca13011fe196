// What every reader (data.go.kr CSV, CKAN JSON, and the harvesters' DCAT readers) hands to the
// upserter: one source record mapped to the model, plus the agency and categories it names so
// they can be created on first sight. Readers never touch the store.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "catalog/errors.h"
#include "catalog/model.h"

namespace datamap::catalog::importer {

struct Record {
  std::size_t line = 0;    // 1-based line in the input; 0 when the input has no lines
  std::string where;       // for reports: "line 12", "results[3]"
  std::string ref;         // the source's key or name, for reports
  std::size_t offset = 0;  // input bytes consumed up to this record (progress)

  // id, name, source and source_key filled in by the reader. owner_org is either the id of
  // `organization` or, without it, a reference (id or name) to an organization already stored.
  Dataset dataset;
  std::optional<Organization> organization;
  std::vector<Group> groups;  // the groups dataset.groups names, with titles when known

  FieldErrors errors;  // mapping problems: the record is rejected with these reasons
};

struct Rejection {
  std::size_t line = 0;
  std::string where;
  std::string ref;
  std::string reason;
};

struct ImportSummary {
  std::string format;    // "data.go.kr list CSV", "CKAN JSON", ...
  std::string encoding;  // "UTF-8", "UTF-8 (BOM)", "CP949"
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  std::vector<Rejection> rejected;

  std::size_t total() const { return added + updated + unchanged + rejected.size(); }
};

// "title: Missing value; name: ..." — one line for a report.
std::string describe(const FieldErrors& errors);

}  // namespace datamap::catalog::importer
