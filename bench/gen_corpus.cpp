// The scale-corpus generator shared by every benchmark: N datasets shaped like the real
// data.go.kr list, because benchmarks run on real data scaled up, not on random strings.
//
// Each generated row starts from a real row of the 2022 list (so titles, descriptions, agencies,
// categories and type mix keep the real distributions and vocabulary) and varies it the way the
// real catalog varies: the same kind of data published for another region or year, sometimes by
// another agency of the same category. Keys start at 90,000,000 so they never clash with real ones.
//
//   build/bench/gen_corpus --rows 1000000 --format datago-csv --seed 42 --out /tmp/1m.csv
//   build/bench/gen_corpus --rows 100000 --format ckan-jsonl --out /tmp/100k.jsonl
//
// datago-csv is the current 36-column layout (mapped by header name by the importer);
// ckan-jsonl is one CKAN package dict per line (`ckanapi dump` style).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "catalog/import/csv_reader.h"
#include "catalog/import/datago_columns.h"

namespace {

struct Row {
  std::string key, type, title, description, category, org_code, org_name, priority, standard,
      created, modified;
  long views = 0;
};

const char* kRegions[] = {"서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시",
                          "대전광역시", "울산광역시", "세종특별자치시", "경기도",  "강원특별자치도",
                          "충청북도",   "충청남도",   "전북특별자치도", "전라남도", "경상북도",
                          "경상남도",   "제주특별자치도"};
const char* kFrequencies[] = {"연간", "반기", "분기", "월간", "주간", "일간", "실시간", "수시"};
const char* kLicenses[] = {"공공누리 제1유형", "이용허락범위 제한 없음", "공공누리 제2유형",
                           "공공누리 제3유형", "공공누리 제4유형"};
const char* kFileFormats[] = {"CSV", "XLSX", "CSV", "JSON", "XML", "HWP", "PDF", "ZIP", "SHP"};
const char* kApiFormats[] = {"JSON+XML", "JSON", "XML"};

std::vector<Row> load_rows(const std::string& path) {
  std::string command = path.size() > 3 && path.substr(path.size() - 3) == ".xz"
                            ? "xz -dc '" + path + "'"
                            : "cat '" + path + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot read " + path);
  std::string text;
  char buf[1 << 16];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) text.append(buf, n);
  if (pclose(pipe) != 0) throw std::runtime_error("cannot read " + path);

  datamap::catalog::importer::CsvReader reader(text);
  datamap::catalog::importer::CsvRecord record;
  if (!reader.next(record)) throw std::runtime_error("empty list: " + path);
  const std::vector<std::string> header = record.fields;
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string h = header[i];
    if (h.rfind("\xEF\xBB\xBF", 0) == 0) h.erase(0, 3);
    col[h] = i;
  }
  auto at = [&](const std::vector<std::string>& f, const char* name) -> std::string {
    auto it = col.find(name);
    return it != col.end() && it->second < f.size() ? f[it->second] : std::string();
  };
  std::vector<Row> rows;
  while (reader.next(record)) {
    if (!record.error.empty()) continue;
    const std::vector<std::string>& f = record.fields;
    Row r;
    r.key = at(f, "목록키");
    r.type = at(f, "목록유형");
    r.title = at(f, "목록명");
    r.description = at(f, "목록설명");
    r.category = at(f, "분류체계");
    r.org_code = at(f, "기관코드");
    r.org_name = at(f, "기관명");
    r.priority = at(f, "국가중점여부");
    r.standard = at(f, "표준데이터여부");
    r.created = at(f, "목록 등록일");
    r.modified = at(f, "목록 수정일");
    r.views = std::atol(at(f, "조회수").c_str());
    if (!r.key.empty() && !r.title.empty()) rows.push_back(std::move(r));
  }
  return rows;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Title words longer than one syllable become the generated row's keywords, as agencies do.
std::vector<std::string> keywords_of(const std::string& title) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (word.size() > 3 && words.size() < 5) words.push_back(word);
    word.clear();
  };
  for (char c : title) {
    if (c == ' ' || c == '_' || c == '(' || c == ')' || c == ',')
      flush();
    else
      word += c;
  }
  flush();
  return words;
}

struct Generated {
  Row row;
  std::string region, year, frequency, license, formats;
  std::vector<std::string> keywords;
};

class Generator {
 public:
  Generator(std::vector<Row> rows, std::uint64_t seed) : rows_(std::move(rows)), rng_(seed) {
    for (std::size_t i = 0; i < rows_.size(); ++i) by_category_[rows_[i].category].push_back(i);
  }

  Generated next(std::size_t i) {
    Generated g;
    g.row = rows_[pick(rows_.size())];
    g.row.key = std::to_string(90000000 + i);
    if (chance(0.3)) {  // another agency of the same category publishes the same kind of data
      const auto& peers = by_category_[g.row.category];
      const Row& other = rows_[peers[pick(peers.size())]];
      g.row.org_code = other.org_code;
      g.row.org_name = other.org_name;
    }
    g.region = kRegions[pick(std::size(kRegions))];
    g.year = std::to_string(2015 + pick(11));
    g.row.title = g.region + " " + g.row.title + " (" + g.year + ")";
    g.row.views = static_cast<long>(g.row.views * (0.5 + uniform_(rng_)));
    g.frequency = kFrequencies[pick(std::size(kFrequencies))];
    g.license = kLicenses[pick(std::size(kLicenses))];
    g.formats = g.row.type == "API" ? kApiFormats[pick(std::size(kApiFormats))]
                                    : kFileFormats[pick(std::size(kFileFormats))];
    g.keywords = keywords_of(g.row.title);
    return g;
  }

 private:
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  bool chance(double p) { return uniform_(rng_) < p; }

  std::vector<Row> rows_;
  std::map<std::string, std::vector<std::size_t>> by_category_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
};

void write_datago_header(std::ostream& out) {
  out << "\xEF\xBB\xBF"
         "목록키,목록유형,목록명,파일데이터명,분류체계,제공기관코드,제공기관,관리 부서명,"
         "관리부서 전화번호,보유근거,수집방법,업데이트 주기,차기 등록 예정일,매체유형,전체행,"
         "확장자(데이터포맷),키워드,다운로드_활용신청건수,등록일,수정일,데이터 한계,제공형태,설명,"
         "기타 유의사항,공간범위,시간범위,비용부과유무,비용부과기준 및 단위,이용허락범위,API 유형,"
         "신청가능 트래픽,심의 유형,조회수,목록 URL,국가중점여부,표준데이터여부\r\n";
}

void write_datago_row(std::ostream& out, const Generated& g) {
  const Row& r = g.row;
  std::string keywords;
  for (const auto& k : g.keywords) keywords += (keywords.empty() ? "" : ",") + k;
  std::string page = r.type == "API" ? "openapi.do" : r.type == "STD" ? "standard.do" : "fileData.do";
  const std::string fields[] = {
      r.key, r.type, r.title, r.type == "FILE" ? r.title : "", r.category, r.org_code, r.org_name,
      "데이터담당과", "`02-2100-" + std::to_string(1000 + std::stoul(r.key) % 9000), "",
      "", g.frequency, "", "", r.type == "FILE" ? std::to_string(100 + std::stoul(r.key) % 90000) : "",
      g.formats, keywords, std::to_string(r.views / 10), r.created, r.modified, "",
      r.type == "API" ? "OpenAPI" : "파일", r.description, "", g.region, g.year, "무료", "",
      g.license, r.type == "API" ? "REST" : "", r.type == "API" ? "10000" : "", "자동승인",
      std::to_string(r.views), "https://www.data.go.kr/data/" + r.key + "/" + page, r.priority,
      r.standard};
  bool first = true;
  for (const auto& f : fields) {
    if (!first) out << ',';
    out << csv_field(f);
    first = false;
  }
  out << "\r\n";
}

void write_ckan_row(std::ostream& out, const Generated& g) {
  const Row& r = g.row;
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  auto kv = [&](const char* k, const std::string& v) {
    w.Key(k);
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  };
  w.StartObject();
  kv("id", "gen-" + r.key);
  kv("name", "gen-" + r.key);
  kv("title", r.title);
  kv("notes", r.description);
  kv("type", r.type == "API" ? "api" : r.type == "STD" ? "standard" : "file");
  kv("url", "https://www.data.go.kr/data/" + r.key + "/fileData.do");
  kv("metadata_created", r.created + "T00:00:00");
  kv("metadata_modified", (r.modified.empty() ? r.created : r.modified) + "T00:00:00");
  kv("frequency", g.frequency);
  kv("spatial", g.region);
  kv("temporal", g.year);
  w.Key("organization");
  w.StartObject();
  kv("name", "org-" + r.org_code);
  kv("title", r.org_name);
  w.EndObject();
  w.Key("groups");
  w.StartArray();
  w.StartObject();
  kv("name", datamap::catalog::importer::datago_group_name(r.category));
  kv("title", r.category);
  w.EndObject();
  w.EndArray();
  w.Key("tags");
  w.StartArray();
  for (const auto& k : g.keywords) {
    w.StartObject();
    kv("name", k);
    w.EndObject();
  }
  w.EndArray();
  w.Key("resources");
  w.StartArray();
  w.StartObject();
  kv("id", "gen-" + r.key + "-r0");
  kv("name", r.title);
  kv("format", g.formats);
  kv("url", "https://www.data.go.kr/data/" + r.key + "/download");
  w.EndObject();
  w.EndArray();
  w.Key("extras");
  w.StartArray();
  w.StartObject();
  kv("key", "views");
  kv("value", std::to_string(r.views));
  w.EndObject();
  w.EndArray();
  w.EndObject();
  out << sb.GetString() << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Generates a scale corpus shaped like the real data.go.kr list"};
  std::size_t rows = 100000;
  std::string format = "datago-csv", out_path, source = DATAMAP_SAMPLE_LIST;
  std::uint64_t seed = 42;
  app.add_option("--rows", rows, "how many datasets")->check(CLI::PositiveNumber);
  app.add_option("--format", format, "datago-csv | ckan-jsonl")
      ->check(CLI::IsMember({"datago-csv", "ckan-jsonl"}));
  app.add_option("--seed", seed, "random seed (same seed, same corpus)");
  app.add_option("--source", source, "the real list to learn from (CSV, or .xz)");
  app.add_option("--out", out_path, "output file")->required();
  CLI11_PARSE(app, argc, argv);

  try {
    Generator gen(load_rows(source), seed);
    std::ofstream out(out_path, std::ios::binary);
    if (!out) throw std::runtime_error("cannot write " + out_path);
    if (format == "datago-csv") write_datago_header(out);
    for (std::size_t i = 0; i < rows; ++i) {
      Generated g = gen.next(i);
      if (format == "datago-csv")
        write_datago_row(out, g);
      else
        write_ckan_row(out, g);
    }
    if (!out.flush()) throw std::runtime_error("write failed: " + out_path);
    std::cerr << "gen_corpus: " << rows << " datasets (" << format << ") -> " << out_path << "\n";
  } catch (const std::exception& e) {
    std::cerr << "gen_corpus: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
