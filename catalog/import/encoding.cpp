#include "catalog/import/encoding.h"

#include "catalog/text.h"

namespace datamap::catalog::importer {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Counts well-formed multi-byte UTF-8 sequences and bytes that cannot start or continue one.
void count_utf8(std::string_view s, std::size_t& good, std::size_t& bad) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    int extra = (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
    if (extra > 0 && end - p > extra &&
        is_valid_utf8(std::string_view(reinterpret_cast<const char*>(p), extra + 1))) {
      ++good;
      p += extra + 1;
    } else {
      ++bad;
      ++p;
    }
  }
}

}  // namespace

const char* encoding_name(Encoding e) {
  switch (e) {
    case Encoding::utf8:
      return "UTF-8";
    case Encoding::utf8_bom:
      return "UTF-8 (BOM)";
    case Encoding::cp949:
      return "CP949";
  }
  return "?";
}

Encoding detect_encoding(std::string_view bytes) {
  if (bytes.substr(0, 3) == kBom) return Encoding::utf8_bom;
  if (is_valid_utf8(bytes)) return Encoding::utf8;
  // The first line (a CSV header, or the start of a document) decides when it has non-ASCII
  // text: Korean headers are valid UTF-8 in a UTF-8 file and never in a CP949 one.
  std::string_view first = bytes.substr(0, bytes.find('\n'));
  std::size_t good = 0, bad = 0;
  count_utf8(first, good, bad);
  if (good + bad == 0) count_utf8(bytes, good, bad);
  // CP949 Hangul pairs occasionally look like a valid 2- or 3-byte UTF-8 sequence by chance,
  // but never mostly: a file that is mostly valid UTF-8 is UTF-8 with damage.
  return good > bad ? Encoding::utf8 : Encoding::cp949;
}

std::string to_utf8_text(std::string bytes, Encoding& detected) {
  detected = detect_encoding(bytes);
  switch (detected) {
    case Encoding::utf8_bom:
      bytes.erase(0, kBom.size());
      return bytes;
    case Encoding::utf8:
      return bytes;
    case Encoding::cp949:
      return cp949_to_utf8(bytes);
  }
  return bytes;
}

}  // namespace datamap::catalog::importer
