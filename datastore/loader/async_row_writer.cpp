#include "datastore/loader/async_row_writer.h"

#include "datastore/loader/profiler.h"

namespace datamap::datastore::loader {

namespace {

// A batch larger than this (the feed's first buffered rows) gives its memory back once written
// instead of being recycled: only chunk-sized batches stay allocated.
constexpr std::size_t kRecycleRows = RowBatch::kRows * 4;

}  // namespace

void type_row(const std::vector<std::string_view>& cells, const std::vector<std::string>& types,
              Row& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i < cells.size())
      to_cell(cells[i], types[i], row[i]);
    else
      row[i] = std::monostate{};
  }
}

AsyncRowWriter::AsyncRowWriter(TableWriter& writer, std::vector<std::string> types,
                               std::size_t max_queued)
    : writer_(writer),
      types_(std::move(types)),
      max_queued_(max_queued == 0 ? 1 : max_queued),
      thread_([this] { run(); }) {}

AsyncRowWriter::~AsyncRowWriter() {
  stop();
}

void AsyncRowWriter::rethrow_locked() {
  if (error_) std::rethrow_exception(error_);
}

void AsyncRowWriter::push(RowBatch& rows) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || stopping_ || queue_.size() < max_queued_; });
  rethrow_locked();
  if (stopping_) return;
  queue_.push_back(std::move(rows));
  if (!free_.empty()) {
    rows = std::move(free_.back());
    free_.pop_back();
  } else {
    rows = RowBatch{};
  }
  changed_.notify_all();
}

void AsyncRowWriter::finish() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  rethrow_locked();
}

void AsyncRowWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    stop_rows_ = true;
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void AsyncRowWriter::run() {
  Row row(types_.size());
  std::vector<std::string_view> cells;
  for (;;) {
    RowBatch batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || closing_ || !queue_.empty(); });
      if (stopping_ || queue_.empty()) return;  // stopped, or closed with nothing left
      batch = std::move(queue_.front());
      queue_.pop_front();
      changed_.notify_all();  // room for the next push
    }
    try {
      for (std::size_t r = 0; r < batch.rows(); ++r) {
        if (stop_rows_.load(std::memory_order_relaxed)) return;
        batch.cells(r, cells);
        type_row(cells, types_, row);
        writer_.append(row);
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
      changed_.notify_all();
      return;
    }
    std::lock_guard lock(mutex_);
    if (batch.rows() > kRecycleRows) {
      batch.release();
    } else {
      batch.clear();
      free_.push_back(std::move(batch));
    }
  }
}

}  // namespace datamap::datastore::loader
