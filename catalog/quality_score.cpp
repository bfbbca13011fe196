#include "catalog/quality_score.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "catalog/licenses.h"
#include "catalog/text.h"
#include "catalog/validation.h"

namespace datamap::catalog::quality {
namespace {

using D = Dimension;

// The table docs/QUALITY.md documents. Points: MQA's (405 in all) plus 60 for the three Korean
// indicators (description, standard_terms, update_schedule) and 30 for the loaded data's error
// rate (오류율, datastore/validator.h).
const std::vector<IndicatorInfo> kIndicators = {
    // ---- findability (120)
    {"keywords", D::findability, 30, "키워드", "Keywords", "키워드(태그)를 하나 이상 등록하세요.",
     "Add at least one keyword (tag)."},
    {"category", D::findability, 30, "분류체계", "Category", "분류체계(주제 분류)를 지정하세요.",
     "Assign a category (theme)."},
    {"spatial", D::findability, 20, "공간범위", "Spatial coverage",
     "공간범위(예: 서울특별시 전역)를 입력하세요.",
     "State the spatial coverage (e.g. all of Seoul)."},
    {"temporal", D::findability, 20, "시간범위", "Temporal coverage",
     "시간범위(예: 2015-01-01~2022-12-31)를 입력하세요.", "State the temporal coverage."},
    {"description", D::findability, 20, "설명", "Description",
     "제목을 되풀이하지 말고 데이터에 무엇이 담겼는지 설명을 보강하세요.",
     "Write a description that says more than the title: what the data contains."},
    // ---- accessibility (100)
    {"access_url", D::accessibility, 50, "접근 URL 응답", "Access URLs answer",
     "응답하지 않는 목록 URL·리소스 URL을 고치거나 리소스를 등록하세요.",
     "Fix the landing page or resource URLs that do not answer, or add a resource."},
    {"download_url", D::accessibility, 20, "다운로드 URL", "Download URL present",
     "내려받을 수 있는 리소스 URL을 등록하세요.", "Add a resource with a download URL."},
    {"download_url_answers", D::accessibility, 30, "다운로드 URL 응답", "Download URLs answer",
     "응답하지 않는 리소스 URL을 고치세요.", "Fix the resource URLs that do not answer."},
    // ---- interoperability (130)
    {"format", D::interoperability, 20, "파일 형식", "Format",
     "모든 리소스에 파일 형식(CSV, JSON 등)을 입력하세요.",
     "Give every resource a format (CSV, JSON, ...)."},
    {"media_type", D::interoperability, 10, "미디어 유형", "Media type",
     "모든 리소스에 미디어 유형(예: text/csv)을 입력하세요.",
     "Give every resource a media type (e.g. text/csv)."},
    {"format_vocabulary", D::interoperability, 10, "표준 형식명", "Format from a vocabulary",
     "파일 형식을 표준 이름(CSV, XLSX, JSON, XML 등)으로 적으세요.",
     "Name formats as the vocabulary does (CSV, XLSX, JSON, XML, ...)."},
    {"non_proprietary", D::interoperability, 20, "개방형 형식", "Non-proprietary format",
     "HWP·XLS 등 특정 프로그램용 형식 외에 CSV·JSON 같은 개방형 형식도 제공하세요.",
     "Offer an open format (CSV, JSON, ...) besides proprietary ones (HWP, XLS)."},
    {"machine_readable", D::interoperability, 20, "기계 판독 가능", "Machine-readable format",
     "PDF·HWP 대신 기계가 읽을 수 있는 형식(CSV, JSON, XML 등)으로 제공하세요.",
     "Offer a machine-readable format (CSV, JSON, XML, ...), not only PDF or HWP."},
    {"dcat_ap", D::interoperability, 30, "DCAT-AP 적합", "DCAT-AP conformant",
     "제목·설명을 채우고, 모든 리소스 URL과 날짜·이용허락 값을 올바른 형식으로 입력하세요.",
     "Give a title and a description, and valid resource URLs, dates and licence."},
    {"standard_terms", D::interoperability, 20, "공통표준용어", "Standard terms",
     "컬럼을 공통표준용어로 정의하세요(컬럼의 절반 이상).",
     "Describe the columns with common standard terms (at least half of them)."},
    // ---- reusability (75)
    {"license", D::reusability, 20, "이용허락범위", "Licence",
     "이용허락범위(라이선스)를 지정하세요.", "State the licence."},
    {"license_vocabulary", D::reusability, 10, "표준 라이선스", "Licence from a vocabulary",
     "공공누리 유형 등 목록에 있는 라이선스를 선택하세요.",
     "Pick a licence from the list (e.g. a KOGL type)."},
    {"access_rights", D::reusability, 10, "접근 권한", "Access rights",
     "접근 권한(공개/부분공개/비공개)을 밝히세요.", "State the access rights."},
    {"access_rights_vocabulary", D::reusability, 5, "표준 접근 권한", "Access rights vocabulary",
     "접근 권한을 공개·부분공개·비공개(PUBLIC, RESTRICTED, NON_PUBLIC) 중 하나로 적으세요.",
     "Use PUBLIC, RESTRICTED or NON_PUBLIC for the access rights."},
    {"contact_point", D::reusability, 20, "문의처", "Contact point",
     "관리 부서명이나 연락처(전화, 이메일)를 입력하세요.",
     "Give a contact: the managing department, a phone or an e-mail."},
    {"publisher", D::reusability, 10, "제공기관", "Publisher", "제공기관을 지정하세요.",
     "Assign the dataset to its publishing agency."},
    {"data_error_rate", D::reusability, 30, "데이터 오류율", "Data error rate",
     "검증 보고서의 오류 행을 내려받아 고치세요(오류율 1% 이하).",
     "Download the validation report's failing rows and fix them (error rate at most 1%)."},
    // ---- contextuality (40)
    {"rights", D::contextuality, 5, "권리 정보", "Rights",
     "권리 정보(저작권 표시 등)를 입력하세요.", "Add a rights statement."},
    {"byte_size", D::contextuality, 5, "파일 크기", "Byte size",
     "모든 리소스의 파일 크기를 입력하세요.", "Give every resource its size in bytes."},
    {"issued", D::contextuality, 5, "등록일", "Date issued", "등록일을 입력하세요.",
     "State when the data was first issued."},
    {"modified", D::contextuality, 5, "수정일", "Date modified", "수정일을 입력하세요.",
     "State when the data was last modified."},
    {"update_schedule", D::contextuality, 20, "업데이트 주기 준수", "Update schedule kept",
     "업데이트 주기와 차기 등록 예정일을 입력하고, 예정일이 지났으면 데이터를 갱신하세요.",
     "State the update frequency and next update date; update the data when the date has "
     "passed."},
};

bool has_text(std::string_view s) {
  return !trim(s).empty();
}

std::string_view extra(const KeyValues& extras, std::initializer_list<std::string_view> keys) {
  for (const auto& [k, v] : extras)
    for (auto key : keys)
      if (k == key && has_text(v)) return v;
  return {};
}

// Format names split into parts: "JSON+XML" is JSON and XML.
template <typename F>
bool every_part(std::string_view format, F&& pred) {
  std::string f = to_lower_ascii(trim(format));
  bool any = false;
  std::size_t i = 0;
  while (i <= f.size()) {
    std::size_t j = f.find_first_of("+,/ ;", i);
    if (j == std::string::npos) j = f.size();
    if (j > i) {
      any = true;
      if (!pred(std::string_view(f).substr(i, j - i))) return false;
    }
    i = j + 1;
  }
  return any;
}

bool in(std::string_view v, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// The formats MQA's file-type vocabulary knows (data.europa.eu's list, the ones Korean catalogs
// use), by their lower-case name.
bool known_format(std::string_view f) {
  return in(f,
            {"csv",    "tsv",  "json", "jsonld", "json-ld", "geojson", "xml",  "rdf",    "ttl",
             "turtle", "n3",   "nt",   "xls",    "xlsx",    "ods",     "odt",  "doc",    "docx",
             "hwp",    "hwpx", "pdf",  "txt",    "html",    "zip",     "gzip", "gz",     "tar",
             "shp",    "kml",  "kmz",  "gml",    "gpx",     "wms",     "wfs",  "netcdf", "parquet",
             "png",    "jpg",  "jpeg", "tiff",   "ppt",     "pptx",    "api",  "sql"});
}
bool machine_readable(std::string_view f) {
  return in(f, {"csv", "tsv",    "json", "jsonld", "json-ld", "geojson", "xml",    "rdf",
                "ttl", "turtle", "n3",   "nt",     "xls",     "xlsx",    "ods",    "shp",
                "kml", "kmz",    "gml",  "gpx",    "wms",     "wfs",     "netcdf", "parquet"});
}
bool non_proprietary(std::string_view f) {
  return in(f, {"csv",    "tsv", "json", "jsonld", "json-ld", "geojson", "xml",  "rdf",  "ttl",
                "turtle", "n3",  "nt",   "ods",    "odt",     "txt",     "html", "kml",  "kmz",
                "gml",    "gpx", "shp",  "netcdf", "parquet", "png",     "jpg",  "jpeg", "tiff",
                "pdf",    "zip", "gzip", "gz",     "wms",     "wfs"});
}

// Calls fn(start, length) for each letter or digit of `s` (bytes of one code point): ASCII is
// decided without ICU (u_isalnum holds there for exactly A-Z, a-z and 0-9), as most text is.
template <typename Fn>
void each_letter(std::string_view s, Fn&& fn) {
  std::int32_t i = 0;
  const auto n = static_cast<std::int32_t>(s.size());
  while (i < n) {
    const std::int32_t start = i;
    const auto byte = static_cast<unsigned char>(s[static_cast<std::size_t>(i)]);
    if (byte < 0x80) {
      ++i;
      if ((byte >= '0' && byte <= '9') || ((byte | 0x20) >= 'a' && (byte | 0x20) <= 'z'))
        if (!fn(start, 1)) return;
      continue;
    }
    UChar32 c;
    U8_NEXT(reinterpret_cast<const std::uint8_t*>(s.data()), i, n, c);
    if (c >= 0 && u_isalnum(c))
      if (!fn(start, i - start)) return;
  }
}

// Letters and digits only, so "서울시 주차장 정보" and "서울시_주차장정보." compare equal.
std::string letters(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  each_letter(s, [&](std::int32_t start, std::int32_t length) {
    out.append(s.data() + start, static_cast<std::size_t>(length));
    return true;
  });
  return out;
}

// Whether `s` has at least `n` letters or digits (stops counting there).
bool has_letters(std::string_view s, std::size_t n) {
  std::size_t seen = 0;
  if (n == 0) return true;
  each_letter(s, [&](std::int32_t, std::int32_t) { return ++seen < n; });
  return seen >= n;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char ch : s)
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  return n;
}

// The description says more than the title: at least 10 letters or digits once the title's own
// text is taken out of it.
bool describes_more(const Dataset& d) {
  const std::string title = letters(d.title);
  // Taking the title out removes at most its own letters: with that many more than 10, the
  // answer is known without building the description's letters (most descriptions are long).
  if (has_letters(d.notes, code_points(title) + 10)) return true;
  std::string notes = letters(d.notes);
  if (!title.empty())
    if (auto at = notes.find(title); at != std::string::npos) notes.erase(at, title.size());
  return code_points(notes) >= 10;
}

// Frequencies with no next date to miss.
bool unscheduled(std::string_view frequency) {
  std::string f = to_lower_ascii(trim(frequency));
  return in(f, {"수시", "실시간", "irregular", "continuous", "realtime", "real-time", "비정기",
                "http://purl.org/cld/freq/irregular", "http://purl.org/cld/freq/continuous"});
}

bool access_rights_from_vocabulary(std::string_view v) {
  std::string l = to_lower_ascii(trim(v));
  for (std::string_view word : {"public", "restricted", "non_public"}) {
    if (l == word) return true;
    // The EU vocabulary's URIs end with the upper-case word, lowered here.
    if (l.size() > word.size() && l.ends_with(word) && l[l.size() - word.size() - 1] == '/')
      return true;
  }
  return in(l, {"공개", "부분공개", "비공개"});
}

bool dcat_ap_conformant(const Dataset& d) {
  if (!has_text(d.title) || !has_text(d.notes)) return false;
  if (!d.url.empty() && !is_valid_url(d.url)) return false;
  for (const auto& r : d.resources)
    if (!is_valid_url(r.url)) return false;
  for (const std::string* date : {&d.issued, &d.modified})
    if (!date->empty() && !is_iso8601(*date)) return false;
  return d.license_id.empty() || is_known_license(d.license_id);
}

bool standard_terms_used(const Dataset& d) {
  if (d.columns.empty()) return d.standard_dataset;
  std::size_t with = 0;
  for (const auto& c : d.columns)
    if (has_text(c.standard_term)) ++with;
  return with * 2 >= d.columns.size();
}

// 오류율: every validated resource has at most 1% invalid values (ResourceValidation, written by
// the validator). No resource validated yet: pending, like an unchecked link.
Outcome data_error_rate(const Dataset& d) {
  bool any = false;
  for (const auto& r : d.resources) {
    if (!r.validation.done) continue;
    any = true;
    if (r.validation.error_rate() > kMaxErrorRate) return Outcome::failed;
  }
  return any ? Outcome::passed : Outcome::pending;
}

// All answered yes: passed; any no: failed; otherwise pending. Nothing to check: failed.
Outcome all_answer(const std::vector<LinkAnswer>& answers) {
  if (answers.empty()) return Outcome::failed;
  bool unknown = false;
  for (auto a : answers) {
    if (a == LinkAnswer::kNo) return Outcome::failed;
    if (a == LinkAnswer::kUnknown) unknown = true;
  }
  return unknown ? Outcome::pending : Outcome::passed;
}

Outcome of(bool passed) {
  return passed ? Outcome::passed : Outcome::failed;
}

}  // namespace

LinkAnswer LinkResults::of(std::string_view resource_id) const {
  for (const auto& [id, answer] : resources)
    if (id == resource_id) return answer;
  return LinkAnswer::kUnknown;
}

std::string_view dimension_name(Dimension d) {
  static constexpr std::string_view kNames[] = {"findability", "accessibility", "interoperability",
                                                "reusability", "contextuality"};
  return kNames[static_cast<std::size_t>(d)];
}

std::string_view rating_name(Rating r) {
  static constexpr std::string_view kNames[] = {"excellent", "good", "sufficient", "bad"};
  return kNames[static_cast<std::size_t>(r)];
}

std::string_view rating_label_ko(Rating r) {
  static constexpr std::string_view kNames[] = {"우수", "양호", "보통", "미흡"};
  return kNames[static_cast<std::size_t>(r)];
}

bool parse_rating(std::string_view name, Rating& out) {
  for (Rating r : {Rating::excellent, Rating::good, Rating::sufficient, Rating::bad})
    if (rating_name(r) == name) {
      out = r;
      return true;
    }
  return false;
}

std::string_view outcome_name(Outcome o) {
  static constexpr std::string_view kNames[] = {"passed", "failed", "pending"};
  return kNames[static_cast<std::size_t>(o)];
}

const std::vector<IndicatorInfo>& indicators() {
  return kIndicators;
}

Rating rating_of(int points, int max) {
  if (max <= 0) return Rating::bad;
  // points/max ≥ 351/405 without floating point.
  const auto p = static_cast<std::int64_t>(points) * 405;
  if (p >= std::int64_t{351} * max) return Rating::excellent;
  if (p >= std::int64_t{221} * max) return Rating::good;
  if (p >= std::int64_t{121} * max) return Rating::sufficient;
  return Rating::bad;
}

double Score::ratio() const {
  return max > 0 ? static_cast<double>(points) / static_cast<double>(max) : 1.0;
}

std::vector<const IndicatorResult*> Score::to_fix() const {
  std::vector<const IndicatorResult*> out;
  for (const auto& r : results)
    if (r.outcome == Outcome::failed) out.push_back(&r);
  std::stable_sort(out.begin(), out.end(), [](const IndicatorResult* a, const IndicatorResult* b) {
    return a->possible - a->points > b->possible - b->points;
  });
  return out;
}

Score score_dataset(const Dataset& d, const Organization* organization, const LinkResults& links,
                    std::string_view today) {
  // Facts the resource indicators share, gathered in one pass.
  bool every_format = !d.resources.empty(), every_media = every_format, every_size = every_format,
       every_vocab = every_format;
  bool any_open = false, any_machine = false;
  std::vector<LinkAnswer> access, download;
  if (!d.url.empty()) access.push_back(links.landing_page);
  for (const auto& r : d.resources) {
    const bool has_format = has_text(r.format);
    every_format = every_format && has_format;
    every_media = every_media && has_text(r.mimetype);
    every_size = every_size && r.size >= 0;
    every_vocab = every_vocab && has_format && every_part(r.format, known_format);
    any_open = any_open || (has_format && every_part(r.format, non_proprietary));
    any_machine = any_machine || (has_format && every_part(r.format, machine_readable));
    if (has_text(r.url)) {
      const LinkAnswer a = links.of(r.id);
      access.push_back(a);
      download.push_back(a);
    }
  }

  Score s;
  const std::string_view next = trim(d.next_update);
  s.overdue = !next.empty() && !unscheduled(d.frequency) && next.substr(0, 10) < today;
  const std::string_view access_rights = extra(d.extras, {"access_rights", "dct:accessRights"});
  const Outcome outcomes[] = {
      of(!d.tags.empty()),
      of(!d.groups.empty()),
      of(has_text(d.spatial)),
      of(has_text(d.temporal)),
      of(describes_more(d)),
      all_answer(access),
      of(!download.empty()),
      all_answer(download),
      of(every_format),
      of(every_media),
      of(every_vocab),
      of(any_open),
      of(any_machine),
      of(dcat_ap_conformant(d)),
      of(standard_terms_used(d)),
      of(has_text(d.license_id) && d.license_id != "notspecified"),
      of(d.license_id != "notspecified" && is_known_license(d.license_id)),
      of(!access_rights.empty()),
      of(access_rights_from_vocabulary(access_rights)),
      of(has_text(d.maintainer) || has_text(d.maintainer_email) || has_text(d.maintainer_phone) ||
         has_text(d.author_email)),
      of(organization != nullptr &&
         has_text(organization->title.empty() ? organization->name : organization->title)),
      data_error_rate(d),
      of(!extra(d.extras, {"rights", "dct:rights"}).empty()),
      of(every_size),
      of(has_text(d.issued)),
      of(has_text(d.modified)),
      of(unscheduled(d.frequency) || (has_text(d.frequency) && !next.empty() && !s.overdue)),
  };
  static_assert(std::size(outcomes) == 27);
  s.results.reserve(kIndicators.size());
  for (std::size_t i = 0; i < kIndicators.size(); ++i) {
    const IndicatorInfo& info = kIndicators[i];
    IndicatorResult r{&info, outcomes[i], 0, info.points};
    if (r.outcome == Outcome::passed) r.points = info.points;
    if (r.outcome == Outcome::pending) r.possible = 0;
    auto& dim = s.dimensions[static_cast<std::size_t>(info.dimension)];
    dim.points += r.points;
    dim.max += r.possible;
    s.points += r.points;
    s.max += r.possible;
    s.results.push_back(r);
  }
  s.rating = rating_of(s.points, s.max);
  return s;
}

std::string today_utc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace datamap::catalog::quality
