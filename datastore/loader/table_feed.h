// TableFeed: writes a load's rows into the new table during the profile pass, so that the file
// is read, decoded and parsed once (load_file's single pass, loader.h).
//
// A table's column types must be fixed before its first row is written, and the profile only
// knows them once it has seen every value. So the first rows are held in memory (up to a byte
// budget: flat memory), the types are taken from the profile of those rows, and every later
// row is written as it comes. Types only widen (profiler.h); when a later value widens a
// column's type (a "0164A" in a column of integers, a first value in a column empty so far) or
// a ragged row adds a column, the feed gives up: the rows written so far are dropped with the
// uncommitted writer, and load_file makes the second pass with the final types instead. A file
// that fits the budget is typed from its whole profile and never gives up.
//
// The rows are typed exactly as the second pass types them (loader::to_cell on the normalised
// cells), so the table is the same either way. Once the types are fixed, the rows are typed and
// written on a second thread (loader/async_row_writer.h) in chunks of RowBatch::kRows, unless
// the caller asks for one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "datastore/loader/async_row_writer.h"
#include "datastore/loader/profiler.h"
#include "datastore/loader/row_batch.h"
#include "datastore/table_store.h"

namespace datamap::datastore::loader {

class TableFeed {
 public:
  using Profilers = std::vector<std::unique_ptr<ColumnProfiler>>;

  TableFeed(TableStore& store, std::string resource_id, std::size_t buffer_bytes,
            bool write_thread = true);

  // A batch of data rows (their cells normalised), after `columns` have profiled all of them.
  // The batch may be taken (to the writing thread) and replaced by an empty one.
  void add(RowBatch& batch, const Profilers& columns);
  // Whether rows are being written (false while buffering, and after giving up).
  bool writing() const { return writer_ != nullptr; }
  bool gave_up() const { return gave_up_; }

  // The end of the pass: the buffered rows are written with the final types (progress called
  // every few thousand rows). Returns the writer holding every row, uncommitted, or null when
  // the feed gave up or `fields` (the final profile's) differ from the types it wrote with.
  std::unique_ptr<TableWriter> finish(const std::vector<Field>& fields, const TableOptions& options,
                                      const std::function<void(std::int64_t rows)>& progress);

 private:
  void add(const std::vector<std::string_view>& cells, const Profilers& columns);
  bool types_fit(const Profilers& columns);  // the rows profiled so far fit the open table
  void open(std::vector<Field> fields, const TableOptions& options);
  void write(const std::vector<std::string_view>& cells);
  void write_buffered(const std::function<void(std::int64_t rows)>* progress);
  void give_up();
  void start_writing();  // the budget is reached: the buffered rows, then every row as it comes

  TableStore& store_;
  std::string resource_id_;
  std::size_t budget_;
  bool write_thread_;
  RowBatch buffer_;                      // the first rows, until the budget
  std::vector<std::string_view> views_;  // one row's cells, reused
  std::unique_ptr<TableWriter> writer_;
  std::unique_ptr<AsyncRowWriter> async_;  // writes into writer_ (declared after it: ends first)
  RowBatch chunk_;  // the rest of the batch in which the budget was reached, for async_
  std::vector<Field> fields_;        // what the writer was opened with
  std::vector<std::string> types_;   // fields_' types, for to_cell
  std::vector<unsigned> type_bits_;  // each profiler's type bits when last checked
  Row row_;                          // reused per row
  bool gave_up_ = false;
};

}  // namespace datamap::datastore::loader
