// The rules of catalog/demand.h that every front end shares: statuses and deadlines.
#include "catalog/demand.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "catalog/text.h"

namespace datamap::catalog {
namespace {

template <std::size_t N>
bool one_of(std::string_view s, const char* const (&list)[N]) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* x) { return s == x; });
}

constexpr std::int64_t kDay = 86400;

std::int64_t request_deadline_unix(const DataRequest& r) {
  std::int64_t t = utc_seconds(r.created);
  if (t < 0) return -1;
  return t + (kAnswerDays + (r.extended ? kExtensionDays : 0)) * kDay;
}

}  // namespace

std::string utc_iso(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::int64_t utc_seconds(std::string_view iso) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::string text(iso.substr(0, 19));
  const int got = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s);
  if (!(got == 6 || (got == 3 && iso.size() == 10))) return -1;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1970) return -1;
  std::tm tm{};
  tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d;
  tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = s;
  return static_cast<std::int64_t>(timegm(&tm));
}

bool is_request_status(std::string_view s) {
  static const char* const kAll[] = {"received", "reviewing", "scheduled", "provided", "refused"};
  return one_of(s, kAll);
}
bool is_closed_status(std::string_view s) {
  return s == "provided" || s == "refused";
}
bool is_refusal_reason(std::string_view s) {
  return one_of(s, kRefusalReasons);
}
bool is_purpose(std::string_view s) {
  return one_of(s, kPurposes);
}

bool is_report_kind(std::string_view s) {
  static const char* const kAll[] = {"wrong_values", "broken_link", "outdated", "other"};
  return one_of(s, kAll);
}
bool is_report_status(std::string_view s) {
  static const char* const kAll[] = {"pending", "accepted", "notified"};
  return one_of(s, kAll);
}

std::string request_deadline(const DataRequest& r) {
  std::int64_t t = request_deadline_unix(r);
  return t < 0 ? std::string() : utc_iso(t);
}

bool request_overdue(const DataRequest& r, std::int64_t now) {
  if (r.status != "received" && r.status != "reviewing") return false;
  std::int64_t t = request_deadline_unix(r);
  return t >= 0 && now > t;
}

std::string report_deadline(const IssueReport& r) {
  std::int64_t t = utc_seconds(r.created);
  return t < 0 ? std::string() : utc_iso(t + kReportDays * kDay);
}

bool report_overdue(const IssueReport& r, std::int64_t now) {
  std::int64_t t = utc_seconds(r.created);
  return r.status != "notified" && t >= 0 && now > t + kReportDays * kDay;
}

}  // namespace datamap::catalog
