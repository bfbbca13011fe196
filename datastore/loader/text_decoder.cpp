#include "datastore/loader/text_decoder.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "datastore/loader.h"

namespace datamap::datastore::loader {

namespace {

// Counts UTF-8 multi-byte sequences in `s` that are valid and bytes that are not; a sequence cut
// by the end of a partial sample counts as neither.
struct Utf8Stats {
  std::size_t valid_multibyte = 0;
  std::size_t invalid = 0;
};
Utf8Stats utf8_stats(std::string_view s, bool whole) {
  Utf8Stats st;
  std::size_t i = 0, n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || c == 0xC0 || c == 0xC1 || c > 0xF4) {
      ++st.invalid, ++i;
      continue;
    }
    if (i + len > n) {
      st.invalid += whole;
      break;
    }
    bool ok = true;
    for (std::size_t k = 1; k < len; ++k)
      ok &= (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok) {
      ++st.valid_multibyte;
      i += len;
    } else {
      ++st.invalid, ++i;
    }
  }
  return st;
}

// How many bytes of `sample` the converter finds invalid (stops counting at `cap`).
int invalid_bytes_as(const char* icu_name, std::string_view sample, bool whole) {
  UErrorCode err = U_ZERO_ERROR;
  UConverter* cnv = ucnv_open(icu_name, &err);
  if (U_FAILURE(err)) return 1 << 30;
  ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  std::vector<UChar> buf(4096);
  const char* src = sample.data();
  const char* end = src + sample.size();
  int bad = 0;
  while (src < end && bad < 64) {
    UChar* target = buf.data();
    err = U_ZERO_ERROR;
    ucnv_toUnicode(cnv, &target, buf.data() + buf.size(), &src, end, nullptr, whole, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(err)) {
      ++bad;
      ucnv_reset(cnv);
    }
  }
  ucnv_close(cnv);
  return bad;
}

}  // namespace

DetectedEncoding detect_encoding(std::string_view s, bool whole) {
  if (s.size() >= 3 && std::memcmp(s.data(), "\xEF\xBB\xBF", 3) == 0)
    return {"UTF-8", "UTF-8 (BOM)", 3};
  if (s.size() >= 2 && std::memcmp(s.data(), "\xFF\xFE", 2) == 0)
    return {"UTF-16LE", "UTF-16LE", 2};
  if (s.size() >= 2 && std::memcmp(s.data(), "\xFE\xFF", 2) == 0)
    return {"UTF-16BE", "UTF-16BE", 2};
  // UTF-8, also with a few broken bytes (they are replaced and counted), rather than misreading
  // a whole UTF-8 file as CP949.
  Utf8Stats u = utf8_stats(s, whole);
  if (u.invalid == 0 || (u.valid_multibyte > 0 && u.invalid * 10 <= u.valid_multibyte))
    return {"UTF-8", "UTF-8", 0};
  // Korean first: data.go.kr's files are CP949, and ICU's detector names them EUC-KR (or,
  // on short samples, ISO-2022-KR or a Latin charset). CP949 is a superset of EUC-KR.
  if (invalid_bytes_as("windows-949", s, whole) == 0) return {"windows-949", "CP949", 0};
  UErrorCode err = U_ZERO_ERROR;
  UCharsetDetector* det = ucsdet_open(&err);
  std::string name;
  int confidence = 0;
  if (U_SUCCESS(err)) {
    ucsdet_setText(det, s.data(), static_cast<int32_t>(std::min<std::size_t>(s.size(), 1 << 20)),
                   &err);
    const UCharsetMatch* m = ucsdet_detect(det, &err);
    if (U_SUCCESS(err) && m) {
      name = ucsdet_getName(m, &err);
      confidence = ucsdet_getConfidence(m, &err);
    }
    ucsdet_close(det);
  }
  bool korean = name == "EUC-KR" || name.rfind("ISO-2022-KR", 0) == 0;
  if (!name.empty() && !korean && confidence >= 50 && name != "UTF-8") return {name, name, 0};
  // Mostly CP949 with a few broken bytes: converted with replacements (and counted).
  return {"windows-949", "CP949", 0};
}

struct TextDecoder::Impl {
  // UTF-8 input is only validated (ICU's U8_NEXT: the converter's rule, one U+FFFD per maximal
  // ill-formed subpart) and copied: no round trip through UTF-16, which cost the profile pass
  // ~10 % of its time.
  bool utf8_input = false;
  std::size_t bom_left = 0;  // BOM bytes still to drop at the start of the file
  std::string tail;          // a UTF-8 sequence cut by the end of the previous chunk
  UConverter* cnv = nullptr;
  std::string label;
  std::vector<UChar> buf = std::vector<UChar>(1 << 16);
  UChar held = 0;  // a lead surrogate at the end of a chunk, waiting for its trail
  std::string utf8;
  // For the error callback: where the current chunk sits in the file and in lines.
  const char* chunk_begin = nullptr;
  std::uint64_t chunk_offset = 0;
  std::int64_t lines_before = 1;  // line at the start of buf
  bool strict = false;
  TextDecoder* owner = nullptr;
  bool stop = false;
  std::int64_t stop_line = 0;
  std::uint64_t stop_byte = 0;
};

namespace {

void on_invalid(const void* context, UConverterToUnicodeArgs* args, const char* code_units,
                int32_t length, UConverterCallbackReason reason, UErrorCode* err) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing to do
  auto* impl = static_cast<TextDecoder::Impl*>(const_cast<void*>(context));
  std::int64_t line = impl->lines_before;
  for (const UChar* p = impl->buf.data(); p < args->target; ++p) line += *p == u'\n';
  std::uint64_t byte = impl->chunk_offset +
                       static_cast<std::uint64_t>(args->source - impl->chunk_begin) -
                       static_cast<std::uint64_t>(std::max(length, 0));
  if (impl->strict) {
    impl->stop = true;
    impl->stop_line = line;
    impl->stop_byte = byte;
    return;  // *err stays a failure: ucnv_toUnicode returns
  }
  impl->owner->note_invalid(line, byte);
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, code_units, length, reason, err);
}

}  // namespace

TextDecoder::TextDecoder(const DetectedEncoding& encoding, bool strict)
    : impl_(std::make_unique<Impl>()) {
  impl_->strict = strict;
  impl_->label = encoding.label;
  if (encoding.icu_name == "UTF-8") {
    impl_->utf8_input = true;
    impl_->bom_left = encoding.bom_bytes;
    return;
  }
  UErrorCode err = U_ZERO_ERROR;
  impl_->cnv = ucnv_open(encoding.icu_name.c_str(), &err);
  if (U_FAILURE(err)) throw LoadError("unsupported encoding " + encoding.label);
  impl_->strict = strict;
  impl_->owner = this;
  impl_->label = encoding.label;
  // U+FFFD rather than the converter's default substitution character (SUB, 0x1A).
  static const UChar kReplacement[] = {0xFFFD};
  ucnv_setSubstString(impl_->cnv, kReplacement, 1, &err);
  err = U_ZERO_ERROR;
  ucnv_setToUCallBack(impl_->cnv, on_invalid, impl_.get(), nullptr, nullptr, &err);
}

TextDecoder::~TextDecoder() {
  if (impl_->cnv) ucnv_close(impl_->cnv);
}

namespace {

// Where a UTF-8 sequence cut by the end of `s` starts (s.size() when none is): a lead byte in
// the last three bytes whose sequence needs more bytes than are left.
std::size_t cut_sequence_start(std::string_view s) {
  const std::size_t n = s.size();
  for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
    auto c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // a trail byte: look further back
    if (c < 0xC0) return n;            // ASCII: nothing cut
    std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    return need > back ? n - back : n;
  }
  return n;
}

}  // namespace

void TextDecoder::decode_utf8(std::string_view bytes, bool last, std::string& out) {
  Impl& d = *impl_;
  const std::size_t fed = bytes.size();
  std::string joined;
  std::uint64_t origin = d.chunk_offset;  // file offset of bytes[0]
  if (!d.tail.empty()) {
    joined = d.tail + std::string(bytes);
    origin -= d.tail.size();
    d.tail.clear();
    bytes = joined;
  }
  if (d.bom_left) {
    std::size_t drop = std::min(d.bom_left, bytes.size());
    bytes.remove_prefix(drop);
    origin += drop;
    d.bom_left -= drop;
  }
  std::size_t end = last ? bytes.size() : cut_sequence_start(bytes);
  const char* p = bytes.data();
  const auto length = static_cast<std::int32_t>(end);
  std::int32_t i = 0;
  out.reserve(out.size() + end);
  while (i < length) {
    // Runs of valid text are copied whole; only an ill-formed sequence stops the run.
    std::int32_t run = i;
    UChar32 c = 0;
    while (i < length) {
      if (static_cast<unsigned char>(p[i]) < 0x80) {
        ++i;
        continue;
      }
      std::int32_t at = i;
      U8_NEXT(p, i, length, c);
      if (c < 0) {
        out.append(p + run, static_cast<std::size_t>(at - run));
        const auto line =
            d.lines_before + std::count(p, p + at, '\n');  // only for the first few errors
        const std::uint64_t byte = origin + static_cast<std::uint64_t>(at);
        if (d.strict)
          throw LoadError("invalid " + d.label + " bytes at byte " + std::to_string(byte) +
                              " (line " + std::to_string(line) + ")",
                          line);
        note_invalid(line, byte);
        out += "\xEF\xBF\xBD";
        run = i;
      }
    }
    out.append(p + run, static_cast<std::size_t>(i - run));
  }
  d.lines_before += std::count(p, p + end, '\n');
  d.tail.assign(p + end, bytes.size() - end);
  d.chunk_offset += fed;
}

void TextDecoder::note_invalid(std::int64_t line, std::uint64_t byte) {
  if (invalid_++ == 0) {
    first_line_ = line;
    first_byte_ = byte;
  }
}

void TextDecoder::decode(std::string_view bytes, bool last, std::string& out) {
  Impl& d = *impl_;
  if (d.utf8_input) return decode_utf8(bytes, last, out);
  const char* src = bytes.data();
  const char* end = src + bytes.size();
  d.chunk_begin = src;
  for (;;) {
    UChar* start = d.buf.data();
    UChar* target = start;
    if (d.held) *target++ = d.held, d.held = 0;
    UErrorCode err = U_ZERO_ERROR;
    ucnv_toUnicode(d.cnv, &target, d.buf.data() + d.buf.size(), &src, end, nullptr, last, &err);
    if (d.stop)
      throw LoadError("invalid " + d.label + " bytes at byte " + std::to_string(d.stop_byte) +
                          " (line " + std::to_string(d.stop_line) + ")",
                      d.stop_line);
    bool more = err == U_BUFFER_OVERFLOW_ERROR;
    if (U_FAILURE(err) && !more)
      throw LoadError("cannot decode the file: " + std::string(u_errorName(err)));
    if (target > start && U16_IS_LEAD(target[-1]) && !(last && !more)) d.held = *--target;
    auto n = static_cast<int32_t>(target - start);
    for (UChar* p = start; p < target; ++p) d.lines_before += *p == u'\n';
    // UTF-16 -> UTF-8: at most 3 bytes per unit.
    std::size_t at = out.size();
    out.resize(at + static_cast<std::size_t>(n) * 3);
    int32_t written = 0;
    UErrorCode e2 = U_ZERO_ERROR;
    u_strToUTF8WithSub(out.data() + at, n * 3, &written, start, n, 0xFFFD, nullptr, &e2);
    out.resize(at + static_cast<std::size_t>(U_SUCCESS(e2) ? written : 0));
    if (!more) break;
  }
  d.chunk_offset += bytes.size();
}

}  // namespace datamap::datastore::loader
