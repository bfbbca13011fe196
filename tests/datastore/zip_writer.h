// Writes zip archives for the loader's tests (libarchive's writer): members given as bytes, or
// as a generator streaming a large member without holding it in memory.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <functional>
#include <stdexcept>
#include <string>

namespace datamap::testing {

class ZipWriter {
 public:
  explicit ZipWriter(const std::string& path) : a_(archive_write_new()) {
    archive_write_set_format_zip(a_);
    archive_write_zip_set_compression_deflate(a_);
    if (archive_write_open_filename(a_, path.c_str()) != ARCHIVE_OK)
      throw std::runtime_error("cannot write " + path);
  }
  ~ZipWriter() {
    archive_write_close(a_);
    archive_write_free(a_);
  }
  void add(const std::string& name, const std::string& bytes) {
    add(name, bytes.size(),
        [&](const std::function<void(const std::string&)>& put) { put(bytes); });
  }
  // `generate` calls `put` with consecutive pieces totalling `size` bytes.
  void add(const std::string& name, std::size_t size,
           const std::function<void(const std::function<void(const std::string&)>&)>& generate) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(size));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a_, e);
    generate([&](const std::string& piece) { archive_write_data(a_, piece.data(), piece.size()); });
    archive_entry_free(e);
  }

 private:
  archive* a_;
};

}  // namespace datamap::testing
