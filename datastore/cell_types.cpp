#include "datastore/cell_types.h"

#include <charconv>
#include <cmath>

namespace datamap::datastore {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

bool digits(std::string_view s, std::size_t from, std::size_t n) {
  if (s.size() < from + n) return false;
  for (std::size_t i = from; i < from + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int number(std::string_view s, std::size_t from, std::size_t n) {
  int v = 0;
  for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool valid_day(int y, int m, int d) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

// "YYYY-MM-DD" from the spellings Korean files use; the rest of the text after the date in *rest.
std::optional<std::string> parse_date(std::string_view s, std::string_view* rest) {
  int y, m, d;
  std::size_t used;
  if (digits(s, 0, 4) && s.size() >= 10 && (s[4] == '-' || s[4] == '.' || s[4] == '/') &&
      s[7] == s[4] && digits(s, 5, 2) && digits(s, 8, 2)) {
    y = number(s, 0, 4), m = number(s, 5, 2), d = number(s, 8, 2), used = 10;
  } else if (digits(s, 0, 8) && (s.size() == 8 || !digits(s, 8, 1))) {
    y = number(s, 0, 4), m = number(s, 4, 2), d = number(s, 6, 2), used = 8;
  } else {
    return std::nullopt;
  }
  if (!valid_day(y, m, d)) return std::nullopt;
  // Written digit by digit (y has 4 digits, m and d 2): snprintf was ~1 % of a load of one
  // date column.
  const char out[10] = {static_cast<char>('0' + y / 1000),
                        static_cast<char>('0' + y / 100 % 10),
                        static_cast<char>('0' + y / 10 % 10),
                        static_cast<char>('0' + y % 10),
                        '-',
                        static_cast<char>('0' + m / 10),
                        static_cast<char>('0' + m % 10),
                        '-',
                        static_cast<char>('0' + d / 10),
                        static_cast<char>('0' + d % 10)};
  *rest = s.substr(used);
  return std::string(out, sizeof out);
}

// HH:MM[:SS[.fraction]][Z|+hh:mm|-hh:mm]
bool valid_time(std::string_view t) {
  if (!digits(t, 0, 2) || t.size() < 5 || t[2] != ':' || !digits(t, 3, 2)) return false;
  if (number(t, 0, 2) > 23 || number(t, 3, 2) > 59) return false;
  std::size_t i = 5;
  if (i < t.size() && t[i] == ':') {
    if (!digits(t, i + 1, 2) || number(t, i + 1, 2) > 60) return false;
    i += 3;
    if (i < t.size() && t[i] == '.') {
      std::size_t j = i + 1;
      while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
      if (j == i + 1) return false;
      i = j;
    }
  }
  if (i == t.size()) return true;
  if (t[i] == 'Z') return i + 1 == t.size();
  if (t[i] == '+' || t[i] == '-')
    return t.size() == i + 6 && digits(t, i + 1, 2) && t[i + 3] == ':' && digits(t, i + 4, 2);
  return false;
}

std::string format_double(double v) {
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

std::optional<Cell> from_text(std::string_view raw, std::string_view type, std::string* why) {
  std::string_view s = trim(raw);
  auto fail = [&](const char* what) -> std::optional<Cell> {
    *why = std::string("'").append(raw.substr(0, 60)).append("' is not ").append(what);
    return std::nullopt;
  };
  if (type == "text") return Cell(std::string(raw));
  if (s.empty()) return Cell(std::monostate{});  // an empty cell of a typed column is null
  if (type == "int") {
    if (auto v = parse_int(s)) return Cell(*v);
    return fail("an integer");
  }
  if (type == "numeric") {
    if (auto v = parse_double(s)) return Cell(*v);
    return fail("a number");
  }
  if (type == "bool") {
    std::string l;
    for (char c : s) l += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (l == "true" || l == "t" || l == "yes" || l == "y" || l == "1") return Cell(true);
    if (l == "false" || l == "f" || l == "no" || l == "n" || l == "0") return Cell(false);
    return fail("a boolean");
  }
  std::string_view rest;
  auto date = parse_date(s, &rest);
  if (type == "date") {
    if (date && rest.empty()) return Cell(*date);
    return fail("a date (YYYY-MM-DD)");
  }
  if (type == "timestamp") {
    if (date && rest.empty()) return Cell(*date + "T00:00:00");
    if (date && rest.size() > 1 && (rest[0] == 'T' || rest[0] == ' ') && valid_time(rest.substr(1)))
      return Cell(*date + "T" + std::string(rest.substr(1)));
    return fail("a timestamp (YYYY-MM-DDTHH:MM:SS)");
  }
  *why = "unknown type '" + std::string(type) + "'";
  return std::nullopt;
}

}  // namespace

std::string cell_text(const Cell& value) {
  struct {
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return format_double(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return v; }
  } visit;
  return std::visit(visit, value);
}

std::optional<Cell> convert_cell(const Cell& value, std::string_view type, std::string* why) {
  if (std::holds_alternative<std::monostate>(value)) return value;
  if (const auto* s = std::get_if<std::string>(&value)) return from_text(*s, type, why);
  if (type == "text") return Cell(cell_text(value));
  if (const auto* b = std::get_if<bool>(&value)) {
    if (type == "bool") return value;
    if (type == "int") return Cell(std::int64_t{*b ? 1 : 0});
    *why = std::string("a boolean is not a ") + std::string(type);
    return std::nullopt;
  }
  if (const auto* i = std::get_if<std::int64_t>(&value)) {
    if (type == "int") return value;
    if (type == "numeric") return Cell(static_cast<double>(*i));
    if (type == "bool" && (*i == 0 || *i == 1)) return Cell(*i == 1);
    return from_text(std::to_string(*i), type, why);
  }
  double d = std::get<double>(value);
  if (type == "numeric") return value;
  if (type == "int" && std::trunc(d) == d && std::fabs(d) < 9.2e18)
    return Cell(static_cast<std::int64_t>(d));
  *why = format_double(d) + " is not " + (type == "int" ? "an integer" : "a " + std::string(type));
  return std::nullopt;
}

}  // namespace datamap::datastore
