#include "catalog/sqlite/read_pool.h"

namespace datamap::catalog::sqlite {
namespace {

// More idle connections than this are closed: a burst of threads should not pin memory forever.
constexpr std::size_t kMaxIdle = 64;

std::unique_ptr<Connection> open_reader(const std::string& path) {
  auto c = std::make_unique<Connection>(path, Connection::Mode::kReadOnly);
  // No memory map: every page a connection reads through its map stays resident and counts in
  // the process's RSS, once per connection that mapped it. 20,000 random point lookups in the 1M
  // catalog (2 % of it) left 863 MB mapped in one connection, and each reader maps its own; without
  // the map a warm lookup costs ~5 µs more CPU (20 against 15 µs), its pages come from the
  // kernel's page cache (shared, not the process's) into the connection's own 8 MB cache
  // (docs/BENCHMARKS.md, "A serving node at 1M").
  c->exec("PRAGMA mmap_size = 0");
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
