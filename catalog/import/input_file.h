// Reads an input file whole into memory, decompressing it when its content says it is xz or
// gzip (by magic bytes, not by file name). Plain files are returned as they are.
#pragma once

#include <string>
#include <string_view>

namespace datamap::catalog::importer {

// Throws std::runtime_error naming the path when the file cannot be read or decompressed.
std::string read_input_file(const std::string& path);

// Decompresses xz / gzip content in memory; anything else is returned unchanged.
std::string decompress_if_needed(std::string bytes);

}  // namespace datamap::catalog::importer
