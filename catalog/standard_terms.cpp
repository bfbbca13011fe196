#include "catalog/standard_terms.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "catalog/import/csv_reader.h"
#include "catalog/import/encoding.h"
#include "catalog/text.h"

namespace datamap::catalog {

namespace {

bool is_absent(std::string_view v) {
  v = trim(v);
  return v.empty() || v == "-";
}

std::vector<std::string> split_synonyms(std::string_view list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view item = trim(list.substr(start, comma - start));
    if (!is_absent(item)) out.emplace_back(item);
    start = comma + 1;
  }
  return out;
}

}  // namespace

std::vector<StandardTerm> read_standard_terms(const std::string& csv_path) {
  std::ifstream in(csv_path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read standard terms: " + csv_path);
  std::stringstream buf;
  buf << in.rdbuf();
  // The importer's CSV reading: any of UTF-8, UTF-8 with BOM or CP949; quoted multi-line fields.
  importer::Encoding encoding;
  std::string text = importer::to_utf8_text(buf.str(), encoding);
  std::vector<std::vector<std::string>> rows;
  importer::CsvReader reader(text);
  for (importer::CsvRecord record; reader.next(record);)
    if (record.error.empty()) rows.push_back(std::move(record.fields));
  if (rows.empty()) throw std::runtime_error("standard terms file is empty: " + csv_path);
  const auto& header = rows[0];
  auto column = [&](std::string_view name) -> std::int64_t {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (trim(header[i]) == name) return static_cast<std::int64_t>(i);
    return -1;
  };
  std::int64_t name_col = column("공통표준용어명");
  std::int64_t abbr_col = column("공통표준용어영문약어명");
  std::int64_t syn_col = column("용어 이음동의어 목록");
  std::int64_t domain_col = column("공통표준도메인명");
  if (name_col < 0)
    throw std::runtime_error("standard terms file lacks 공통표준용어명: " + csv_path);
  auto cell = [](const std::vector<std::string>& row, std::int64_t col) -> std::string_view {
    return (col >= 0 && static_cast<std::size_t>(col) < row.size()) ? std::string_view(row[col])
                                                                    : std::string_view();
  };
  std::vector<StandardTerm> terms;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::string_view name = trim(cell(rows[r], name_col));
    if (is_absent(name) || !is_valid_utf8(name)) continue;
    StandardTerm t;
    t.name = to_nfc(name);
    std::string_view abbr = trim(cell(rows[r], abbr_col));
    if (!is_absent(abbr)) t.abbreviation = std::string(abbr);
    std::string_view domain = trim(cell(rows[r], domain_col));
    if (!is_absent(domain) && is_valid_utf8(domain)) t.domain = to_nfc(domain);
    std::string_view syn = cell(rows[r], syn_col);
    if (is_valid_utf8(syn))
      for (auto& s : split_synonyms(syn))
        if (s != t.name) t.synonyms.push_back(to_nfc(s));
    terms.push_back(std::move(t));
  }
  return terms;
}

StandardTermIndex::StandardTermIndex(std::vector<StandardTerm> terms) {
  std::unordered_map<std::string, std::uint32_t> by_name;
  for (auto& t : terms) {
    auto [it, fresh] = by_name.emplace(t.name, static_cast<std::uint32_t>(terms_.size()));
    if (fresh) {
      terms_.push_back(std::move(t));
      continue;
    }
    StandardTerm& kept = terms_[it->second];
    for (auto& s : t.synonyms)
      if (std::find(kept.synonyms.begin(), kept.synonyms.end(), s) == kept.synonyms.end())
        kept.synonyms.push_back(std::move(s));
    if (kept.abbreviation.empty()) kept.abbreviation = t.abbreviation;
    if (kept.domain.empty()) kept.domain = t.domain;
  }
  // Names first, so that a string that is one term's name and another's synonym means the former.
  for (std::uint32_t id = 0; id < terms_.size(); ++id)
    exact_.emplace(to_lower_ascii(terms_[id].name), id);
  for (std::uint32_t id = 0; id < terms_.size(); ++id) {
    for (const auto& s : terms_[id].synonyms) exact_.emplace(to_lower_ascii(s), id);
    if (!terms_[id].abbreviation.empty())
      exact_.emplace(to_lower_ascii(terms_[id].abbreviation), id);
  }
}

std::shared_ptr<const StandardTermIndex> StandardTermIndex::load(const std::string& csv_path) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<const StandardTermIndex>> loaded;
  std::lock_guard lock(mu);
  std::weak_ptr<const StandardTermIndex>& slot = loaded[csv_path];
  if (auto index = slot.lock()) return index;
  auto index = std::make_shared<const StandardTermIndex>(read_standard_terms(csv_path));
  slot = index;
  return index;
}

std::int64_t StandardTermIndex::find(std::string_view text) const {
  auto it = exact_.find(to_lower_ascii(trim(text)));
  return it == exact_.end() ? -1 : static_cast<std::int64_t>(it->second);
}

}  // namespace datamap::catalog
