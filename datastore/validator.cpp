#include "datastore/validator.h"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>

#include <charconv>
#include <optional>

#include "catalog/text.h"
#include "datastore/cell_types.h"
#include "datastore/loader/profiler.h"
#include "datastore/loader/semantic.h"
#include "datastore/table_export.h"

namespace datamap::datastore {

using loader::Semantic;

namespace {

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
bool ends_with(std::string_view s, std::string_view e) {
  return s.size() >= e.size() && s.substr(s.size() - e.size()) == e;
}

// What the header and the standard term say a column holds. Addresses are left out: their
// recogniser tells address kinds apart, it does not judge a free-text address wrong.
std::optional<Semantic> expected_kind(std::string_view name, std::string_view term) {
  for (Semantic s : loader::header_hints(name, term))
    if (s != Semantic::road_address && s != Semantic::lot_address) return s;
  return std::nullopt;
}

// The domain's length: the digits after its type letter, e.g. "명V200" → 200, "연월일C8" → 8.
std::size_t domain_length(std::string_view domain) {
  std::size_t i = domain.find_last_of("VC");
  if (i == domain.npos) return 0;
  std::size_t n = 0;
  auto [p, ec] = std::from_chars(domain.data() + i + 1, domain.data() + domain.size(), n);
  return ec == std::errc() && p == domain.data() + domain.size() ? n : 0;
}

// Length in characters (UTF-8 lead bytes), as the standard counts 자리.
std::size_t chars(std::string_view v) {
  std::size_t n = 0;
  for (unsigned char c : v) n += (c & 0xC0) != 0x80;
  return n;
}

bool code_named(std::string_view name, std::string_view domain) {
  std::string n = catalog::to_lower_ascii(name);
  return ends_with(n, "코드") || ends_with(n, "구분") || ends_with(n, "code") ||
         ends_with(n, "_cd") || starts_with(domain, "코드");
}

// A code's identity for the consistency check: leading zeros, hyphens and white space dropped
// (the sketch's normalisation, so "2", "02" and "0-2" are one value).
std::string code_identity(std::string_view v) {
  std::string out;
  for (char c : v)
    if (c != '-' && c != ' ') out += c;
  std::size_t z = out.find_first_not_of('0');
  return z == std::string::npos ? std::string("0") : out.substr(z);
}

struct ColumnRule {
  std::string name;
  std::optional<Semantic> kind;
  bool yes_no = false;         // 여부/유무 domains: Y or N
  std::size_t max_length = 0;  // the domain's length, for text without another rule
  bool consistency = false;    // one code, one spelling
  std::string rule;
};

struct Tally {
  catalog::ColumnValidation v;
  absl::flat_hash_map<std::string, std::string> spelling;  // code identity → first spelling
};

std::string rule_of(const ColumnRule& r) {
  if (r.kind) return loader::semantic_id(*r.kind);
  if (r.yes_no) return "allowed_values";
  if (r.max_length) return "max_length";
  if (r.consistency) return "code_consistency";
  return "";
}

}  // namespace

struct Validator::Impl {
  ValidationOptions options;
  std::vector<ColumnRule> rules;
  std::vector<Tally> tallies;
  catalog::ResourceValidation summary;
  LoadFindings findings;  // the ragged rows, for the table to keep (table_store.h)
  absl::flat_hash_set<std::uint64_t> seen_rows;  // row hashes: one lookup per row
  std::size_t tracked = 0;

  void problem(std::size_t col, const char* kind, std::int64_t row, std::string_view value) {
    auto& problems = tallies[col].v.problems;
    catalog::ValidationProblem* p = nullptr;
    for (auto& x : problems)
      if (x.kind == kind) p = &x;
    if (!p) {
      problems.push_back({kind, 0, {}});
      p = &problems.back();
    }
    ++p->count;
    if (p->examples.size() < options.examples) p->examples.emplace_back(row, std::string(value));
  }

  // The problem kind of one non-empty value of column `col`, or null when it is fine.
  const char* check(std::size_t col, std::string_view v) {
    const ColumnRule& r = rules[col];
    if (r.kind) {
      Semantic k = *r.kind;
      if (!loader::value_fits(k, v)) {
        switch (k) {
          case Semantic::latitude:
          case Semantic::longitude: {
            double x = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
            return ec == std::errc() && p == v.data() + v.size() ? "out_of_korea" : "not_a_number";
          }
          case Semantic::date:
            return "date_format";
          case Semantic::phone:
            return "phone_format";
          case Semantic::email:
            return "email_format";
          case Semantic::url:
            return "url_format";
          case Semantic::business_reg_no: {
            std::string d;
            for (char c : v)
              if (c != '-') d += c;
            bool shaped = d.size() == 10 && d.find_first_not_of("0123456789") == d.npos;
            return shaped ? "check_digit" : "code_format";
          }
          default:
            return "code_format";
        }
      }
    } else if (r.yes_no) {
      if (v != "Y" && v != "N") return "not_allowed";
    } else if (r.max_length && chars(v) > r.max_length) {
      return "too_long";
    }
    if (r.consistency && tracked < options.max_tracked) {
      auto& spelling = tallies[col].spelling;
      auto [it, fresh] = spelling.try_emplace(code_identity(v), v);
      tracked += fresh;
      if (!fresh && it->second != v) return "inconsistent_code";
    }
    return nullptr;
  }
};

Validator::Validator(ValidationOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
Validator::~Validator() = default;

std::size_t Validator::columns() const {
  return impl_->rules.size();
}

void Validator::add_column(std::string_view name, const catalog::StandardTerm* term) {
  ColumnRule r;
  r.name = std::string(name);
  std::string_view term_name = term ? std::string_view(term->name) : std::string_view();
  std::string_view domain = term ? std::string_view(term->domain) : std::string_view();
  r.kind = expected_kind(name, term_name);
  if (!r.kind && starts_with(domain, "연월일C8")) r.kind = Semantic::date;
  r.yes_no = !r.kind && (starts_with(domain, "여부") || starts_with(domain, "유무"));
  if (!r.kind && !r.yes_no && domain.find('N') == domain.npos) r.max_length = domain_length(domain);
  r.consistency = (r.kind && loader::is_code(*r.kind)) || code_named(name, domain);
  r.rule = rule_of(r);
  impl_->rules.push_back(std::move(r));
  impl_->tallies.emplace_back();
  impl_->tallies.back().v.rule = impl_->rules.back().rule;
}

std::string Validator::add(const std::vector<std::string>& cells, std::int64_t row,
                           std::size_t width, std::size_t header_width) {
  std::vector<std::string_view> views(cells.begin(), cells.end());
  std::vector<std::uint64_t> hashes;
  hashes.reserve(views.size());
  for (auto v : views) hashes.push_back(loader::value_hash(loader::trim_value(v)));
  return add(views, hashes, impl_->rules.size(), row, width, header_width);
}

std::string Validator::add(const std::vector<std::string_view>& cells,
                           const std::vector<std::uint64_t>& hashes, std::size_t columns,
                           std::int64_t row, std::size_t width, std::size_t header_width) {
  Impl& m = *impl_;
  columns = std::min(columns, m.rules.size());
  std::string problems;
  auto note = [&](std::string_view column, std::string_view kind) {
    if (!problems.empty()) problems += "; ";
    problems.append(column).append(": ").append(kind);
  };
  ++m.summary.rows;
  if (width && header_width && width != header_width) {
    if (m.summary.ragged_examples.size() < m.options.examples)
      m.summary.ragged_examples.push_back(row);
    ++m.summary.ragged_rows;
    note("row", width < header_width ? "too_few_values" : "too_many_values");
    m.findings.header_width = header_width;
    ++m.findings.ragged_rows;
    if (m.findings.ragged.size() < LoadFindings::kMaxListed)
      m.findings.ragged.emplace_back(row, width);
  }
  // The row's hash for duplicate rows first (never stored: any good hash will do, and abseil's
  // takes 8 bytes a step where hash64's FNV takes one), and its entry in the set of rows seen
  // prefetched: a set of up to millions of rows misses the cache on every row (~3 % of a
  // load's CPU, waiting), and the checks below now run while the entry is fetched.
  static const std::uint64_t empty = loader::value_hash(std::string_view());
  std::uint64_t h = 0x9E3779B97F4A7C15ull;
  for (std::size_t i = 0; i < columns; ++i)
    h = (h ^ (i < cells.size() ? hashes[i] : empty)) * 0x100000001B3ull + i;
  if (m.tracked < m.options.max_tracked) m.seen_rows.prefetch(h);
  for (std::size_t i = 0; i < columns; ++i) {
    std::string_view v = i < cells.size() ? loader::trim_value(cells[i]) : std::string_view();
    auto& t = m.tallies[i].v;
    if (v.empty()) {
      ++t.missing;
      continue;
    }
    if (m.rules[i].rule.empty()) {
      ++t.valid;
      continue;
    }
    ++m.summary.checked_values;
    if (const char* kind = m.check(i, v)) {
      ++t.invalid;
      ++m.summary.invalid_values;
      m.problem(i, kind, row, v);
      note(m.rules[i].name, kind);
    } else {
      ++t.valid;
    }
  }
  if (m.tracked < m.options.max_tracked) {  // (the checks above may have reached the limit)
    if (m.seen_rows.insert(h).second) {
      ++m.tracked;
    } else {
      if (m.summary.duplicate_examples.size() < m.options.examples)
        m.summary.duplicate_examples.push_back(row);
      ++m.summary.duplicate_rows;
      note("row", "duplicate_row");
    }
  }
  if (!problems.empty()) ++m.summary.failing_rows;
  return problems;
}

const LoadFindings& Validator::load_findings() const {
  return impl_->findings;
}

void Validator::finish(std::vector<catalog::ColumnProfile>& columns,
                       catalog::ResourceValidation& summary) const {
  for (std::size_t i = 0; i < columns.size() && i < impl_->tallies.size(); ++i)
    columns[i].validation = impl_->tallies[i].v;
  summary = impl_->summary;
  summary.done = true;
}

std::unique_ptr<Validator> make_validator(const std::vector<catalog::ColumnProfile>& columns,
                                          const catalog::StandardTermIndex* terms,
                                          ValidationOptions options) {
  auto v = std::make_unique<Validator>(options);
  for (const auto& c : columns) {
    const catalog::StandardTerm* term = nullptr;
    if (terms) {
      auto id = terms->find(c.standard_term.empty() ? c.name : c.standard_term);
      if (id >= 0) term = &terms->term(static_cast<std::uint32_t>(id));
    }
    v->add_column(c.name, term);
  }
  return v;
}

catalog::ResourceValidation validate_table(
    TableStore& store, const std::string& resource_id, std::vector<catalog::ColumnProfile>& columns,
    const catalog::StandardTermIndex* terms,
    const std::function<void(std::int64_t, const std::vector<std::string>&, const std::string&)>&
        each_failing) {
  auto info = store.info(resource_id);
  SearchQuery q;
  q.resource_id = resource_id;
  if (info) {
    // The profile names the columns when it matches the table; otherwise the table does.
    bool matches = columns.size() == info->fields.size();
    for (std::size_t i = 0; matches && i < columns.size(); ++i)
      matches = columns[i].name == info->fields[i].id;
    if (!matches) {
      columns.clear();
      for (const auto& f : info->fields) {
        catalog::ColumnProfile p;
        p.name = f.id;
        p.type = f.type;
        p.standard_term = f.info.standard_term;
        columns.push_back(std::move(p));
      }
    }
    for (const auto& f : info->fields) q.fields.push_back(f.id);
  }
  auto validator = make_validator(columns, terms);
  // The table holds ragged rows padded or widened: the load's findings say which they were, and
  // each is fed with the width it had in the file, so it is reported as the load reported it.
  const LoadFindings findings = store.load_findings(resource_id);
  std::size_t next_ragged = 0;
  std::vector<std::string> cells;
  std::int64_t row = 0;
  store.scan(q, [&](const std::vector<Field>&, const Row& r) {
    cells.resize(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) cells[i] = cell_text(r[i]);
    ++row;
    std::size_t width = 0;
    if (next_ragged < findings.ragged.size() && findings.ragged[next_ragged].first == row)
      width = findings.ragged[next_ragged++].second;
    std::string problems = validator->add(cells, row, width, width ? findings.header_width : 0);
    if (!problems.empty() && each_failing) each_failing(row, cells, problems);
    return true;
  });
  catalog::ResourceValidation summary;
  validator->finish(columns, summary);
  // Past the listed ones, ragged rows are known by their count only.
  const auto unlisted = findings.ragged_rows - static_cast<std::int64_t>(findings.ragged.size());
  if (unlisted > 0) {
    summary.ragged_rows += unlisted;
    summary.failing_rows += unlisted;
  }
  return summary;
}

std::int64_t write_failing_rows(TableStore& store, const std::string& resource_id,
                                std::vector<catalog::ColumnProfile> columns,
                                const catalog::StandardTermIndex* terms, const std::string& path,
                                const ExportOptions& options) {
  auto exporter = make_table_exporter(path, options);
  bool begun = false;
  std::int64_t written = 0;
  Row out;
  validate_table(
      store, resource_id, columns, terms,
      [&](std::int64_t row, const std::vector<std::string>& cells, const std::string& problems) {
        if (!begun) {
          std::vector<Field> fields{{"_row", "int", {}}, {"_problems", "text", {}}};
          for (const auto& c : columns) fields.push_back({c.name, "text", {}});
          exporter->begin(fields);
          begun = true;
        }
        out.assign(1, row);
        out.emplace_back(problems);
        for (const auto& c : cells) out.emplace_back(c);
        exporter->row(out);
        ++written;
      });
  if (!begun) {  // a clean table: the header alone
    std::vector<Field> fields{{"_row", "int", {}}, {"_problems", "text", {}}};
    for (const auto& c : columns) fields.push_back({c.name, "text", {}});
    exporter->begin(fields);
  }
  exporter->finish();
  return written;
}

}  // namespace datamap::datastore
