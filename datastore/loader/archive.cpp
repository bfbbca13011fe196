#include "datastore/loader/archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>

#include "catalog/text.h"

namespace datamap::datastore::loader {

namespace {

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using Archive = std::unique_ptr<archive, ArchiveFree>;

Archive open_zip(const std::string& path) {
  Archive a(archive_read_new());
  archive_read_support_format_zip(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    throw LoadError(std::string("broken zip: ") + archive_error_string(a.get()));
  return a;
}

std::string why(archive* a) {
  const char* s = archive_error_string(a);
  return s ? s : "unknown error";
}

// Walks the members, streaming each one's bytes to `sink` (null: just count), with the bomb
// limits over the running total.
void walk(
    const std::string& path, const LoadLimits& limits,
    const std::function<std::function<void(const char*, std::size_t)>(const std::string& name)>&
        open_sink,
    std::vector<ArchiveMember>* members) {
  std::error_code ec;
  auto compressed = std::filesystem::file_size(path, ec);
  if (ec) throw LoadError("cannot read the archive");
  std::uint64_t allowed = std::max<std::uint64_t>(
      1 << 20,
      static_cast<std::uint64_t>(limits.max_compression_ratio * static_cast<double>(compressed)));
  allowed = std::min(allowed, limits.max_uncompressed_bytes);
  Archive a = open_zip(path);
  std::uint64_t total = 0;
  std::vector<char> buf(1 << 16);
  for (;;) {
    archive_entry* entry = nullptr;
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) throw LoadError("broken zip: " + why(a.get()));
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* raw_name = archive_entry_pathname(entry);
    std::string name = raw_name ? raw_name : "";
    if (archive_entry_is_encrypted(entry))
      throw LoadError("the zip member " + name + " is encrypted");
    auto sink = open_sink ? open_sink(name) : nullptr;
    std::uint64_t size = 0;
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
      if (n == 0) break;
      if (n < 0) throw LoadError("broken zip: " + why(a.get()) + " (member " + name + ")");
      size += static_cast<std::uint64_t>(n);
      total += static_cast<std::uint64_t>(n);
      if (total > allowed)
        throw LoadError("the archive expands to more than " + std::to_string(allowed) + " bytes (" +
                        std::to_string(compressed) + " compressed; limits: ratio " +
                        std::to_string(static_cast<int>(limits.max_compression_ratio)) +
                        ", total " + std::to_string(limits.max_uncompressed_bytes) +
                        "): refused as a zip bomb");
      if (sink) sink(buf.data(), static_cast<std::size_t>(n));
    }
    if (members) members->push_back({name, size});
  }
}

bool is_tabular_name(const std::string& name) {
  auto base = std::filesystem::path(name).filename().string();
  if (base.empty() || base[0] == '.' || name.rfind("__MACOSX/", 0) == 0) return false;
  auto ext = catalog::to_lower_ascii(std::filesystem::path(name).extension().string());
  return ext == ".csv" || ext == ".tsv" || ext == ".txt" || ext == ".xlsx" || ext == ".xls" ||
         ext == ".json";
}

}  // namespace

std::vector<ArchiveMember> check_archive(const std::string& path, const LoadLimits& limits) {
  std::vector<ArchiveMember> members;
  walk(path, limits, nullptr, &members);
  return members;
}

bool is_xlsx_package(const std::vector<ArchiveMember>& members) {
  return std::any_of(members.begin(), members.end(),
                     [](const ArchiveMember& m) { return m.name == "xl/workbook.xml"; });
}

const ArchiveMember& tabular_member(const std::vector<ArchiveMember>& members) {
  std::vector<const ArchiveMember*> found;
  for (const auto& m : members)
    if (is_tabular_name(m.name)) found.push_back(&m);
  if (found.size() == 1) return *found[0];
  if (found.empty())
    throw LoadError("the zip holds no tabular file (csv, tsv, txt, xlsx, xls, json)");
  std::string names;
  for (std::size_t i = 0; i < found.size() && i < 5; ++i) names += (i ? ", " : "") + found[i]->name;
  throw LoadError("the zip holds " + std::to_string(found.size()) + " tabular files (" + names +
                  (found.size() > 5 ? ", ..." : "") + "); one is expected");
}

void extract_member(const std::string& path, const std::string& member, const std::string& dest,
                    const LoadLimits& limits) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(dest.c_str(), "wb"), std::fclose);
  if (!out) throw LoadError("cannot write a temporary file for the zip member");
  bool failed = false;
  walk(
      path, limits,
      [&](const std::string& name) -> std::function<void(const char*, std::size_t)> {
        if (name != member) return nullptr;
        return [&](const char* data, std::size_t n) {
          failed |= std::fwrite(data, 1, n, out.get()) != n;
        };
      },
      nullptr);
  if (failed || std::fflush(out.get()) != 0)
    throw LoadError("cannot write a temporary file for the zip member");
}

}  // namespace datamap::datastore::loader
