// load_file's two passes (see loader.h). The readers (loader/record_reader.h) turn any format into
// records of text cells; this file decides the header, keeps ragged rows, profiles the columns
// (loader/profiler.h) and writes the typed rows.
#include "datastore/loader.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <unordered_set>

#include "catalog/text.h"
#include "datastore/loader/archive.h"
#include "datastore/loader/format.h"
#include "datastore/loader/profiler.h"
#include "datastore/loader/record_reader.h"
#include "datastore/loader/row_batch.h"
#include "datastore/loader/table_feed.h"
#include "datastore/validator.h"

namespace datamap::datastore {

namespace {

using loader::Format;

constexpr std::size_t kProfileBytesTotal = std::size_t{256} << 20;
constexpr std::int64_t kProgressEvery = 4096;

// A file that lives as long as the load: a zip's extracted member.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& dir) {
    std::string base = dir.empty() ? std::filesystem::temp_directory_path().string() : dir;
    std::string tmpl = base + "/datamap-load-XXXXXX";
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw LoadError("cannot create a temporary file in " + base);
    ::close(fd);
    path = tmpl;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

struct Input {
  std::string path;
  Format format = Format::csv;
  std::string hint;
  std::string prefix;  // "ZIP/" for a zip's member
  std::unique_ptr<TempFile> temp;
};

std::string read_head(const std::string& path, std::size_t n = 8192) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw LoadError("cannot open the file");
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

Format sniff(const std::string& path, std::string_view hint, const LoadLimits& limits,
             std::vector<loader::ArchiveMember>* members) {
  std::string head = read_head(path);
  bool zip = head.rfind("PK\x03\x04", 0) == 0 || head.rfind("PK\x05\x06", 0) == 0;
  std::vector<loader::ArchiveMember> found;
  if (zip) found = loader::check_archive(path, limits);  // the bomb check, before anything else
  Format f = loader::sniff_format(head, hint, zip && loader::is_xlsx_package(found));
  if (members) *members = std::move(found);
  return f;
}

Input prepare(const std::string& path, std::string_view hint, const LoadOptions& options) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) throw LoadError("cannot open the file");
  if (options.limits.max_file_bytes && size > options.limits.max_file_bytes)
    throw LoadError("the file is " + std::to_string(size) + " bytes; the limit is " +
                    std::to_string(options.limits.max_file_bytes));
  Input in;
  in.path = path;
  in.hint = std::string(hint);
  std::vector<loader::ArchiveMember> members;
  in.format = sniff(path, hint, options.limits, &members);
  if (in.format != Format::zip) return in;
  const auto& member = loader::tabular_member(members);
  in.temp = std::make_unique<TempFile>(options.temp_dir);
  loader::extract_member(path, member.name, in.temp->path, options.limits);
  in.path = in.temp->path;
  in.hint = member.name;
  in.prefix = "ZIP/";
  in.format = sniff(in.path, member.name, options.limits, nullptr);
  if (in.format == Format::zip) throw LoadError("the zip holds another zip (" + member.name + ")");
  return in;
}

std::unique_ptr<loader::RecordReader> open_reader(const Input& in, const LoadLimits& limits) {
  switch (in.format) {
    case Format::csv:
    case Format::tsv:
      return loader::open_csv_reader(in.path, in.hint, limits);
    case Format::xlsx:
    case Format::xls:
      return loader::open_spreadsheet_reader(in.path, in.format, limits);
    case Format::json:
      return loader::open_json_reader(in.path, limits);
    case Format::zip:
      break;
  }
  throw LoadError("unsupported format");
}

// Korean typed on macOS arrives decomposed (jamo U+1100–U+11FF, combining marks U+0300–U+036F):
// only then is the costly NFC pass needed.
bool may_need_nfc(std::string_view s) {
  // Every value of a file is checked and almost none needs it: first one branch-free pass for
  // any of the three lead bytes, then the exact test only where one is.
  bool lead = false;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    lead |= (c == 0xE1) | (c == 0xCC) | (c == 0xCD);
  }
  if (!lead) return false;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    auto n = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xE1 && n >= 0x84 && n <= 0x87) || c == 0xCC || c == 0xCD) return true;
  }
  return false;
}

void normalise(std::string& s) {
  if (may_need_nfc(s) && catalog::is_valid_utf8(s)) s = catalog::to_nfc(s);
}

// The first record is data, not names, when at least half its values are numbers or dates.
bool looks_like_header(const std::vector<std::string>& first) {
  int nonempty = 0, typed = 0;
  for (const auto& c : first) {
    auto v = loader::trim_value(c);
    if (v.empty()) continue;
    ++nonempty;
    typed +=
        (loader::fitting_types(v) & (loader::kNumeric | loader::kDate | loader::kTimestamp)) != 0;
  }
  return nonempty > 0 && typed * 2 < nonempty;
}

std::string column_name(std::string raw, std::size_t index,
                        std::unordered_set<std::string>& taken) {
  normalise(raw);
  std::string name(catalog::trim(raw));
  if (name.size() > 256) name.resize(256);
  while (!name.empty() && !catalog::is_valid_utf8(name)) name.pop_back();  // cut mid-character
  if (name.empty()) name = "column_" + std::to_string(index + 1);
  std::string unique = name;
  for (int k = 2; !taken.insert(unique).second; ++k) unique = name + "_" + std::to_string(k);
  return unique;
}

void check_abort(const LoadOptions& o) {
  if (o.abort && o.abort->load()) throw LoadError("load aborted");
}

// The columns the table gets a B-tree index on, so that a filter or sort on any column a user
// would filter on is answered from an index (unindexed, a filter scans every row: about a
// second at 1M rows). In this order:
//  1. codes by semantic type (법정동코드, 행정동코드, 제공기관코드, 우편번호, 사업자등록번호),
//  2. categorical columns: 2 to max(100, rows / 10) distinct values (구분, 유형, 시도명 ...),
//  3. every other column of 2 or more distinct values: numbers and dates (ranges, sorts), then
//     names, addresses, phone numbers and the rest (exact filters; `q` is the full text's),
// each step in table order, at most kMaxAutoIndexes in all. Coordinates have the R*Tree; a column
// of one value is no use to filter on. The store builds these after the rows are queryable (the
// load's last phase) at about 1 s CPU each at 1M rows, and join-key indexes for the first
// kJoinKeyIndexes only (steps 1 and 2: the columns tables are joined on).
constexpr std::size_t kMaxAutoIndexes = 40;

std::vector<std::string> index_columns(const std::vector<catalog::ColumnProfile>& columns,
                                       std::int64_t rows) {
  static const std::unordered_set<std::string> codes = {
      "legal_dong_code", "admin_dong_code", "org_code", "postal_code", "business_reg_no"};
  static const std::unordered_set<std::string> not_categories = {
      "latitude", "longitude", "phone", "road_address", "lot_address", "email", "url"};
  const std::int64_t most = std::max<std::int64_t>(100, rows / 10);
  auto is_code = [&](const catalog::ColumnProfile& c) { return codes.count(c.semantic_type) > 0; };
  auto is_category = [&](const catalog::ColumnProfile& c) {
    return !is_code(c) && !not_categories.count(c.semantic_type) && c.distinct <= most;
  };
  auto is_number = [&](const catalog::ColumnProfile& c) { return c.type != "text"; };
  auto is_point = [&](const catalog::ColumnProfile& c) {
    return c.semantic_type == "latitude" || c.semantic_type == "longitude";
  };
  std::vector<std::string> out;
  std::unordered_set<std::string> taken;
  auto take = [&](auto&& wanted) {
    for (const auto& c : columns)
      if (out.size() < kMaxAutoIndexes && c.distinct >= 2 && !is_point(c) && wanted(c) &&
          taken.insert(c.name).second)
        out.push_back(c.name);
  };
  take(is_code);
  take(is_category);
  take(is_number);
  take([](const catalog::ColumnProfile&) { return true; });
  return out;
}

struct Profile {
  Input input;
  LoadResult result;
  bool header = true;
  LoadFindings findings;  // kept with the table (its ragged rows)
  std::uint64_t bytes = 0;  // of the input, read
};

// `feed`, when given, writes the rows into the new table as they are profiled.
Profile first_pass(const std::string& path, std::string_view hint, const LoadOptions& o,
                   loader::TableFeed* feed = nullptr) {
  Profile out{prepare(path, hint, o), {}, true, {}, 0};
  auto reader = open_reader(out.input, o.limits);
  std::vector<std::string> names;
  std::unordered_set<std::string> taken;
  std::vector<std::unique_ptr<loader::ColumnProfiler>> columns;
  Validator validator;  // in the same pass: the values are read once
  std::size_t header_width = 0;
  bool first = true;
  std::int64_t rows = 0, short_rows = 0, long_rows = 0, first_short = 0, first_long = 0;
  const bool keyed = out.input.format == Format::json;

  auto add_column = [&](std::string name) {
    if (columns.size() >= o.limits.max_columns)
      throw LoadError("more than " + std::to_string(o.limits.max_columns) + " columns", 0,
                      static_cast<std::int64_t>(o.limits.max_columns) + 1);
    name = column_name(std::move(name), columns.size(), taken);
    std::string term;
    const catalog::StandardTerm* standard = nullptr;
    if (o.standard_terms) {
      auto id = o.standard_terms->find(name);
      if (id >= 0) standard = &o.standard_terms->term(static_cast<std::uint32_t>(id));
      if (standard) term = standard->name;
    }
    validator.add_column(name, standard);
    std::size_t budget = std::min(o.limits.distinct_bytes_per_column,
                                  kProfileBytesTotal / std::max<std::size_t>(1, header_width));
    columns.push_back(std::make_unique<loader::ColumnProfiler>(name, term, o, budget));
    names.push_back(std::move(name));
  };

  // Profiled column by column a batch at a time (loader/row_batch.h), validated row by row,
  // then handed to the feed, which must only see rows the profile has seen. Each value is
  // hashed once, for the profile's distinct values and the validator's duplicate rows.
  loader::RowBatch batch;
  std::vector<std::size_t> batch_columns;  // per row of the batch: the columns when it was read
  std::vector<std::string_view> views;
  std::vector<std::uint64_t> hashes, row_hashes;
  std::vector<std::uint64_t> cell_hashes;  // [row][column], a batch's
  auto profile_batch = [&] {
    const std::size_t n = batch.rows(), width = columns.size();
    cell_hashes.resize(n * width);
    for (std::size_t c = 0; c < width; ++c) {
      views.clear();
      hashes.clear();
      for (std::size_t r = 0; r < n; ++r)
        if (c < batch.width(r)) {
          views.push_back(batch.cell(r, c));
          hashes.push_back(loader::value_hash(loader::trim_value(views.back())));
          cell_hashes[r * width + c] = hashes.back();
        }
      columns[c]->add(views, hashes);
    }
    const auto first_row = rows - static_cast<std::int64_t>(n) + 1;
    for (std::size_t r = 0; r < n; ++r) {
      batch.cells(r, views);
      row_hashes.assign(cell_hashes.begin() + static_cast<std::ptrdiff_t>(r * width),
                        cell_hashes.begin() + static_cast<std::ptrdiff_t>(r * width + views.size()));
      validator.add(views, row_hashes, batch_columns[r], first_row + static_cast<std::int64_t>(r),
                    views.size(), keyed ? 0 : header_width);
    }
    batch_columns.clear();
    if (feed) feed->add(batch, columns);
    batch.clear();
  };

  loader::RecordFn each = [&](std::vector<std::string>& cells, std::int64_t line) {
    if (first) {
      first = false;
      if (!keyed) {
        out.header = looks_like_header(cells);
        header_width = cells.size();
        if (out.header) {
          for (auto& c : cells) add_column(std::move(c));
          return true;
        }
        for (std::size_t i = 0; i < cells.size(); ++i) add_column("");
      }
    }
    if (keyed) {
      const auto& keys = *reader->column_names();  // a JSON reader always has them
      header_width = keys.size();
      while (columns.size() < keys.size()) add_column(keys[columns.size()]);
    } else if (cells.size() != header_width) {
      if (cells.size() < header_width) {
        if (short_rows++ == 0) first_short = line;
      } else if (long_rows++ == 0) {
        first_long = line;
      }
      while (columns.size() < cells.size()) add_column("");
    }
    ++rows;
    if (o.limits.max_rows >= 0 && rows > o.limits.max_rows)
      throw LoadError("more than " + std::to_string(o.limits.max_rows) + " rows", line);
    if (reader->may_hold_decomposed())  // (the CSV reader knows when none can: most files)
      for (auto& c : cells) normalise(c);
    batch.add(cells);
    batch_columns.push_back(columns.size());
    if (batch.full()) profile_batch();
    if (rows % kProgressEvery == 0) {
      check_abort(o);
      if (o.progress) o.progress({"profile", rows, reader->bytes_read(), 0});
    }
    return true;
  };
  reader->read(each);
  profile_batch();
  if (first && !keyed) throw LoadError("the file has no rows");
  out.bytes = reader->bytes_read();
  if (o.progress) o.progress({"profile", rows, out.bytes, 0});

  LoadResult& r = out.result;
  r.rows = rows;
  r.format = out.input.prefix + loader::format_name(out.input.format);
  if (out.input.format == Format::csv && reader->delimiter == "\t")
    r.format = out.input.prefix + "TSV";
  r.encoding = reader->encoding;
  r.delimiter = reader->delimiter;
  r.header_row = out.header && !keyed ? true : keyed;
  r.warnings = reader->warnings;
  if (!out.header && !keyed)
    r.warnings.push_back(
        "the first row holds data, not column names: columns are named column_1, column_2, ...");
  if (short_rows)
    r.warnings.push_back(std::to_string(short_rows) +
                         " row(s) have fewer values than the header (the first at line " +
                         std::to_string(first_short) + "): the missing values are empty");
  if (long_rows)
    r.warnings.push_back(
        std::to_string(long_rows) + " row(s) have more values than the header (the first at line " +
        std::to_string(first_long) + "): the extra values are kept in columns " +
        names[header_width] + (columns.size() > header_width + 1 ? " to " + names.back() : ""));
  std::string lat, lon;
  for (auto& c : columns) {
    r.columns.push_back(c->finish(rows));
    const auto& p = r.columns.back();
    if (p.distinct_estimated)
      r.warnings.push_back(
          "column " + p.name +
          ": too many distinct values to count exactly; the distinct count is an estimate");
    if (p.semantic_type == "latitude" && lat.empty()) lat = p.name;
    if (p.semantic_type == "longitude" && lon.empty()) lon = p.name;
  }
  if (!lat.empty() && !lon.empty()) r.table.point = std::make_pair(lat, lon);
  r.table.indexes = index_columns(r.columns, rows);
  validator.finish(r.columns, r.validation);
  out.findings = validator.load_findings();
  return out;
}

}  // namespace

LoadResult profile_file(const std::string& path, std::string_view format_hint,
                        const LoadOptions& options) {
  return first_pass(path, format_hint, options).result;
}

namespace {

// The second pass (when the feed gave up): the file again, typed with the final profile.
std::unique_ptr<TableWriter> second_pass(const Profile& profile, const std::vector<Field>& fields,
                                         TableStore& store, const std::string& resource_id,
                                         const LoadOptions& options) {
  const LoadResult& r = profile.result;
  auto writer = store.replace_table(resource_id, fields, r.table);
  auto reader = open_reader(profile.input, options.limits);
  bool skip = profile.header && profile.input.format != Format::json;
  Row row(fields.size());
  std::int64_t rows = 0;
  reader->read([&](std::vector<std::string>& cells, std::int64_t) {
    if (skip) {
      skip = false;
      return true;
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i < cells.size()) {
        if (reader->may_hold_decomposed()) normalise(cells[i]);
        loader::to_cell(cells[i], fields[i].type, row[i]);
      } else {
        row[i] = std::monostate{};
      }
    }
    writer->append(row);
    if (++rows % kProgressEvery == 0) {
      check_abort(options);
      if (options.progress) options.progress({"load", rows, reader->bytes_read(), 0});
    }
    return true;
  });
  if (rows != r.rows)
    throw LoadError("the file changed during the load (" + std::to_string(r.rows) + " rows, then " +
                    std::to_string(rows) + ")");
  return writer;
}

}  // namespace

LoadResult load_file(const std::string& path, std::string_view format_hint, TableStore& store,
                     const std::string& resource_id, const LoadOptions& options) {
  loader::TableFeed feed(store, resource_id, options.type_sample_bytes, options.write_thread);
  Profile profile = first_pass(path, format_hint, options, &feed);
  LoadResult& r = profile.result;
  std::vector<Field> fields;
  for (const auto& c : r.columns) {
    Field f;
    f.id = c.name;
    f.type = c.type;
    f.info.standard_term = c.standard_term;
    fields.push_back(std::move(f));
  }
  const std::uint64_t bytes = profile.bytes;
  auto writer = feed.finish(fields, r.table, [&](std::int64_t rows) {
    check_abort(options);
    if (options.progress) options.progress({"load", rows, bytes, 0});
  });
  if (!writer) writer = second_pass(profile, fields, store, resource_id, options);
  check_abort(options);
  writer->set_load_findings(profile.findings);
  writer->commit_rows();
  if (options.progress) options.progress({"load", r.rows, bytes, 0});
  if (options.rows_ready) options.rows_ready(r);
  if (options.progress) options.progress({"full_text", r.rows, bytes, 0});
  try {
    store.build_search_indexes(resource_id, options.abort);
  } catch (const std::exception& e) {
    check_abort(options);
    throw LoadError(std::string("the rows are loaded, but their full-text index failed: ") +
                    e.what());
  }
  return r;
}

}  // namespace datamap::datastore
