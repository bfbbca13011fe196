// What both load-job backends (load_jobs_sqlite.cpp, pg_load_jobs.cpp) select of a job and how
// one selected row becomes a LoadJob, written once so the two cannot drift (the pattern of
// catalog/demand_rows.h). The SQL that differs (placeholders, claims, locking) stays per backend.
#pragma once

#include <string>

#include "datastore/load_jobs.h"

namespace datamap::datastore {

// Every backend selects these columns, in this order (a macro: statements are cached by their
// literal text).
#define DATAMAP_LOAD_JOB_COLUMNS                                                          \
  "id, resource_id, status, file_path, file_hash, format, rows_done, total_rows, error, " \
  "error_line, error_column, created, started, finished, phase, claimed_by, claimed_until"

// Row is a backend's view of one selected row: text(col) and integer(col), numbered as above.
template <typename Row>
LoadJob load_job_from(const Row& row) {
  LoadJob j;
  j.id = row.text(0);
  j.resource_id = row.text(1);
  j.status = row.text(2);
  j.file_path = row.text(3);
  j.file_hash = row.text(4);
  j.format = row.text(5);
  j.rows_done = row.integer(6);
  j.total_rows = row.integer(7);
  j.error = row.text(8);
  j.error_line = row.integer(9);
  j.error_column = row.integer(10);
  j.created = row.text(11);
  j.started = row.text(12);
  j.finished = row.text(13);
  j.phase = row.text(14);
  j.claimed_by = row.text(15);
  j.claimed_until = row.integer(16);
  return j;
}

}  // namespace datamap::datastore
