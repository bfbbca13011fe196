// The cluster's copy of the uploaded files, for a FileStore (file_store.h) whose catalog is on
// PostgreSQL: every node reads and writes the same files and the same references, and a node's
// <data dir>/files is only a cache of them, filled on demand.
//
// On PostgreSQL the bytes are large objects (datastore_files: SHA-256 -> oid, size) and the
// references rows of datastore_file_refs. Large objects rather than bytea chunks: libpq streams a
// file into one (lo_import) and out of one (lo_read) in pieces, so a 200 MiB upload is neither
// held twice in memory nor split into rows by hand; the object is created and unlinked in the
// same transaction as its row, so none is orphaned; and pg_dump, base backups and streaming
// replicas carry them with the rest of the catalog. Only the store's own role can read them (the
// DataStore's SQL reader role cannot).
//
// Contract, as FileStore's: a file is stored before a reference to it is added; the last
// reference removed deletes it, in one transaction with the check, so a reference added on
// another node at the same moment either keeps it or stores it again. Thread safety: every
// method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace datamap::datastore {

class SharedFiles {
 public:
  virtual ~SharedFiles() = default;
  // Stores the local file `path`, whose content has this SHA-256, unless the cluster has it.
  virtual void store(std::string_view sha256, const std::string& path) = 0;
  // Writes the file's bytes to `out_path` (created or truncated); false when the cluster has no
  // file with this hash. Throws std::runtime_error when the bytes read do not hash to `sha256`.
  virtual bool fetch(std::string_view sha256, const std::string& out_path) = 0;
  // Adds `key`'s reference to the file. When the cluster lacks the file, it is stored from
  // `local_path` first (a file this node has, from before its files were shared); with no local
  // copy either, throws std::runtime_error.
  virtual void add_reference(std::string_view sha256, std::string_view key,
                             const std::string& local_path) = 0;
  // Drops the reference; deletes the file when it was the last one. Returns whether it did.
  virtual bool remove_reference(std::string_view sha256, std::string_view key) = 0;
  virtual std::int64_t reference_count(std::string_view sha256) = 0;
};

// `url`: the catalog's libpq URL (tables of migration step 5).
std::unique_ptr<SharedFiles> open_pg_shared_files(const std::string& url);

}  // namespace datamap::datastore
