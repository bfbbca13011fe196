#include "catalog/sqlite/read_pool.h"

namespace datamap::catalog::sqlite {
namespace {

// More idle connections than this are closed: a burst of threads should not pin memory forever.
constexpr std::size_t kMaxIdle = 64;

std::unique_ptr<Connection> open_reader(const std::string& path) {
  auto c = std::make_unique<Connection>(path, Connection::Mode::kReadOnly);
  // Memory-mapped pages make a point lookup a few pointer chases instead of read() copies. The
  // whole file, up to SQLite's own 2 GB cap: a 1M-dataset catalog is 2.6 GB, and a reindex
  // reads it in popularity order, all over the file (address space, not memory: the pages are
  // the page cache's).
  c->exec(kReaderMmapPragma);
  c->exec("PRAGMA cache_size = -8000");
  c->exec("PRAGMA temp_store = MEMORY");
  return c;
}

}  // namespace

ReadPool::Lease ReadPool::lease() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
  }
  return Lease(*this, open_reader(path_));  // opened outside the lock: it touches the disk
}

void ReadPool::give_back(std::unique_ptr<Connection> c) {
  if (!c) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(c));
}

}  // namespace datamap::catalog::sqlite
