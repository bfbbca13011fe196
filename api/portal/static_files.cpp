#include "api/portal/static_files.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/ids.h"

namespace datamap::api::portal {

namespace {

std::string content_type_for(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace


StaticFiles::StaticFiles(const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    StaticFile f;
    f.body = buf.str();
    f.content_type = content_type_for(it->path());
    f.version = catalog::sha256_hex(f.body).substr(0, 16);
    files_[fs::relative(it->path(), root).generic_string()] = std::move(f);
  }
}

const StaticFile* StaticFiles::find(std::string_view relative_path) const {
  auto it = files_.find(relative_path);
  return it == files_.end() ? nullptr : &it->second;
}

std::string StaticFiles::url(std::string_view relative_path) const {
  std::string out = "/static/" + std::string(relative_path);
  if (const StaticFile* f = find(relative_path)) out += "?v=" + f->version;
  return out;
}

std::string default_web_root() {
  if (const char* env = std::getenv("DATAMAP_WEB_ROOT"); env && *env) return env;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "web/static";
  return (exe.parent_path() / "web" / "static").string();
}

}  // namespace datamap::api::portal
