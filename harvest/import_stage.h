// The import stage of a job: buffers records, decides for each which dataset it is
// (deduplication, see job_runner.h), hands the ones this source owns to the importer's Upserter
// in one transaction per batch, and records each object's outcome and each provenance.
//
// What a source may write (CKAN harvest's guid model): the datasets it created (its provenance
// owns them) and new ones. A record naming a dataset of another source of the same agency adds a
// second provenance and writes nothing; a record naming any other dataset (another agency's, or
// one registered through the API or console) is an object error naming that dataset and its
// agency, and nothing is written. An agency's source writes and deletes only datasets still in
// its agency. A sysadmin's source (no owner_org) may adopt datasets `datamap import` wrote
// (docs/HARVEST.md: a catalog imported from a file and later harvested by URL is the same
// datasets); an agency's source only its own agency's. The Upserter's guard re-checks each
// decision in the transaction that writes it.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/harvest_records.h"
#include "catalog/import/record.h"
#include "catalog/store.h"
#include "harvest/item.h"

namespace datamap::harvest {

class ImportStage {
 public:
  ImportStage(catalog::Store& store, catalog::HarvestRecords& records,
              const catalog::HarvestSource& source, catalog::HarvestJob& job,
              const rapidjson::Value& config, std::size_t batch_size);

  void add(HarvestItem&& item);
  void flush();  // imports what is buffered; updates job's counters and stores the job

  // Removes what the source no longer gives (after a complete gather). Updates job.deleted.
  void delete_unseen();

 private:
  struct Target {
    std::string dataset_id;
    bool owner = true;
    bool resolved = false;      // matched to a stored dataset or another source's
    std::string existing_name;  // the stored dataset's name, kept on update
    std::string free_name;      // for a new dataset: a valid name no other dataset holds
    std::string refusal;        // non-empty: a dataset this source may not write, and why
    // What the write must still find (the Upserter's guard): the dataset, in this agency...
    bool expect_existing = false;
    std::string expect_org;
  };
  // A stored dataset a record names by id or source key, as resolve_all saw it.
  struct Found {
    std::string id, name, owner_org, org_name, source;
  };
  struct Expectation {
    bool existing = false;
    std::string org;
  };
  // Which dataset each buffered record is (deduplication), in a few batched reads.
  std::vector<Target> resolve_all();
  // A record naming a stored dataset this source has no provenance of: its second provenance,
  // its adoption, or a refusal (see the header comment).
  void decide(Target& t, const Found& found, const std::string& ref);
  // True for sources of the same agency as this one (two sysadmin sources are one "agency").
  bool same_agency(const std::string& source_id);
  std::string refusal(const std::string& ref, const Found& found, const std::string& why) const;
  std::string guard(const catalog::importer::Record& r, const catalog::Dataset* existing) const;
  void prepare(HarvestItem& item, const Target& target);

  catalog::Store& store_;
  catalog::HarvestRecords& records_;
  const catalog::HarvestSource& source_;
  catalog::HarvestJob& job_;
  std::string org_mode_;  // "owner" | "create"
  std::vector<std::pair<std::string, std::string>> org_map_;  // remote name -> local ref
  std::size_t batch_size_;
  std::vector<HarvestItem> items_;
  std::map<std::string, std::optional<std::string>> agency_of_;  // source id -> owner_org
  std::map<std::string, Expectation> expected_;  // dataset id -> what its write must find
};

}  // namespace datamap::harvest
