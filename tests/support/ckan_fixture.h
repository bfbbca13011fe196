// A CKAN Action API package_search, as much of it as a harvester uses, served by a
// FixtureHttpServer from package dicts in memory: q=*:*, rows, start, sort
// ("metadata_modified asc,id asc" or "id asc"), fq ("metadata_modified:[T TO *]" or
// "id:{X TO *]"), fl=id. Timestamps compare at millisecond precision, as Solr stores them.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "tests/support/fixture_http_server.h"

namespace datamap::testing {

class CkanFixture {
 public:
  // Routes /api/3/action/package_search on `server`.
  explicit CkanFixture(FixtureHttpServer& server);

  // Replaces the catalog with these package dicts (each a JSON object text).
  void set_packages(const std::vector<std::string>& packages);
  // Reads a JSON array of package dicts.
  void set_packages_from_array(const std::string& json_array);
  std::size_t size() const;
  // Each page waits this long before answering (a slow remote: jobs that run long enough to be
  // interrupted). Default none.
  void set_delay(std::chrono::milliseconds delay);

  std::string site_url() const { return server_.url("/"); }

 private:
  struct Entry {
    std::string id;
    std::string modified;  // "2019-01-18T12:34:56.123Z"
    std::string json;
  };
  void handle(const FixtureRequest& req, FixtureResponse& res);

  FixtureHttpServer& server_;
  mutable std::mutex mutex_;
  std::chrono::milliseconds delay_{0};
  std::vector<Entry> by_modified_;  // sorted by (modified, id)
  std::vector<Entry> by_id_;        // sorted by id
};

}  // namespace datamap::testing
