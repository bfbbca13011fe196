// The controlled vocabularies DCAT-AP asks for, mapped from what the catalog stores:
// data.go.kr's 업데이트 주기 -> the EU frequency authority table, 분류체계 main categories -> the EU
// data themes, resource formats -> IANA media types and EU file types, and the languages.
// Each lookup returns nullptr / "" when nothing fits; callers then leave the property out rather
// than guess.
#pragma once

#include <string>
#include <string_view>

#include "catalog/model.h"

namespace datamap::api::formats {

inline constexpr const char* kEuFrequency = "http://publications.europa.eu/resource/authority/frequency/";
inline constexpr const char* kEuDataTheme = "http://publications.europa.eu/resource/authority/data-theme";
inline constexpr const char* kEuFileType = "http://publications.europa.eu/resource/authority/file-type/";
inline constexpr const char* kEuLanguage = "http://publications.europa.eu/resource/authority/language/";
inline constexpr const char* kIanaMediaTypes = "https://www.iana.org/assignments/media-types/";

struct Concept {
  const char* code;      // the authority table's code, e.g. "MONTHLY", "TRAN"
  const char* label_en;
  const char* label_ko;
};

// "월간", "매월", "monthly", "R/P1M", "MONTHLY", ... -> MONTHLY. nullptr when unknown.
const Concept* frequency_concept(std::string_view frequency);
// "교통물류" -> TRAN (Transport). nullptr when the category has no EU theme.
const Concept* theme_concept(std::string_view category);

struct FileFormat {
  const char* name;         // upper-case format as the catalog stores it, e.g. "CSV"
  const char* media_type;   // IANA, e.g. "text/csv"; "" when IANA has none
  const char* eu_file_type; // EU file-type code, e.g. "CSV"; "" when the table has none
};
// Case-insensitive by format name ("csv", "CSV"), then by media type ("text/csv").
const FileFormat* file_format(std::string_view format_or_media_type);
// A resource's format: by its format, else by its mimetype.
const FileFormat* file_format_of(const catalog::Resource& r);
// A resource's media type: its own mimetype, else its format's IANA type, else "".
std::string media_type_of(const catalog::Resource& r);

// "ko" when the text has Hangul, else "en" when it has Latin letters, else "" (numbers, codes).
std::string language_of(std::string_view text);

}  // namespace datamap::api::formats
