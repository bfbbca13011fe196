#include "datastore/loader/profiler.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "catalog/text.h"

namespace datamap::datastore::loader {

namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// -?(0|[1-9][0-9]*) and at most 18 digits (fits int64 without checking overflow).
bool is_int(std::string_view v) {
  std::size_t i = v.size() && v[0] == '-' ? 1 : 0;
  std::size_t n = v.size() - i;
  if (n == 0 || n > 18) return false;
  if (v[i] == '0' && n > 1) return false;  // a leading zero: a code, kept as text
  for (std::size_t k = i; k < v.size(); ++k)
    if (!digit(v[k])) return false;
  return true;
}

// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? with at most 15 significant digits, so the
// double holds the value exactly as written.
bool is_numeric(std::string_view v) {
  std::size_t i = v.size() && v[0] == '-' ? 1 : 0;
  std::size_t start = i, digits = 0;
  while (i < v.size() && digit(v[i])) ++i, ++digits;
  if (digits == 0) return false;
  if (v[start] == '0' && digits > 1) return false;
  if (i < v.size() && v[i] == '.') {
    ++i;
    std::size_t frac = 0;
    while (i < v.size() && digit(v[i])) ++i, ++frac;
    if (frac == 0) return false;
    digits += frac;
  }
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    ++i;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    std::size_t exp = 0;
    while (i < v.size() && digit(v[i])) ++i, ++exp;
    if (exp == 0 || exp > 3) return false;
  }
  return i == v.size() && digits <= 15;
}

bool two(std::string_view v, std::size_t at, int lo, int hi) {
  if (!digit(v[at]) || !digit(v[at + 1])) return false;
  int n = (v[at] - '0') * 10 + (v[at + 1] - '0');
  return n >= lo && n <= hi;
}

bool is_iso_date(std::string_view v) {
  return v.size() == 10 && digit(v[0]) && digit(v[1]) && digit(v[2]) && digit(v[3]) &&
         v[4] == '-' && two(v, 5, 1, 12) && v[7] == '-' && two(v, 8, 1, 31);
}

// YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|±HH:MM]
bool is_iso_timestamp(std::string_view v) {
  if (v.size() < 16 || !is_iso_date(v.substr(0, 10)) || (v[10] != 'T' && v[10] != ' '))
    return false;
  if (!two(v, 11, 0, 23) || v[13] != ':' || !two(v, 14, 0, 59)) return false;
  std::size_t i = 16;
  if (i < v.size() && v[i] == ':') {
    if (i + 3 > v.size() || !two(v, i + 1, 0, 60)) return false;
    i += 3;
    if (i < v.size() && v[i] == '.') {
      ++i;
      std::size_t f = 0;
      while (i < v.size() && digit(v[i])) ++i, ++f;
      if (f == 0) return false;
    }
  }
  if (i < v.size() && v[i] == 'Z')
    ++i;
  else if (i < v.size() && (v[i] == '+' || v[i] == '-')) {
    if (i + 6 != v.size() || !two(v, i + 1, 0, 23) || v[i + 3] != ':' || !two(v, i + 4, 0, 59))
      return false;
    i += 6;
  }
  return i == v.size();
}

bool is_bool(std::string_view v) {
  if (v.size() != 4 && v.size() != 5) return false;
  std::string l(v);
  for (auto& c : l) c = static_cast<char>(c | 0x20);
  return l == "true" || l == "false";
}

std::string format_number(double d) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, p) : std::string();
}

bool code_like_name(std::string_view name) {
  std::string n = catalog::to_lower_ascii(name);
  for (std::string_view s : {"코드", "번호", "code", "_cd", "_no", "_id", "id"})
    if (n.size() >= s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0) return true;
  return false;
}

}  // namespace

std::string_view trim_value(std::string_view v) {
  while (!v.empty() &&
         (v.front() == ' ' || v.front() == '\t' || v.front() == '\r' || v.front() == '\n'))
    v.remove_prefix(1);
  while (!v.empty() &&
         (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n'))
    v.remove_suffix(1);
  return v;
}

unsigned fitting_types(std::string_view v) {
  unsigned t = 0;
  if (is_int(v))
    t |= kInt | kNumeric;
  else if (is_numeric(v))
    t |= kNumeric;
  if (is_bool(v)) t |= kBool;
  if (is_iso_date(v))
    t |= kDate | kTimestamp;
  else if (is_iso_timestamp(v))
    t |= kTimestamp;
  return t;
}

void to_cell(std::string_view raw, std::string_view type, Cell& out) {
  std::string_view v = trim_value(raw);
  if (v.empty()) {
    out = std::monostate{};
  } else if (type == "int") {
    std::int64_t i = 0;
    std::from_chars(v.data(), v.data() + v.size(), i);
    out = i;
  } else if (type == "numeric") {
    double d = 0;
    std::from_chars(v.data(), v.data() + v.size(), d);
    out = d;
  } else if (type == "bool") {
    out = (v[0] | 0x20) == 't';
  } else {
    if (type == "text") v = raw;  // date, timestamp: trimmed
    if (auto* s = std::get_if<std::string>(&out))
      s->assign(v);
    else
      out = std::string(v);
  }
}

Cell to_cell(std::string_view raw, std::string_view type) {
  Cell out;
  to_cell(raw, type, out);
  return out;
}

ColumnProfiler::ColumnProfiler(std::string name, std::string standard_term,
                               const LoadOptions& options, std::size_t distinct_budget)
    : name_(std::move(name)),
      term_(std::move(standard_term)),
      options_(options),
      budget_(distinct_budget) {
  auto hints = header_hints(name_, term_);
  for (int k = 0; k < kSemanticCount; ++k) {
    auto s = static_cast<Semantic>(k);
    bool hinted = std::find(hints.begin(), hints.end(), s) != hints.end();
    if (hinted || recognisable_from_values(s)) candidates_.push_back({s, hinted});
  }
  match_orgs_ = static_cast<bool>(options_.organization_by_code);
  if (match_orgs_ && std::none_of(candidates_.begin(), candidates_.end(),
                                  [](auto& c) { return c.kind == Semantic::org_code; }))
    candidates_.push_back({Semantic::org_code, false});
  sketching_ =
      code_like_name(name_) || std::any_of(candidates_.begin(), candidates_.end(),
                                           [](auto& c) { return c.hinted && is_code(c.kind); });
}

void ColumnProfiler::add_distinct(std::string_view v, std::uint64_t h) {
  // Exact while the values fit the budget; from then on the HyperLogLog (seeded with the values
  // counted so far) estimates, and only the values already counted keep counting (top values).
  auto it = counts_.find(h);
  if (it != counts_.end()) {
    ++it->second.count;
    return;
  }
  if (overflow_) {
    hll_.add(hash64(v));
    return;
  }
  bytes_ += v.size() + 64;
  if (bytes_ > budget_ || values_.size() + v.size() > UINT32_MAX) {
    overflow_ = true;
    for (const auto& [hash, d] : counts_) hll_.add(hash64(text_of(d)));
    hll_.add(hash64(v));
    return;
  }
  counts_.emplace(h, Distinct{1, static_cast<std::uint32_t>(ends_.size())});
  values_.append(v);
  ends_.push_back(static_cast<std::uint32_t>(values_.size()));
}

void ColumnProfiler::add(std::string_view raw) {
  std::string_view v = trim_value(raw);
  if (!v.empty()) add_trimmed(v, ViewHash{}(v));
}

void ColumnProfiler::add(const std::vector<std::string_view>& raw,
                         const std::vector<std::uint64_t>& hashes) {
  for (std::size_t i = 0; i < raw.size(); ++i) counts_.prefetch(hashes[i]);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string_view v = trim_value(raw[i]);
    if (!v.empty()) add_trimmed(v, hashes[i]);
  }
}

void ColumnProfiler::add_trimmed(std::string_view v, std::uint64_t hash) {
  ++nonempty_;
  max_len_ = std::max(max_len_, v.size());
  if (types_) types_ &= fitting_types(v);
  if (types_ & kNumeric) {
    double d = 0;
    std::from_chars(v.data(), v.data() + v.size(), d);
    if (!have_num_ || d < min_num_) min_num_ = d;
    if (!have_num_ || d > max_num_) max_num_ = d;
    have_num_ = true;
  }
  if (nonempty_ == 1 || v < min_text_) min_text_.assign(v.substr(0, 256));
  if (nonempty_ == 1 || v > max_text_) max_text_.assign(v.substr(0, 256));
  add_distinct(v, hash);
  if (sketching_) {
    std::uint64_t h = BottomK::normalised_hash(v);
    sketch_.add_hash(h);
    if (!exact_overflow_) {
      ++exact_[h];
      if (exact_.size() > catalog::ColumnProfile::kExactValuesMax) {
        exact_overflow_ = true;
        exact_.clear();
      }
    }
  }
  for (auto& c : candidates_) {
    if (c.dropped) continue;
    bool fits = value_fits(c.kind, v);
    c.fits += fits;
    c.plausible += (c.kind == Semantic::latitude || c.kind == Semantic::longitude)
                       ? plausible_value(c.kind, v)
                       : fits;
    if (c.kind == Semantic::org_code && match_orgs_ && fits) {
      auto it = org_of_code_.find(v);
      if (it == org_of_code_.end() && org_of_code_.size() < 100000)
        it = org_of_code_.emplace(std::string(v), options_.organization_by_code(v)).first;
      if (it != org_of_code_.end() && !it->second.empty()) ++org_matches_;
    }
    // Early out: a kind that a tenth of the first thousand values do not fit is not chosen
    // from values alone (it needs nine in ten).
    if (nonempty_ == 1000 && !c.hinted && c.fits < 900) c.dropped = true;
  }
}

const char* type_name(unsigned t) {
  return (t & kInt)         ? "int"
         : (t & kNumeric)   ? "numeric"
         : (t & kBool)      ? "bool"
         : (t & kDate)      ? "date"
         : (t & kTimestamp) ? "timestamp"
                            : "text";
}

const char* ColumnProfiler::type() const {
  return type_name(type_bits());
}

catalog::ColumnProfile ColumnProfiler::finish(std::int64_t rows) {
  catalog::ColumnProfile p;
  p.name = name_;
  p.standard_term = term_;
  p.rows = rows;
  p.nulls = rows - nonempty_;
  p.type = type();
  p.distinct_estimated = overflow_;
  p.distinct = overflow_ ? static_cast<std::int64_t>(std::llround(hll_.estimate()))
                         : static_cast<std::int64_t>(counts_.size());
  if (nonempty_ > 0) {
    if ((p.type == "int" || p.type == "numeric") && have_num_) {
      p.min = p.type == "int" ? std::to_string(static_cast<std::int64_t>(min_num_))
                              : format_number(min_num_);
      p.max = p.type == "int" ? std::to_string(static_cast<std::int64_t>(max_num_))
                              : format_number(max_num_);
    } else {
      p.min = min_text_;
      p.max = max_text_;
    }
  }
  std::vector<const Distinct*> top;
  top.reserve(counts_.size());
  for (const auto& e : counts_) top.push_back(&e.second);
  std::size_t keep = std::min<std::size_t>(10, top.size());
  std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(keep), top.end(),
                    [this](const Distinct* a, const Distinct* b) {
                      return a->count != b->count ? a->count > b->count : text_of(*a) < text_of(*b);
                    });
  // A column where every value is distinct has no "top" values worth showing.
  if (!(keep > 0 && top.front()->count == 1 && nonempty_ > 10))
    for (std::size_t i = 0; i < keep; ++i)
      p.top_values.emplace_back(std::string(text_of(*top[i])), top[i]->count);

  // The semantic type: the best-fitting candidate; a hinted one needs half the values, one
  // recognised from values alone nine in ten. Coordinates need numbers in the WGS84 range.
  const Candidate* best = nullptr;
  double best_score = 0;
  for (const auto& c : candidates_) {
    if (c.dropped || nonempty_ == 0) continue;
    double fit = static_cast<double>(c.fits) / static_cast<double>(nonempty_);
    double plausible = static_cast<double>(c.plausible) / static_cast<double>(nonempty_);
    bool ok = false;
    if (c.kind == Semantic::latitude || c.kind == Semantic::longitude)
      ok = c.hinted && plausible >= 0.9 && p.type == "numeric";
    else if (c.kind == Semantic::org_code)
      ok = (c.hinted && fit >= 0.5) || (match_orgs_ && static_cast<double>(org_matches_) >=
                                                           0.9 * static_cast<double>(nonempty_));
    else if (c.kind == Semantic::date)
      ok = p.type == "date" || p.type == "timestamp" || (c.hinted && fit >= 0.9);
    else
      ok = c.hinted ? fit >= 0.5 : fit >= 0.9;
    double score = fit + (c.hinted ? 1 : 0);
    if (ok && score > best_score) best = &c, best_score = score;
  }
  if (best) {
    p.semantic_type = semantic_id(best->kind);
    p.invalid = nonempty_ - best->fits;
    if (best->kind == Semantic::org_code && match_orgs_) {
      std::set<std::string> orgs;
      for (auto& [code, org] : org_of_code_)
        if (!org.empty()) orgs.insert(org);
      p.organizations.assign(orgs.begin(), orgs.end());
    }
  }
  bool code = (best && is_code(best->kind)) ||
              ((p.type == "int" || p.type == "text") && max_len_ <= 32 && code_like_name(name_));
  if (code && sketching_ && nonempty_ > 0) {
    p.sketch = sketch_.sorted();
    if (!exact_overflow_) {
      p.value_counts.assign(exact_.begin(), exact_.end());
      std::sort(p.value_counts.begin(), p.value_counts.end());
    }
  }
  return p;
}

}  // namespace datamap::datastore::loader
