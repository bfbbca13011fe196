#include "datastore/file_store.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "catalog/ids.h"

namespace datamap::datastore {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error("file store: " + what + " " + path + ": " + std::strerror(errno));
}

// Closes the descriptor on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// A rename is durable only once its directory is synced.
void sync_dir(const std::string& dir) {
  Fd d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (d.fd >= 0) ::fsync(d.fd);
}

}  // namespace

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

FileStore::FileStore(std::string dir, std::unique_ptr<SharedFiles> shared)
    : dir_(std::move(dir)), shared_(std::move(shared)) {
  std::error_code ec;
  fs::create_directories(fs::path(dir_) / "refs", ec);
  if (ec) throw std::runtime_error("file store: cannot create " + dir_ + ": " + ec.message());
  if (shared_) adopt_local_references();
}

void FileStore::adopt_local_references() {
  std::error_code ec;
  for (fs::directory_iterator hashes(dir_ + "/refs", ec), end; !ec && hashes != end;
       hashes.increment(ec)) {
    const std::string sha256 = hashes->path().filename().string();
    if (!is_sha256_hex(sha256)) continue;
    std::error_code inner;
    for (fs::directory_iterator refs(hashes->path(), inner); !inner && refs != end;
         refs.increment(inner)) {
      // The file name is already the hash of the resource id: the cluster's key. A reference
      // whose file is neither here nor in the cluster stays where it is, said in the log: the
      // node still starts.
      try {
        shared_->add_reference(sha256, refs->path().filename().string(), blob_path(sha256));
      } catch (const std::runtime_error& e) {
        spdlog::warn("file store: reference {} not moved into the cluster: {}",
                     refs->path().string(), e.what());
        continue;
      }
      fs::remove(refs->path(), inner);
    }
    fs::remove(hashes->path(), inner);
  }
}

std::string FileStore::blob_path(std::string_view sha256) const {
  return dir_ + "/" + std::string(sha256.substr(0, 2)) + "/" + std::string(sha256);
}

std::string FileStore::refs_dir(std::string_view sha256) const {
  return dir_ + "/refs/" + std::string(sha256);
}

StoredFile FileStore::put(std::string_view bytes) {
  StoredFile out{catalog::sha256_hex(bytes), static_cast<std::int64_t>(bytes.size()), ""};
  out.path = blob_path(out.sha256);
  std::lock_guard lock(mutex_);
  struct stat st {};
  if (::stat(out.path.c_str(), &st) == 0 && st.st_size == out.size) {  // stored once
    if (shared_) shared_->store(out.sha256, out.path);
    return out;
  }
  std::string sub = fs::path(out.path).parent_path().string();
  std::error_code ec;
  fs::create_directories(sub, ec);
  if (ec) throw std::runtime_error("file store: cannot create " + sub + ": " + ec.message());
  // Same directory as the target, so the rename is atomic; mkstemp picks a name nobody has.
  std::string temp = sub + "/.upload-XXXXXX";
  Fd f{::mkstemp(temp.data())};
  if (f.fd < 0) fail("cannot create", temp);
  try {
    write_all(f.fd, bytes, temp);
    if (::fsync(f.fd) != 0) fail("cannot sync", temp);
    ::fchmod(f.fd, 0644);
    if (::rename(temp.c_str(), out.path.c_str()) != 0) fail("cannot rename", temp);
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  sync_dir(sub);
  // In the cluster before any reference to it can be added.
  if (shared_) shared_->store(out.sha256, out.path);
  return out;
}

std::optional<StoredFile> FileStore::find(std::string_view sha256) const {
  if (!is_sha256_hex(sha256)) return std::nullopt;
  std::string path = blob_path(sha256);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
    return StoredFile{std::string(sha256), static_cast<std::int64_t>(st.st_size), path};
  if (!shared_) return std::nullopt;
  // Not in this node's cache: fetched from the cluster into a temporary file beside its place,
  // then renamed, so a reader (or a fetch racing this one) sees the whole file or none.
  std::string sub = fs::path(path).parent_path().string();
  std::error_code ec;
  fs::create_directories(sub, ec);
  if (ec) throw std::runtime_error("file store: cannot create " + sub + ": " + ec.message());
  std::string temp = sub + "/.fetch-XXXXXX";
  {
    Fd f{::mkstemp(temp.data())};
    if (f.fd < 0) fail("cannot create", temp);
  }
  try {
    if (!shared_->fetch(sha256, temp)) {
      ::unlink(temp.c_str());
      return std::nullopt;
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) fail("cannot rename", temp);
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  sync_dir(sub);
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return StoredFile{std::string(sha256), static_cast<std::int64_t>(st.st_size), path};
}

void FileStore::add_reference(std::string_view sha256, std::string_view resource_id) {
  if (!is_sha256_hex(sha256)) throw std::invalid_argument("file store: not a SHA-256");
  std::lock_guard lock(mutex_);
  if (shared_) {
    // Named as the local reference files are: any id is a safe key.
    shared_->add_reference(sha256, catalog::sha256_hex(resource_id), blob_path(sha256));
    return;
  }
  std::string dir = refs_dir(sha256);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("file store: cannot create " + dir + ": " + ec.message());
  // Named by a hash of the id: any id (whatever characters a client chose) is a safe name.
  std::string ref = dir + "/" + catalog::sha256_hex(resource_id);
  Fd f{::open(ref.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644)};
  if (f.fd < 0) fail("cannot create", ref);
  ::fsync(f.fd);
  sync_dir(dir);
}

bool FileStore::remove_reference(std::string_view sha256, std::string_view resource_id) {
  if (!is_sha256_hex(sha256)) return false;
  std::lock_guard lock(mutex_);
  std::error_code ec;
  if (shared_) {
    if (!shared_->remove_reference(sha256, catalog::sha256_hex(resource_id))) return false;
    fs::remove(blob_path(sha256), ec);  // this node's cached copy
    return true;
  }
  std::string dir = refs_dir(sha256);
  fs::remove(dir + "/" + catalog::sha256_hex(resource_id), ec);
  bool others = fs::exists(dir, ec) && !fs::is_empty(dir, ec);
  if (others) return false;
  fs::remove(dir, ec);
  return fs::remove(blob_path(sha256), ec);
}

std::int64_t FileStore::reference_count(std::string_view sha256) const {
  if (!is_sha256_hex(sha256)) return 0;
  if (shared_) return shared_->reference_count(sha256);
  std::lock_guard lock(mutex_);
  std::error_code ec;
  std::int64_t n = 0;
  for (fs::directory_iterator it(refs_dir(sha256), ec), end; !ec && it != end; it.increment(ec))
    ++n;
  return n;
}

std::string format_from_filename(std::string_view filename) {
  auto dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot + 1 >= filename.size()) return "";
  std::string ext(filename.substr(dot + 1));
  if (ext.size() > 10) return "";
  for (char& c : ext) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return "";
  }
  return ext;
}

std::string mimetype_for_format(std::string_view format) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"CSV", "text/csv"},
      {"TSV", "text/tab-separated-values"},
      {"TXT", "text/plain"},
      {"JSON", "application/json"},
      {"GEOJSON", "application/geo+json"},
      {"XML", "application/xml"},
      {"XLS", "application/vnd.ms-excel"},
      {"XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"ZIP", "application/zip"},
      {"PDF", "application/pdf"},
      {"HWP", "application/x-hwp"},
      {"SHP", "application/x-esri-shape"},
  };
  for (const auto& [f, type] : kTypes)
    if (f == format) return std::string(type);
  return "application/octet-stream";
}

}  // namespace datamap::datastore
