// AsyncRowWriter: types a load's rows and appends them to the new table on a second thread, while
// the loading thread reads, parses, profiles and validates the rows after them (load_file's one
// pass, loader/table_feed.h). On two cores the rows are queryable after the longer of the two
// halves instead of their sum.
//
// Contract: rows are appended in the order they were pushed, each typed exactly as
// TableFeed::write types it (loader::to_cell with the column types given here). At most
// `max_queued` batches wait (each of RowBatch-sized chunks of rows, or one larger batch such as
// the feed's first buffered rows): push() blocks while the writing thread is behind, so memory
// stays flat whatever the file's size. The TableWriter is used only by the writing thread
// between construction and finish()/stop() (SQLite's connection is never used by two threads at
// once); its creation and commit stay with the caller. An exception thrown by the writer (a full
// disk, a constraint) is rethrown by the next push() or by finish().
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "datastore/loader/row_batch.h"
#include "datastore/table_store.h"

namespace datamap::datastore::loader {

// One row's cells typed into `row` (row.size() columns; a short row's missing cells null): how
// the feed types every row it writes, on either thread.
void type_row(const std::vector<std::string_view>& cells, const std::vector<std::string>& types,
              Row& row);

class AsyncRowWriter {
 public:
  AsyncRowWriter(TableWriter& writer, std::vector<std::string> types, std::size_t max_queued = 4);
  // stop(): whatever is still queued is dropped.
  ~AsyncRowWriter();
  AsyncRowWriter(const AsyncRowWriter&) = delete;
  AsyncRowWriter& operator=(const AsyncRowWriter&) = delete;

  // Queues `rows` for writing; `rows` comes back empty (a recycled batch, its memory kept).
  void push(RowBatch& rows);
  // Waits until every queued row is written and ends the thread; rethrows the writer's error.
  void finish();
  // Ends the thread without writing what is still queued (the load gave up or failed).
  void stop();

 private:
  void run();
  void rethrow_locked();

  TableWriter& writer_;
  const std::vector<std::string> types_;
  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<RowBatch> queue_;
  std::vector<RowBatch> free_;  // written batches, cleared, for push() to hand back
  bool closing_ = false;        // no more pushes: write what is queued, then end
  bool stopping_ = false;       // end now
  std::atomic<bool> stop_rows_{false};  // stopping_, read between rows (a batch can be 32 MB)
  std::exception_ptr error_;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace datamap::datastore::loader
