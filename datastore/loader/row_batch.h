// RowBatch: records' cells copied end to end. The loader profiles a few hundred rows at a time
// column by column: row by row, each value of a wide file goes to another column's
// distinct-value table (33 tables of ~300 KB for the parking file's shape) and each lookup
// missed the cache; column by column over a batch, one table is read at a time, from the cache.
// The table feed (table_feed.h) holds its first rows in one too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace datamap::datastore::loader {

class RowBatch {
 public:
  static constexpr std::size_t kRows = 256;

  // `cells`: strings or string_views.
  template <typename Cells>
  void add(const Cells& cells) {
    starts_.push_back(ends_.size());
    for (const auto& c : cells) {
      text_ += c;
      ends_.push_back(text_.size());
    }
  }
  std::size_t rows() const { return starts_.size(); }
  bool full() const { return rows() >= kRows; }
  // The memory it holds, roughly.
  std::size_t bytes() const { return text_.size() + (ends_.size() + starts_.size()) * 8; }
  std::size_t width(std::size_t row) const {
    return (row + 1 < starts_.size() ? starts_[row + 1] : ends_.size()) - starts_[row];
  }
  std::string_view cell(std::size_t row, std::size_t column) const {
    const std::size_t k = starts_[row] + column;
    const std::size_t from = k == 0 ? 0 : ends_[k - 1];
    return std::string_view(text_).substr(from, ends_[k] - from);
  }
  // The row's cells, into `out`.
  void cells(std::size_t row, std::vector<std::string_view>& out) const {
    out.clear();
    for (std::size_t c = 0, n = width(row); c < n; ++c) out.push_back(cell(row, c));
  }
  void clear() {
    text_.clear();
    ends_.clear();
    starts_.clear();
  }
  // clear(), and the memory given back.
  void release() {
    std::string().swap(text_);
    std::vector<std::size_t>().swap(ends_);
    std::vector<std::size_t>().swap(starts_);
  }

 private:
  std::string text_;
  std::vector<std::size_t> ends_;    // each cell's end in text_
  std::vector<std::size_t> starts_;  // each row's first cell in ends_
};

}  // namespace datamap::datastore::loader
