#include "datastore/loader/semantic.h"

#include <charconv>
#include <string>

#include "catalog/text.h"

namespace datamap::datastore::loader {

namespace {

bool contains(std::string_view h, std::string_view what) {
  return h.find(what) != h.npos;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view v) {
  if (v.empty()) return false;
  for (char c : v)
    if (!is_digit(c)) return false;
  return true;
}

bool parse_double(std::string_view v, double& out) {
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && p == v.data() + v.size();
}

// 시도 code prefixes of 법정동코드 / 행정동코드 (including 강원·전북특별자치도's new 51, 52).
bool sido_prefix(std::string_view v) {
  static const char* kSido[] = {"11", "26", "27", "28", "29", "30", "31", "36", "41", "42",
                                "43", "44", "45", "46", "47", "48", "50", "51", "52"};
  for (const char* s : kSido)
    if (v.substr(0, 2) == s) return true;
  return false;
}

bool ends_with(std::string_view s, std::string_view e) {
  return s.size() >= e.size() && s.substr(s.size() - e.size()) == e;
}

// A word ending in one of `suffixes` followed by a space and a number ("화랑로 124",
// "부평동 747-3", "대흥동 산35").
bool word_then_number(std::string_view v, std::initializer_list<std::string_view> suffixes) {
  for (std::size_t i = v.find(' '); i != v.npos; i = v.find(' ', i + 1)) {
    std::string_view before = v.substr(0, i);
    std::string_view after = v.substr(i + 1);
    if (after.substr(0, 3) == "산") after.remove_prefix(3);
    if (after.empty() || !is_digit(after[0])) continue;
    for (auto s : suffixes)
      if (ends_with(before, s)) return true;
  }
  return false;
}

bool is_phone(std::string_view v) {
  std::string n;
  for (char c : v) {
    if (c == ' ' || c == '(') continue;
    n += (c == ')' || c == '.') ? '-' : c;
  }
  int digits = 0, groups = 1;
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (is_digit(n[i]))
      ++digits;
    else if (n[i] == '-' && i > 0 && i + 1 < n.size() && n[i - 1] != '-')
      ++groups;
    else
      return false;
  }
  if (n.empty() || groups > 3) return false;
  if (n[0] == '0') return digits >= 9 && digits <= 11;  // 02-123-4567, 010-1234-5678
  return digits == 8 && (groups == 2 || n[0] == '1');   // 1588-1234, 262-9220 style locals
}

bool is_email(std::string_view v) {
  auto at = v.find('@');
  if (at == v.npos || at == 0 || v.find('@', at + 1) != v.npos) return false;
  std::string_view domain = v.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == domain.npos || dot == 0 || dot + 1 >= domain.size()) return false;
  return v.find(' ') == v.npos;
}

bool is_url(std::string_view v) {
  std::string l = catalog::to_lower_ascii(v.substr(0, 8));
  return (l.rfind("http://", 0) == 0 || l.rfind("https://", 0) == 0 || l.rfind("www.", 0) == 0) &&
         v.find(' ') == v.npos;
}

bool is_date(std::string_view v) {
  // YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD, YYYYMMDD; an optional time after a space or 'T'.
  std::string_view d = v.substr(0, v.find_first_of(" T"));
  std::string digits;
  for (char c : d) {
    if (is_digit(c))
      digits += c;
    else if (c != '-' && c != '.' && c != '/')
      return false;
  }
  if (digits.size() != 8 || (d.size() != 8 && d.size() != 10)) return false;
  int y = std::stoi(digits.substr(0, 4)), m = std::stoi(digits.substr(4, 2)),
      day = std::stoi(digits.substr(6, 2));
  return y >= 1000 && y <= 2999 && m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

}  // namespace

const char* semantic_id(Semantic s) {
  static const char* kIds[] = {"latitude",
                               "longitude",
                               "legal_dong_code",
                               "admin_dong_code",
                               "business_reg_no",
                               "postal_code",
                               "phone",
                               "road_address",
                               "lot_address",
                               "org_code",
                               "email",
                               "url",
                               "date"};
  return kIds[static_cast<int>(s)];
}

std::vector<Semantic> header_hints(std::string_view header, std::string_view term) {
  std::vector<Semantic> out;
  for (std::string_view raw : {header, term}) {
    if (raw.empty()) continue;
    std::string h;
    for (char c : catalog::to_lower_ascii(raw))
      if (c != ' ' && c != '_' && c != '-') h += c;
    auto add = [&](Semantic s) {
      for (auto x : out)
        if (x == s) return;
      out.push_back(s);
    };
    if (contains(h, "위도") || contains(h, "latitude") || h == "lat" || h == "ypos")
      add(Semantic::latitude);
    if (contains(h, "경도") || contains(h, "longitude") || h == "lon" || h == "lng" || h == "xpos")
      add(Semantic::longitude);
    if (contains(h, "법정동") || contains(h, "bjdong") || contains(h, "legaldong") ||
        contains(h, "stdgcd"))
      add(Semantic::legal_dong_code);
    if (contains(h, "행정동") || contains(h, "hjdong") || contains(h, "admcd") ||
        contains(h, "admdong"))
      add(Semantic::admin_dong_code);
    if (contains(h, "사업자") || contains(h, "brno") || contains(h, "bizno") ||
        contains(h, "bizrno"))
      add(Semantic::business_reg_no);
    if (contains(h, "우편번호") || contains(h, "zip") || contains(h, "postcode") ||
        contains(h, "postal"))
      add(Semantic::postal_code);
    if (contains(h, "전화") || contains(h, "연락처") || contains(h, "팩스") || contains(h, "tel") ||
        contains(h, "phone") || contains(h, "fax"))
      add(Semantic::phone);
    if (contains(h, "도로명")) add(Semantic::road_address);
    if (contains(h, "지번")) add(Semantic::lot_address);
    if (contains(h, "주소") || contains(h, "addr")) {
      add(Semantic::road_address);
      add(Semantic::lot_address);
    }
    if (contains(h, "기관코드") || contains(h, "insttcode") || contains(h, "orgcode") ||
        contains(h, "insttcd"))
      add(Semantic::org_code);
    if (contains(h, "메일") || contains(h, "email")) add(Semantic::email);
    if (contains(h, "url") || contains(h, "홈페이지") || contains(h, "homepage") ||
        contains(h, "링크") || contains(h, "사이트"))
      add(Semantic::url);
    if (ends_with(h, "일자") || contains(h, "날짜") || contains(h, "date") ||
        ends_with(h, "일시") || ends_with(h, "고시일") || ends_with(h, "ymd") || ends_with(h, "dt"))
      add(Semantic::date);
  }
  return out;
}

bool recognisable_from_values(Semantic s) {
  switch (s) {
    case Semantic::business_reg_no:
    case Semantic::phone:
    case Semantic::road_address:
    case Semantic::lot_address:
    case Semantic::email:
    case Semantic::url:
    case Semantic::date:
      return true;
    default:
      return false;
  }
}

bool is_code(Semantic s) {
  return s == Semantic::legal_dong_code || s == Semantic::admin_dong_code ||
         s == Semantic::business_reg_no || s == Semantic::postal_code || s == Semantic::org_code;
}

bool valid_business_number(std::string_view v) {
  std::string d;
  for (char c : v)
    if (c != '-') d += c;
  if (d.size() != 10 || !all_digits(d)) return false;
  static const int w[] = {1, 3, 7, 1, 3, 7, 1, 3, 5};
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (d[i] - '0') * w[i];
  sum += ((d[8] - '0') * 5) / 10;
  return (10 - sum % 10) % 10 == d[9] - '0';
}

bool in_korea(Semantic s, double x) {
  if (s == Semantic::latitude) return x >= 33.0 && x <= 39.0;
  if (s == Semantic::longitude) return x >= 124.0 && x <= 132.0;
  return false;
}

bool plausible_value(Semantic s, std::string_view v) {
  double x = 0;
  if (s == Semantic::latitude) return parse_double(v, x) && x >= -90 && x <= 90;
  if (s == Semantic::longitude) return parse_double(v, x) && x >= -180 && x <= 180;
  return value_fits(s, v);
}

bool value_fits(Semantic s, std::string_view v) {
  double x = 0;
  switch (s) {
    case Semantic::latitude:
    case Semantic::longitude:
      return parse_double(v, x) && in_korea(s, x);
    case Semantic::legal_dong_code:
    case Semantic::admin_dong_code:
      return v.size() == 10 && all_digits(v) && sido_prefix(v);
    case Semantic::business_reg_no:
      return valid_business_number(v);
    case Semantic::postal_code:
      return (v.size() == 5 && all_digits(v)) ||
             (v.size() == 7 && v[3] == '-' && all_digits(v.substr(0, 3)) &&
              all_digits(v.substr(4)));
    case Semantic::phone:
      return is_phone(v);
    case Semantic::road_address:
      return word_then_number(v, {"로", "길"});
    case Semantic::lot_address:
      return !word_then_number(v, {"로", "길"}) && word_then_number(v, {"동", "리", "가"});
    case Semantic::org_code: {
      if (v.size() != 7) return false;
      for (char c : v)
        if (!is_digit(c) && !(c >= 'A' && c <= 'Z')) return false;
      return true;
    }
    case Semantic::email:
      return is_email(v);
    case Semantic::url:
      return is_url(v);
    case Semantic::date:
      return is_date(v);
  }
  return false;
}

}  // namespace datamap::datastore::loader
