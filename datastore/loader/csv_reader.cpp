// CSV and TSV through libcsv (RFC 4180 quoting, fields spanning lines), fed the UTF-8 that
// TextDecoder makes of the file chunk by chunk. The delimiter (, ; tab |) is the one that splits
// a sample of the first records into the most consistent number of fields.
#include <csv.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

#include "datastore/loader/record_reader.h"
#include "datastore/loader/text_decoder.h"

namespace datamap::datastore::loader {

namespace {

constexpr std::size_t kChunk = 1 << 18;
constexpr std::size_t kSample = 1 << 18;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open_file(const std::string& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw LoadError("cannot open the file");
  return f;
}

// Values are kept as written (the profiler trims for typing), but libcsv drops the spaces and
// tabs around unquoted fields unless it is given a function saying which bytes are spaces, which
// it then calls for every byte of every field (~4 % of a load's CPU in `perf`: the indirect call
// and the registers spilled around it). So the parser is given none, and never sees a space:
// before parsing, spaces and tabs (not a tab that delimits) are replaced by two bytes that UTF-8
// never holds — the decoder's output is valid UTF-8, invalid input having become U+FFFD —, and
// on_field puts them back in each value.
constexpr char kHiddenSpace = '\xFE';
constexpr char kHiddenTab = '\xFF';

void hide_spaces(std::string& text, char delim) {
  const char tab = delim == '\t' ? '\t' : kHiddenTab;
  for (char& c : text) c = c == ' ' ? kHiddenSpace : c == '\t' ? tab : c;
}

// libcsv calls back from C: no exception may cross it, so errors are kept and rethrown after.
struct Parse {
  const RecordFn* each = nullptr;
  std::size_t max_columns = 0;
  // The current record's cells: the first `n` of `cells`, whose strings are reused from record
  // to record (one allocation per cell of the file would dominate the reading).
  std::vector<std::string> cells;
  std::size_t n = 0;
  std::int64_t line = 1;  // where the next record starts
  std::int64_t newlines_in_record = 0;
  std::int64_t records = 0;
  std::int64_t max_records = -1;  // for sampling
  bool stopped = false;
  std::optional<LoadError> error;
};

void on_field(void* s, std::size_t len, void* data) {
  auto* p = static_cast<Parse*>(data);
  if (p->stopped) return;
  if (p->n >= p->max_columns) {
    p->error = LoadError("a record has more than " + std::to_string(p->max_columns) +
                             " fields (the limit on columns)",
                         p->line, static_cast<std::int64_t>(p->max_columns) + 1);
    p->stopped = true;
    return;
  }
  const char* c = static_cast<const char*>(s);
  if (p->n < p->cells.size())
    p->cells[p->n].assign(c ? c : "", c ? len : 0);
  else
    p->cells.emplace_back(c ? c : "", c ? len : 0);
  std::int64_t newlines = 0;
  for (char& b : p->cells[p->n]) {
    newlines += b == '\n';
    b = b == kHiddenSpace ? ' ' : b == kHiddenTab ? '\t' : b;
  }
  p->newlines_in_record += newlines;
  ++p->n;
}

void on_record(int c, void* data) {
  auto* p = static_cast<Parse*>(data);
  if (p->stopped) return;
  if (p->n == 0) {  // a blank line (CSV_REPALL_NL reports line ends outside records)
    p->line += c == '\n';
    return;
  }
  std::int64_t start = p->line;
  p->line += p->newlines_in_record + (c == '\n');
  p->newlines_in_record = 0;
  ++p->records;
  p->cells.resize(p->n);
  p->n = 0;
  if (p->each && !(*p->each)(p->cells, start)) p->stopped = true;
  if (p->max_records >= 0 && p->records >= p->max_records) p->stopped = true;
}

struct CsvParser {
  csv_parser p{};
  explicit CsvParser(unsigned char delim) {
    csv_init(&p, CSV_REPALL_NL);
    csv_set_delim(&p, delim);  // no space function: see hide_spaces
  }
  ~CsvParser() { csv_free(&p); }
};

// Field counts of the sample's first records with `delim`.
std::vector<std::size_t> field_counts(std::string text, char delim, bool whole) {
  hide_spaces(text, delim);
  std::vector<std::size_t> counts;
  RecordFn count = [&](std::vector<std::string>& cells, std::int64_t) {
    counts.push_back(cells.size());
    return true;
  };
  Parse state;
  state.each = &count;
  state.max_columns = 1 << 20;
  state.max_records = 200;
  CsvParser parser(static_cast<unsigned char>(delim));
  csv_parse(&parser.p, text.data(), text.size(), on_field, on_record, &state);
  if (whole) csv_fini(&parser.p, on_field, on_record, &state);
  if (!whole && counts.size() > 1 && state.records < 200) counts.pop_back();  // cut by the sample
  return counts;
}

char detect_delimiter(std::string_view text, bool whole, bool prefer_tab) {
  char best = prefer_tab ? '\t' : ',';
  double best_score = -1;
  for (char d : {',', '\t', ';', '|'}) {
    auto counts = field_counts(std::string(text), d, whole);
    if (counts.empty()) continue;
    std::map<std::size_t, std::size_t> freq;
    for (auto c : counts) ++freq[c];
    auto mode = std::max_element(freq.begin(), freq.end(),
                                 [](auto& a, auto& b) { return a.second < b.second; });
    if (mode->first < 2) continue;
    // Consistency first; more fields second; the hint breaks exact ties.
    double score = static_cast<double>(mode->second) / static_cast<double>(counts.size()) * 1000 +
                   std::min<double>(static_cast<double>(mode->first), 999) +
                   ((prefer_tab && d == '\t') ? 0.5 : 0);
    if (score > best_score) best_score = score, best = d;
  }
  return best;
}

class CsvReader : public RecordReader {
 public:
  CsvReader(const std::string& path, std::string_view hint, const LoadLimits& limits)
      : path_(path), limits_(limits) {
    File f = open_file(path);
    std::string sample(kSample, '\0');
    sample.resize(std::fread(sample.data(), 1, sample.size(), f.get()));
    bool whole = std::fgetc(f.get()) == EOF;
    encoding_ = detect_encoding(sample, whole);
    encoding = encoding_.label;
    TextDecoder probe(encoding_, false);
    std::string text;
    probe.decode(sample, whole, text);
    delimiter_ = detect_delimiter(text, whole, normalise_hint(hint) == "TSV");
    delimiter = std::string(1, delimiter_);
  }

  void read(const RecordFn& each) override {
    File f = open_file(path_);
    TextDecoder decoder(encoding_, limits_.strict_encoding);
    CsvParser parser(static_cast<unsigned char>(delimiter_));
    Parse state;
    state.each = &each;
    state.max_columns = limits_.max_columns;
    std::string chunk(kChunk, '\0'), text;
    bytes_read_ = 0;
    for (;;) {
      std::size_t n = std::fread(chunk.data(), 1, chunk.size(), f.get());
      bytes_read_ += n;
      bool last = n < chunk.size();
      text.clear();
      decoder.decode(std::string_view(chunk.data(), n), last, text);
      // Before the chunk's records are parsed: once set it stays (a later record may begin in
      // this chunk).
      if (!decomposed_)
        decomposed_ = std::any_of(text.begin(), text.end(), [](char c) {
          auto b = static_cast<unsigned char>(c);
          return b == 0xE1 || b == 0xCC || b == 0xCD;
        });
      hide_spaces(text, delimiter_);
      csv_parse(&parser.p, text.data(), text.size(), on_field, on_record, &state);
      if (state.error) throw *state.error;
      if (state.stopped) return;
      if (parser.p.entry_pos > limits_.max_cell_bytes)
        throw LoadError("a value is longer than " + std::to_string(limits_.max_cell_bytes) +
                            " bytes (an unclosed quote?)",
                        state.line, static_cast<std::int64_t>(state.n) + 1);
      if (last) break;
    }
    csv_fini(&parser.p, on_field, on_record, &state);
    if (state.error) throw *state.error;
    if (decoder.invalid_count() > 0)
      warnings.push_back(std::to_string(decoder.invalid_count()) + " invalid " + encoding +
                         " byte sequence(s) replaced by U+FFFD, the first at byte " +
                         std::to_string(decoder.first_invalid_byte()) + " (line " +
                         std::to_string(decoder.first_invalid_line()) + ")");
  }

  std::uint64_t bytes_read() const override { return bytes_read_; }
  bool may_hold_decomposed() const override { return decomposed_; }

 private:
  std::string path_;
  LoadLimits limits_;
  DetectedEncoding encoding_;
  char delimiter_ = ',';
  std::uint64_t bytes_read_ = 0;
  bool decomposed_ = false;
};

}  // namespace

std::unique_ptr<RecordReader> open_csv_reader(const std::string& path, std::string_view hint,
                                              const LoadLimits& limits) {
  return std::make_unique<CsvReader>(path, hint, limits);
}

}  // namespace datamap::datastore::loader
