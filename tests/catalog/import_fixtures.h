// Real inputs for the importer tests: the 2022 data.go.kr list (decompressed once per test
// binary), slices of it, and conversions to CP949 built with ICU from the real rows.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace datamap::testing {

// The whole 2022 list as UTF-8 text (61,359 rows plus the header).
const std::string& datago_2022_text();
// The header and the first `rows` rows of the 2022 list, LF line ends.
std::string datago_2022_head(std::size_t rows);
// UTF-8 -> CP949 bytes (what Korean Excel writes). Throws when a character has no CP949 form.
std::string to_cp949(std::string_view utf8);
// The header and the first `rows` rows of the 2022 list that CP949 can represent (578 of the
// 61,359 rows use characters such as U+2027 that it cannot), as UTF-8.
std::string datago_2022_cp949_safe_head(std::size_t rows);
// The contents of a file under tests/fixtures.
std::string fixture(const std::string& name);
// Writes `content` to `path`.
void write_file(const std::string& path, std::string_view content);

}  // namespace datamap::testing
