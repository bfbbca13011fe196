// The bytes of a text file (CSV/TSV) as UTF-8, whatever they were: the encoding is detected from
// a sample (a BOM; valid UTF-8; else ICU's detector, with Korean text taken as CP949 —
// ICU's "windows-949", a superset of EUC-KR — when the sample converts cleanly) and converted
// with ICU in chunks, so memory stays flat. Invalid bytes become U+FFFD and are counted with the
// line and byte of the first, or, when strict, stop the load with a LoadError naming them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace datamap::datastore::loader {

struct DetectedEncoding {
  std::string icu_name;  // for ucnv_open: "UTF-8", "windows-949", "UTF-16LE", ...
  std::string label;     // for people: "UTF-8", "UTF-8 (BOM)", "CP949", "UTF-16LE", ...
  std::size_t bom_bytes = 0;
};

// `sample` is the file's first bytes; `whole_file` when it is all of it (a multi-byte sequence
// cut at the end of a partial sample is not an error).
DetectedEncoding detect_encoding(std::string_view sample, bool whole_file);

class TextDecoder {
 public:
  TextDecoder(const DetectedEncoding& encoding, bool strict);
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  // Appends the UTF-8 of `bytes` (the next chunk of the file, BOM included) to `out`; `last`
  // on the final chunk. Throws LoadError on an invalid byte when strict.
  void decode(std::string_view bytes, bool last, std::string& out);

  std::int64_t invalid_count() const { return invalid_; }
  std::int64_t first_invalid_line() const { return first_line_; }
  std::uint64_t first_invalid_byte() const { return first_byte_; }  // 0-based offset in the file

  // For the ICU callback (text_decoder.cpp): one replaced invalid sequence.
  struct Impl;
  void note_invalid(std::int64_t line, std::uint64_t byte);

 private:
  void decode_utf8(std::string_view bytes, bool last, std::string& out);

  std::unique_ptr<Impl> impl_;
  std::int64_t invalid_ = 0;
  std::int64_t first_line_ = 0;
  std::uint64_t first_byte_ = 0;
};

}  // namespace datamap::datastore::loader
