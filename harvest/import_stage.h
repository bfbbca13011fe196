// The import stage of a job: buffers records, decides for each which dataset it is
// (deduplication, see job_runner.h), hands the ones this source owns to the importer's Upserter
// in one transaction per batch, and records each object's outcome and each provenance.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/harvest_records.h"
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
  };
  // Which dataset each buffered record is (deduplication), in a few batched reads.
  std::vector<Target> resolve_all();
  void prepare(HarvestItem& item, const Target& target);

  catalog::Store& store_;
  catalog::HarvestRecords& records_;
  const catalog::HarvestSource& source_;
  catalog::HarvestJob& job_;
  std::string org_mode_;  // "owner" | "create"
  std::vector<std::pair<std::string, std::string>> org_map_;  // remote name -> local ref
  std::size_t batch_size_;
  std::vector<HarvestItem> items_;
};

}  // namespace datamap::harvest
