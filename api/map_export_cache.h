// The whole-map export (datamap_export without an id), serialized once per map snapshot: the
// first call after a new snapshot builds it, later calls get the same bytes, so callers
// repeating it cost a copy, not a build. One build at a time: callers asking meanwhile wait for
// it rather than build it again. A new snapshot (the catalog changed) replaces the cached one.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace datamap::graph {
class DataMap;
}

namespace datamap::api {

class MapExportCache {
 public:
  using Build = std::function<std::string()>;
  // The export of `map` in `format`, from `build` the first time it is asked for.
  std::shared_ptr<const std::string> get(const std::shared_ptr<const graph::DataMap>& map,
                                         const std::string& format, const Build& build);
  // Exports built since the server started (status_show reports it: repeated calls leave it).
  std::uint64_t builds() const { return builds_.load(); }

 private:
  std::mutex mutex_;
  std::weak_ptr<const graph::DataMap> map_;  // the snapshot by_format_ belongs to
  std::map<std::string, std::shared_ptr<const std::string>> by_format_;
  std::atomic<std::uint64_t> builds_{0};
};

}  // namespace datamap::api
