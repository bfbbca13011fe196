// The FileStore: uploaded files kept under one directory by the SHA-256 of their content
// (<dir>/<2 hex>/<64 hex>), so the same bytes are stored once however often they are uploaded.
// A file is written to a temporary file in its final directory, fsynced, then renamed into
// place: a reader sees the whole file or none. Paths come only from the hash, never from a
// client's file name.
//
// References: each resource that points at a file holds a reference (<dir>/refs/<hash>/<sha256
// of the resource id>); remove_reference() deletes the file once no reference is left. Callers
// add a reference before the catalog commits and remove one after it commits, so a crash
// between the two leaves an unreferenced-but-kept file, never a resource without its file.
//
// Shared (`shared` given: the catalog is on PostgreSQL, shared_files.h): the cluster keeps the
// files and their references, and <dir> is this node's cache, filled on demand: put() stores the
// bytes in the cluster before it returns, find() of a file this node lacks fetches it into <dir>,
// references live only in the cluster. A node's cache may keep a copy of a file deleted on
// another node (never served for a resource: callers find() only the hash a resource holds).
// References a node recorded in <dir>/refs before its files were shared are moved into the
// cluster, with their files, when it opens the store.
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "datastore/shared_files.h"

namespace datamap::datastore {

struct StoredFile {
  std::string sha256;  // 64 lower-case hex digits
  std::int64_t size = 0;
  std::string path;  // where the bytes are on disk
};

class FileStore {
 public:
  // Creates `dir` (e.g. <data dir>/files) when missing.
  explicit FileStore(std::string dir, std::unique_ptr<SharedFiles> shared = nullptr);

  // Stores `bytes` (a no-op when a file with the same content is there). Throws
  // std::runtime_error when the disk refuses.
  StoredFile put(std::string_view bytes);
  // The stored file with this hash, or nullopt (also for anything that is not 64 hex digits).
  // Shared: fetched into this node's cache first when it lacks it.
  std::optional<StoredFile> find(std::string_view sha256) const;

  void add_reference(std::string_view sha256, std::string_view resource_id);
  // Drops the reference; deletes the file when it was the last one. Returns whether it did.
  bool remove_reference(std::string_view sha256, std::string_view resource_id);
  std::int64_t reference_count(std::string_view sha256) const;

  const std::string& dir() const { return dir_; }

 private:
  std::string blob_path(std::string_view sha256) const;
  std::string refs_dir(std::string_view sha256) const;
  // Moves the references recorded under <dir>/refs into the shared store.
  void adopt_local_references();
  std::string dir_;
  std::unique_ptr<SharedFiles> shared_;
  mutable std::mutex mutex_;  // reference changes and deletions of one store are serialised
};

bool is_sha256_hex(std::string_view s);

// The resource format (upper case, CKAN style: "CSV", "XLSX") from a file name's extension,
// or "" when it has none.
std::string format_from_filename(std::string_view filename);
// The media type a download is served with, from the format ("CSV" -> "text/csv"); unknown
// formats are application/octet-stream.
std::string mimetype_for_format(std::string_view format);

}  // namespace datamap::datastore
