#include "tests/catalog/import_fixtures.h"

#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <fstream>
#include <memory>
#include <stdexcept>

#include "catalog/import/input_file.h"

namespace datamap::testing {

const std::string& datago_2022_text() {
  static const std::string text = catalog::importer::read_input_file(
      std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datago-list-2022.csv.xz");
  return text;
}

std::string datago_2022_head(std::size_t rows) {
  const std::string& all = datago_2022_text();
  std::size_t pos = 0;
  for (std::size_t i = 0; i <= rows && pos != std::string::npos; ++i) {
    pos = all.find('\n', pos);
    if (pos != std::string::npos) ++pos;
  }
  return all.substr(0, pos);
}

std::string to_cp949(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open("windows-949", &status),
                                                          &ucnv_close);
  if (U_FAILURE(status)) throw std::runtime_error("no CP949 converter");
  ucnv_setFromUCallBack(conv.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), utf8.size()));
  std::string out(static_cast<std::size_t>(u.length()) * 2 + 16, '\0');
  int32_t n = u.extract(out.data(), static_cast<int32_t>(out.size()), conv.get(), status);
  if (U_FAILURE(status)) throw std::runtime_error("CP949 conversion failed");
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string datago_2022_cp949_safe_head(std::size_t rows) {
  const std::string& all = datago_2022_text();
  std::size_t pos = all.find('\n') + 1;
  std::string out = all.substr(0, pos);
  for (std::size_t taken = 0; taken < rows && pos < all.size();) {
    std::size_t end = all.find('\n', pos);
    end = end == std::string::npos ? all.size() : end + 1;
    std::string line = all.substr(pos, end - pos);
    pos = end;
    try {
      to_cp949(line);
    } catch (const std::runtime_error&) {
      continue;
    }
    out += line;
    ++taken;
  }
  return out;
}

std::string fixture(const std::string& name) {
  return catalog::importer::read_input_file(std::string(DATAMAP_FIXTURES) + "/" + name);
}

void write_file(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace datamap::testing
