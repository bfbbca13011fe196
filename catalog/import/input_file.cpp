#include "catalog/import/input_file.h"

#include <lzma.h>
#include <zlib.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

namespace datamap::catalog::importer {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

struct LzmaStream {
  lzma_stream s = LZMA_STREAM_INIT;
  ~LzmaStream() { lzma_end(&s); }
};

std::string unxz(std::string_view in) {
  LzmaStream st;
  // Concatenated streams are allowed, as `xz -dc` allows them.
  if (lzma_stream_decoder(&st.s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
    throw std::runtime_error("xz: cannot start the decoder");
  std::string out;
  out.resize(in.size() * 4 + 4096);
  st.s.next_in = reinterpret_cast<const uint8_t*>(in.data());
  st.s.avail_in = in.size();
  for (;;) {
    if (st.s.total_out == out.size()) out.resize(out.size() * 2);
    st.s.next_out = reinterpret_cast<uint8_t*>(out.data()) + st.s.total_out;
    st.s.avail_out = out.size() - st.s.total_out;
    lzma_ret r = lzma_code(&st.s, LZMA_FINISH);
    if (r == LZMA_STREAM_END) break;
    if (r != LZMA_OK && r != LZMA_BUF_ERROR)
      throw std::runtime_error("xz: corrupt or truncated data (lzma error " + std::to_string(r) +
                               ")");
    if (r == LZMA_BUF_ERROR && st.s.avail_out != 0) throw std::runtime_error("xz: truncated data");
  }
  out.resize(st.s.total_out);
  return out;
}

struct ZStream {
  z_stream s{};
  bool open = false;
  ~ZStream() {
    if (open) inflateEnd(&s);
  }
};

std::string gunzip(std::string_view in) {
  ZStream z;
  if (inflateInit2(&z.s, 15 + 32) != Z_OK) throw std::runtime_error("gzip: cannot start inflate");
  z.open = true;
  std::string out;
  out.resize(in.size() * 4 + 4096);
  z.s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.s.avail_in = static_cast<uInt>(in.size());
  for (;;) {
    if (z.s.total_out == out.size()) out.resize(out.size() * 2);
    z.s.next_out = reinterpret_cast<Bytef*>(out.data()) + z.s.total_out;
    z.s.avail_out = static_cast<uInt>(out.size() - z.s.total_out);
    int r = inflate(&z.s, Z_NO_FLUSH);
    if (r == Z_STREAM_END) break;
    if (r != Z_OK && !(r == Z_BUF_ERROR && z.s.avail_out == 0))
      throw std::runtime_error("gzip: corrupt or truncated data");
  }
  out.resize(z.s.total_out);
  return out;
}

}  // namespace

std::string decompress_if_needed(std::string bytes) {
  if (starts_with(bytes, std::string_view("\xFD"
                                          "7zXZ\0",
                                          6)))
    return unxz(bytes);
  if (starts_with(bytes, "\x1F\x8B")) return gunzip(bytes);
  return bytes;
}

std::string read_input_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  in.seekg(0, std::ios::end);
  // A regular file is read straight into a string of its size (no growing buffer, no second
  // copy); a pipe (`<(xz -dc list.csv.xz)`) has no size and is read to its end.
  std::string bytes;
  std::streamoff size = in.tellg();
  if (size > 0) {
    bytes.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    if (!in.read(bytes.data(), size)) throw std::runtime_error(path + ": read error");
  } else {
    in.clear();
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) throw std::runtime_error(path + ": read error");
  }
  try {
    return decompress_if_needed(std::move(bytes));
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

}  // namespace datamap::catalog::importer
