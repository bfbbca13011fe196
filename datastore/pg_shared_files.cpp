// SharedFiles on PostgreSQL (shared_files.h): large objects named by datastore_files, references
// in datastore_file_refs. Every large-object call runs inside a transaction (libpq requires it),
// the one that also writes the file's row.
#include <fcntl.h>
#include <libpq/libpq-fs.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "catalog/ids.h"
#include "catalog/postgres/pg_own_connection.h"
#include "datastore/shared_files.h"

namespace datamap::datastore {
namespace {

using catalog::postgres::Connection;
using catalog::postgres::Result;

constexpr std::size_t kChunk = 1 << 20;

[[noreturn]] void lo_fail(Connection& conn, const std::string& what) {
  throw std::runtime_error("shared files: " + what + ": " + PQerrorMessage(conn.handle()));
}

// Stores the local file as a large object and its row, unless a row for the hash is there (or
// lands meanwhile from another node: then the new object is unlinked again). In a transaction.
void store_in(Connection& conn, std::string_view sha256, const std::string& path) {
  if (!conn.exec("SELECT 1 FROM datastore_files WHERE sha256 = $1", sha256).empty()) return;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw std::runtime_error("shared files: cannot read " + path + ": " + std::strerror(errno));
  Oid oid = lo_import(conn.handle(), path.c_str());
  if (oid == InvalidOid) lo_fail(conn, "cannot store " + path);
  if (conn.exec("INSERT INTO datastore_files (sha256, blob, size, created) VALUES ($1, $2, $3, "
                "$4) ON CONFLICT (sha256) DO NOTHING",
                sha256, std::to_string(oid), static_cast<std::int64_t>(st.st_size),
                catalog::now_iso8601())
          .affected() == 0)
    lo_unlink(conn.handle(), oid);
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

struct LoFd {
  PGconn* conn;
  int fd;
  ~LoFd() {
    if (fd >= 0) lo_close(conn, fd);
  }
};

class PgSharedFiles final : public SharedFiles, private catalog::postgres::OwnConnection {
 public:
  explicit PgSharedFiles(std::string url) : OwnConnection(std::move(url)) {}

  void store(std::string_view sha256, const std::string& path) override {
    std::lock_guard lock(mutex_);
    in_transaction([&](Connection& conn) {
      store_in(conn, sha256, path);
      return true;
    });
  }

  bool fetch(std::string_view sha256, const std::string& out_path) override {
    std::lock_guard lock(mutex_);
    return in_transaction([&](Connection& conn) {
      Result r = conn.exec("SELECT blob FROM datastore_files WHERE sha256 = $1", sha256);
      if (r.empty()) return false;
      const Oid oid = static_cast<Oid>(r.integer(0, 0));
      LoFd lo{conn.handle(), lo_open(conn.handle(), oid, INV_READ)};
      if (lo.fd < 0) lo_fail(conn, "cannot open the file " + std::string(sha256));
      Fd out{::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
      if (out.fd < 0)
        throw std::runtime_error("shared files: cannot create " + out_path + ": " +
                                 std::strerror(errno));
      // Hashed as it arrives: a cached copy is content-addressed, so it must be those bytes.
      std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
      EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
      std::unique_ptr<char[]> buf(new char[kChunk]);
      for (;;) {
        int n = lo_read(conn.handle(), lo.fd, buf.get(), kChunk);
        if (n < 0) lo_fail(conn, "cannot read the file " + std::string(sha256));
        if (n == 0) break;
        EVP_DigestUpdate(md.get(), buf.get(), static_cast<std::size_t>(n));
        for (int done = 0; done < n;) {
          ssize_t w = ::write(out.fd, buf.get() + done, static_cast<std::size_t>(n - done));
          if (w < 0 && errno == EINTR) continue;
          if (w < 0)
            throw std::runtime_error("shared files: cannot write " + out_path + ": " +
                                     std::strerror(errno));
          done += static_cast<int>(w);
        }
      }
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int length = 0;
      EVP_DigestFinal_ex(md.get(), digest, &length);
      static const char* hex = "0123456789abcdef";
      std::string got;
      for (unsigned int i = 0; i < length; ++i) {
        got += hex[digest[i] >> 4];
        got += hex[digest[i] & 15];
      }
      if (got != sha256)
        throw std::runtime_error("shared files: the stored bytes of " + std::string(sha256) +
                                 " hash to " + got);
      if (::fsync(out.fd) != 0)
        throw std::runtime_error("shared files: cannot sync " + out_path + ": " +
                                 std::strerror(errno));
      return true;
    });
  }

  void add_reference(std::string_view sha256, std::string_view key,
                     const std::string& local_path) override {
    std::lock_guard lock(mutex_);
    in_transaction([&](Connection& conn) {
      // FOR SHARE: a removal of the last reference on another node waits for this commit, then
      // sees this reference and keeps the file; one that committed first deleted the row, and
      // the file is stored again below.
      if (conn.exec("SELECT 1 FROM datastore_files WHERE sha256 = $1 FOR SHARE", sha256).empty()) {
        if (local_path.empty() || ::access(local_path.c_str(), R_OK) != 0)
          throw std::runtime_error("shared files: no stored file " + std::string(sha256));
        store_in(conn, sha256, local_path);
      }
      conn.exec(
          "INSERT INTO datastore_file_refs (sha256, resource_key) VALUES ($1, $2) "
          "ON CONFLICT DO NOTHING",
          sha256, key);
      return true;
    });
  }

  bool remove_reference(std::string_view sha256, std::string_view key) override {
    std::lock_guard lock(mutex_);
    return in_transaction([&](Connection& conn) {
      conn.exec("DELETE FROM datastore_file_refs WHERE sha256 = $1 AND resource_key = $2", sha256,
                key);
      Result file =
          conn.exec("SELECT blob FROM datastore_files WHERE sha256 = $1 FOR UPDATE", sha256);
      if (file.empty()) return false;
      if (!conn.exec("SELECT 1 FROM datastore_file_refs WHERE sha256 = $1 LIMIT 1", sha256).empty())
        return false;
      if (lo_unlink(conn.handle(), static_cast<Oid>(file.integer(0, 0))) < 0)
        lo_fail(conn, "cannot delete the file " + std::string(sha256));
      conn.exec("DELETE FROM datastore_files WHERE sha256 = $1", sha256);
      return true;
    });
  }

  std::int64_t reference_count(std::string_view sha256) override {
    std::lock_guard lock(mutex_);
    return c()
        .exec("SELECT count(*) FROM datastore_file_refs WHERE sha256 = $1", sha256)
        .integer(0, 0);
  }
};

}  // namespace

std::unique_ptr<SharedFiles> open_pg_shared_files(const std::string& url) {
  return std::make_unique<PgSharedFiles>(url);
}

}  // namespace datamap::datastore
