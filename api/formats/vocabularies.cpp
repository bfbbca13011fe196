#include "api/formats/vocabularies.h"

#include <cctype>
#include <cstring>

#include "catalog/text.h"

namespace datamap::api::formats {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return catalog::to_lower_ascii(a) == catalog::to_lower_ascii(b);
}

struct FrequencyName {
  const char* text;  // what sources write (compared case-insensitively, trimmed)
  const char* code;
};

// data.go.kr's 업데이트 주기 values and their spellings, CKAN/DCAT-US words and ISO 8601
// repeating durations (data.json's accrualPeriodicity), and the EU codes themselves.
constexpr FrequencyName kFrequencyNames[] = {
    {"실시간", "UPDATE_CONT"}, {"수시", "IRREG"},      {"비정기", "IRREG"},
    {"일간", "DAILY"},         {"매일", "DAILY"},       {"일", "DAILY"},
    {"주간", "WEEKLY"},        {"매주", "WEEKLY"},      {"주", "WEEKLY"},
    {"월간", "MONTHLY"},       {"매월", "MONTHLY"},     {"월", "MONTHLY"},
    {"분기", "QUARTERLY"},     {"분기별", "QUARTERLY"}, {"반기", "ANNUAL_2"},
    {"반기별", "ANNUAL_2"},    {"연간", "ANNUAL"},      {"매년", "ANNUAL"},
    {"년", "ANNUAL"},          {"연", "ANNUAL"},        {"격년", "BIENNIAL"},
    {"2년", "BIENNIAL"},       {"3년", "TRIENNIAL"},    {"5년", "QUINQUENNIAL"},
    {"1회성", "NEVER"},        {"없음", "NEVER"},       {"기타", "OTHER"},
    {"continuous", "UPDATE_CONT"}, {"realtime", "UPDATE_CONT"}, {"daily", "DAILY"},
    {"weekly", "WEEKLY"},      {"monthly", "MONTHLY"},  {"quarterly", "QUARTERLY"},
    {"semiannual", "ANNUAL_2"}, {"biannual", "ANNUAL_2"}, {"annual", "ANNUAL"},
    {"annually", "ANNUAL"},    {"yearly", "ANNUAL"},    {"biennial", "BIENNIAL"},
    {"irregular", "IRREG"},    {"never", "NEVER"},      {"other", "OTHER"},
    {"R/PT1S", "UPDATE_CONT"}, {"R/P1D", "DAILY"},      {"R/P1W", "WEEKLY"},
    {"R/P1M", "MONTHLY"},      {"R/P3M", "QUARTERLY"},  {"R/P6M", "ANNUAL_2"},
    {"R/P1Y", "ANNUAL"},       {"R/P2Y", "BIENNIAL"},   {"R/P3Y", "TRIENNIAL"},
    {"R/P5Y", "QUINQUENNIAL"}, {"R/P2W", "BIWEEKLY"},   {"R/P2M", "BIMONTHLY"},
};

constexpr Concept kFrequencies[] = {
    {"UPDATE_CONT", "continuously updated", "실시간"},
    {"DAILY", "daily", "일간"},
    {"WEEKLY", "weekly", "주간"},
    {"BIWEEKLY", "biweekly", "격주"},
    {"MONTHLY", "monthly", "월간"},
    {"BIMONTHLY", "bimonthly", "격월"},
    {"QUARTERLY", "quarterly", "분기"},
    {"ANNUAL_2", "semiannual", "반기"},
    {"ANNUAL", "annual", "연간"},
    {"BIENNIAL", "biennial", "격년"},
    {"TRIENNIAL", "triennial", "3년"},
    {"QUINQUENNIAL", "quinquennial", "5년"},
    {"IRREG", "irregular", "수시"},
    {"NEVER", "never", "1회성"},
    {"OTHER", "other", "기타"},
    {"UNKNOWN", "unknown", "알 수 없음"},
};

// data.go.kr's 16 main categories (분류체계) -> EU data themes.
struct ThemeName {
  const char* category;
  const char* code;
};
constexpr ThemeName kThemeNames[] = {
    {"공공행정", "GOVE"}, {"문화관광", "EDUC"}, {"산업고용", "ECON"}, {"교통물류", "TRAN"},
    {"환경기상", "ENVI"}, {"재정금융", "ECON"}, {"국토관리", "REGI"}, {"농축수산", "AGRI"},
    {"사회복지", "SOCI"}, {"교육", "EDUC"},     {"보건의료", "HEAL"}, {"재난안전", "JUST"},
    {"과학기술", "TECH"}, {"식품건강", "HEAL"}, {"통일외교안보", "INTR"}, {"법률", "JUST"},
};
constexpr Concept kThemes[] = {
    {"AGRI", "Agriculture, fisheries, forestry and food", "농림수산식품"},
    {"ECON", "Economy and finance", "경제·재정"},
    {"EDUC", "Education, culture and sport", "교육·문화·체육"},
    {"ENER", "Energy", "에너지"},
    {"ENVI", "Environment", "환경"},
    {"GOVE", "Government and public sector", "정부·공공부문"},
    {"HEAL", "Health", "보건"},
    {"INTR", "International issues", "국제"},
    {"JUST", "Justice, legal system and public safety", "사법·법제·공공안전"},
    {"REGI", "Regions and cities", "지역·도시"},
    {"SOCI", "Population and society", "인구·사회"},
    {"TECH", "Science and technology", "과학기술"},
    {"TRAN", "Transport", "교통"},
};

constexpr FileFormat kFormats[] = {
    {"CSV", "text/csv", "CSV"},
    {"TSV", "text/tab-separated-values", "TSV"},
    {"JSON", "application/json", "JSON"},
    {"GEOJSON", "application/geo+json", "GEOJSON"},
    {"JSONLD", "application/ld+json", "JSON_LD"},
    {"JSON-LD", "application/ld+json", "JSON_LD"},
    {"XML", "application/xml", "XML"},
    {"RDF", "application/rdf+xml", "RDF_XML"},
    {"TTL", "text/turtle", "RDF_TURTLE"},
    {"XLS", "application/vnd.ms-excel", "XLS"},
    {"XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"},
    {"ODS", "application/vnd.oasis.opendocument.spreadsheet", "ODS"},
    {"PDF", "application/pdf", "PDF"},
    {"HTML", "text/html", "HTML"},
    {"TXT", "text/plain", "TXT"},
    {"ZIP", "application/zip", "ZIP"},
    {"GZ", "application/gzip", "GZIP"},
    {"KML", "application/vnd.google-earth.kml+xml", "KML"},
    {"KMZ", "application/vnd.google-earth.kmz", "KMZ"},
    {"SHP", "", "SHP"},
    {"GML", "application/gml+xml", "GML"},
    {"DOC", "application/msword", "DOC"},
    {"DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"},
    {"PPT", "application/vnd.ms-powerpoint", "PPT"},
    {"PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PPTX"},
    {"HWP", "application/x-hwp", ""},  // 한글 (Hancom): no IANA registration, no EU file type
    {"HWPX", "application/hwp+zip", ""},
    {"JPG", "image/jpeg", "JPEG"},
    {"JPEG", "image/jpeg", "JPEG"},
    {"PNG", "image/png", "PNG"},
    {"GIF", "image/gif", "GIF"},
    {"TIFF", "image/tiff", "TIFF"},
    {"MP4", "video/mp4", "MP4"},
    {"SQL", "application/sql", "SQL"},
    {"API", "", ""},
    {"WMS", "", "WMS_SRVC"},
    {"WFS", "", "WFS_SRVC"},
};

}  // namespace

const Concept* frequency_concept(std::string_view frequency) {
  std::string_view f = catalog::trim(frequency);
  if (f.empty()) return nullptr;
  const char* code = nullptr;
  for (const auto& n : kFrequencyNames)
    if (iequals(f, n.text)) code = n.code;
  for (const auto& c : kFrequencies)
    if (iequals(f, c.code) || iequals(f, c.label_en) || (code && std::strcmp(code, c.code) == 0))
      return &c;
  return nullptr;
}

const Concept* theme_concept(std::string_view category) {
  std::string_view c = catalog::trim(category);
  for (const auto& t : kThemeNames)
    if (c == t.category)
      for (const auto& theme : kThemes)
        if (std::strcmp(theme.code, t.code) == 0) return &theme;
  return nullptr;
}

const FileFormat* file_format(std::string_view format_or_media_type) {
  std::string_view f = catalog::trim(format_or_media_type);
  if (f.empty()) return nullptr;
  if (f.front() == '.') f.remove_prefix(1);
  for (const auto& ff : kFormats)
    if (iequals(f, ff.name)) return &ff;
  for (const auto& ff : kFormats)
    if (*ff.media_type && iequals(f, ff.media_type)) return &ff;
  return nullptr;
}

const FileFormat* file_format_of(const catalog::Resource& r) {
  return file_format(r.format.empty() ? r.mimetype : r.format);
}

std::string media_type_of(const catalog::Resource& r) {
  if (!r.mimetype.empty()) return r.mimetype;
  const FileFormat* ff = file_format_of(r);
  return ff ? ff->media_type : "";
}

std::string language_of(std::string_view text) {
  bool latin = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    // Hangul syllables U+AC00-U+D7A3 are EA B0 80 .. ED 9E A3 in UTF-8; Jamo U+1100-U+11FF
    // and compatibility Jamo U+3130-U+318F count too.
    if (c >= 0xEB && c <= 0xED) return "ko";
    if (c == 0xEA && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0xB0)
      return "ko";
    if (c == 0xE1 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xFC) == 0x84)
      return "ko";
    if (c == 0xE3 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) == 0x84 ||
                                              static_cast<unsigned char>(text[i + 1]) == 0x85))
      return "ko";
    if (std::isalpha(c)) latin = true;
  }
  return latin ? "en" : "";
}

}  // namespace datamap::api::formats
