#include "graph/glance_service.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "catalog/quality_score.h"

namespace datamap::graph {

GlanceService::GlanceService(catalog::Store& store) : store_(store) {
  if (const char* env = std::getenv("DATAMAP_GLANCE_DELAY_MS"))
    delay_ = std::chrono::milliseconds(std::strtoll(env, nullptr, 10));
  if (const char* env = std::getenv("DATAMAP_GLANCE_FIRST_WAIT_MS"))
    first_wait_cap_ = std::chrono::milliseconds(std::strtoll(env, nullptr, 10));
}

GlanceService::~GlanceService() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void GlanceService::want(const std::shared_ptr<const DataMap>& map) {
  asked_ = true;
  target_ = map;
  if (!(computing_ && computing_for_ == map.get())) pending_ = true;
  if (!worker_.joinable()) worker_ = std::thread([this] { work(); });
  changed_.notify_all();
}

GlanceService::Answer GlanceService::get(const std::shared_ptr<const DataMap>& map,
                                         std::chrono::milliseconds first_wait) {
  // Read outside the lock: the store answers on its own.
  const std::string today = catalog::quality::today_utc();
  const std::int64_t head = store_.head_revision();
  auto is_current = [&](const Glance& g) {
    return g.map.get() == map.get() && g.today == today && g.revision == head;
  };
  std::unique_lock lock(mu_);
  if (glance_ && is_current(*glance_)) return {glance_, false};
  if (!pending_ || target_ != map) want(map);
  if (!glance_) {
    changed_.wait_for(lock, std::min(first_wait, first_wait_cap_),
                      [&] { return glance_ || error_ || stopping_; });
    if (!glance_ && error_) std::rethrow_exception(std::exchange(error_, nullptr));
    if (!glance_) return {};
  }
  return {glance_, !is_current(*glance_)};
}

void GlanceService::map_changed(const std::shared_ptr<const DataMap>& map) {
  std::lock_guard lock(mu_);
  if (asked_) want(map);
}

void GlanceService::work() {
  for (;;) {
    std::shared_ptr<const DataMap> map;
    {
      std::unique_lock lock(mu_);
      changed_.wait(lock, [this] { return stopping_ || pending_; });
      if (stopping_) return;
      if (delay_.count() > 0) {
        changed_.wait_for(lock, delay_, [this] { return stopping_; });
        if (stopping_) return;
      }
      map = target_;
      pending_ = false;
      computing_ = true;
      computing_for_ = map.get();
    }
    std::shared_ptr<const Glance> fresh;
    std::exception_ptr error;
    try {
      fresh = std::make_shared<const Glance>(
          compute_glance(map, store_, catalog::quality::today_utc()));
    } catch (...) {
      error = std::current_exception();  // the previous glance stays; the next change retries
    }
    {
      std::lock_guard lock(mu_);
      computing_ = false;
      computing_for_ = nullptr;
      if (fresh) glance_ = std::move(fresh);
      error_ = error;
    }
    changed_.notify_all();
  }
}

}  // namespace datamap::graph
