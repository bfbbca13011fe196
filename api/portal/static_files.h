// The portal's CSS, scripts and the map library, read into memory once at start from the web root
// (build/web/static, a copy made at build time of web/static and of the npm map library).
// Served with a strong ETag; a URL carrying the file's version (?v=<hash>) is cached for a year.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace datamap::api::portal {

struct StaticFile {
  std::string body;
  std::string content_type;
  std::string version;  // first 16 hex digits of the SHA-256 of body
};

class StaticFiles {
 public:
  StaticFiles() = default;
  // Reads every regular file under `root` (recursively). A missing root leaves the set empty.
  explicit StaticFiles(const std::string& root);

  const StaticFile* find(std::string_view relative_path) const;
  // "/static/portal.css?v=…" for a file that exists, "/static/<path>" otherwise.
  std::string url(std::string_view relative_path) const;
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, StaticFile, std::less<>> files_;
};

// Where the web root is: $DATAMAP_WEB_ROOT, else <directory of the running binary>/web/static.
std::string default_web_root();

}  // namespace datamap::api::portal
