// Zip archives (a zip of one tabular file, and the zip every XLSX is) through libarchive.
// Every member is decompressed and counted before anything else opens the file: past
// LoadLimits::max_uncompressed_bytes, or max_compression_ratio times the archive's size, the
// archive is refused as a zip bomb — after reading at most that many bytes, in fixed memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datastore/loader.h"

namespace datamap::datastore::loader {

struct ArchiveMember {
  std::string name;
  std::uint64_t size = 0;  // uncompressed, as counted
};

// All members (files only). Throws LoadError: a broken archive, a bomb, an encrypted member.
std::vector<ArchiveMember> check_archive(const std::string& path, const LoadLimits& limits);

// An Office Open XML workbook (XLSX) rather than a zip of files.
bool is_xlsx_package(const std::vector<ArchiveMember>& members);

// The one tabular member (by extension: csv tsv txt xlsx xls json); LoadError when there are
// none or several.
const ArchiveMember& tabular_member(const std::vector<ArchiveMember>& members);

// Writes `member` to `dest` (same limits). Throws LoadError.
void extract_member(const std::string& path, const std::string& member, const std::string& dest,
                    const LoadLimits& limits);

}  // namespace datamap::datastore::loader
