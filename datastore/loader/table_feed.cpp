#include "datastore/loader/table_feed.h"

#include <string_view>

namespace datamap::datastore::loader {

namespace {

constexpr std::int64_t kProgressEvery = 4096;

std::vector<Field> fields_of(const TableFeed::Profilers& columns) {
  std::vector<Field> fields;
  fields.reserve(columns.size());
  for (const auto& c : columns) {
    Field f;
    f.id = c->name();
    f.type = c->type();
    f.info.standard_term = c->standard_term();
    fields.push_back(std::move(f));
  }
  return fields;
}

bool same_fields(const std::vector<Field>& a, const std::vector<Field>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].id != b[i].id || a[i].type != b[i].type ||
        a[i].info.standard_term != b[i].info.standard_term)
      return false;
  return true;
}

}  // namespace

TableFeed::TableFeed(TableStore& store, std::string resource_id, std::size_t buffer_bytes,
                     bool write_thread)
    : store_(store),
      resource_id_(std::move(resource_id)),
      budget_(buffer_bytes),
      write_thread_(write_thread) {}

void TableFeed::add(RowBatch& batch, const Profilers& columns) {
  if (gave_up_) return;
  if (async_) {
    // Every row of the batch was profiled before it came: one type check serves them all, and
    // the batch itself goes to the writing thread (no copy).
    if (!types_fit(columns)) return give_up();
    if (chunk_.rows()) async_->push(chunk_);
    return async_->push(batch);
  }
  for (std::size_t r = 0; r < batch.rows() && !gave_up_; ++r) {
    batch.cells(r, views_);
    add(views_, columns);
  }
}

void TableFeed::add(const std::vector<std::string_view>& cells, const Profilers& columns) {
  if (!writer_) {
    buffer_.add(cells);
    if (buffer_.bytes() <= budget_) return;
    // The budget is reached: the types are those of the rows so far, the options come later.
    open(fields_of(columns), {});
    type_bits_.clear();
    for (const auto& c : columns) type_bits_.push_back(c->type_bits());
    start_writing();
    return;
  }
  if (!types_fit(columns)) return give_up();
  if (!async_) return write(cells);
  chunk_.add(cells);  // the rest of the batch that reached the budget
}

bool TableFeed::types_fit(const Profilers& columns) {
  // A type that widened, or a column that a ragged row added: the rows written so far no
  // longer fit the table.
  if (columns.size() != fields_.size()) return false;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const unsigned bits = columns[i]->type_bits();
    if (bits == type_bits_[i]) continue;
    if (types_[i] != type_name(bits)) return false;
    type_bits_[i] = bits;
  }
  return true;
}

void TableFeed::start_writing() {
  if (!write_thread_) return write_buffered(nullptr);
  async_ = std::make_unique<AsyncRowWriter>(*writer_, types_);
  async_->push(buffer_);  // the whole buffer as one batch: written while the next rows are read
  buffer_.release();
}

void TableFeed::open(std::vector<Field> fields, const TableOptions& options) {
  fields_ = std::move(fields);
  types_.clear();
  for (const auto& f : fields_) types_.push_back(f.type);
  row_.assign(fields_.size(), Cell{});
  writer_ = store_.replace_table(resource_id_, fields_, options);
}

void TableFeed::write_buffered(const std::function<void(std::int64_t rows)>* progress) {
  for (std::size_t r = 0; r < buffer_.rows(); ++r) {
    buffer_.cells(r, views_);
    write(views_);
    if (progress && *progress && (r + 1) % kProgressEvery == 0)
      (*progress)(static_cast<std::int64_t>(r + 1));
  }
  buffer_.release();
}

void TableFeed::write(const std::vector<std::string_view>& cells) {
  type_row(cells, types_, row_);
  writer_->append(row_);
}

void TableFeed::give_up() {
  gave_up_ = true;
  if (async_) async_->stop();
  async_.reset();
  writer_.reset();  // uncommitted: the old table stays as it was
  buffer_.release();
}

std::unique_ptr<TableWriter> TableFeed::finish(
    const std::vector<Field>& fields, const TableOptions& options,
    const std::function<void(std::int64_t rows)>& progress) {
  if (gave_up_) return nullptr;
  if (async_) {
    if (chunk_.rows()) async_->push(chunk_);
    async_->finish();  // every row written (or the writer's error thrown)
    async_.reset();
    chunk_.release();
  }
  if (!writer_) {
    open(fields, options);
    write_buffered(&progress);
  } else if (same_fields(fields_, fields)) {
    writer_->set_options(options);
  } else {
    give_up();  // the checks in add() make this unreachable; a safety net, not a path
  }
  return std::move(writer_);
}

}  // namespace datamap::datastore::loader
