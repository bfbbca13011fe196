#include "datastore/sqlite_pair_indexes.h"

#include <utility>

namespace datamap::datastore {

PairIndexes::~PairIndexes() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void PairIndexes::note(const std::string& table, std::string a, std::string b) {
  if (after_ <= 0 || a == b) return;
  if (b < a) std::swap(a, b);
  Pair pair{table, std::move(a), std::move(b)};
  std::lock_guard lock(mutex_);
  if (stop_) return;
  auto& n = notes_[pair];
  if (n < 0 || ++n < after_) return;
  n = -1;
  queue_.push_back(std::move(pair));
  if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
  wake_.notify_one();
}

void PairIndexes::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    Pair pair = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    build_(std::get<0>(pair), std::get<1>(pair), std::get<2>(pair));
    lock.lock();
    notes_.erase(pair);
  }
}

}  // namespace datamap::datastore
