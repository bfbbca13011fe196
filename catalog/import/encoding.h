// Decides how an input's bytes are encoded and turns them into UTF-8 text: UTF-8 with or without
// a BOM passes through (BOM removed); CP949 / EUC-KR (what Korean Excel saves) is converted.
// A UTF-8 file with a few broken bytes stays UTF-8, so its bad rows are rejected one by one
// instead of the whole file being misread as CP949.
#pragma once

#include <string>
#include <string_view>

namespace datamap::catalog::importer {

enum class Encoding { utf8, utf8_bom, cp949 };

const char* encoding_name(Encoding e);  // "UTF-8", "UTF-8 (BOM)", "CP949"

Encoding detect_encoding(std::string_view bytes);

// The text as UTF-8 without BOM. Invalid UTF-8 inside a UTF-8 input is left as it is (callers
// reject the rows that contain it). Throws std::runtime_error when CP949 conversion fails.
std::string to_utf8_text(std::string bytes, Encoding& detected);

}  // namespace datamap::catalog::importer
