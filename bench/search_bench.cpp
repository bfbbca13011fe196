// Search benchmarks over a real catalog (a --data DIR filled by `datamap import`):
//   search_bench relevance --data DIR [--queries bench/relevance/queries.tsv] [--verbose]
//   [--no-fts]
//       MRR@10 and success@10 of datamap search and, side by side in the same run, of a SQLite
//       FTS5 baseline (trigram tokenizer, bm25) built over the same datasets; overall and per
//       style (the third column). --queries bench/relevance/blind_queries.tsv measures the blind
//       set: measure only, never tune on it (bench/relevance/BLIND.md), and without --verbose
//       the blind set's misses are not listed one by one. --without typos,romanized,english_names,
//       english_dictionary,translated_title_boost,related_words,agency_names,romanized_titles,
//       unit_names switches query readings off
//       (search/readings.h), to measure each (latency takes it too).
//   search_bench latency --data DIR [--threads 4] [--seconds 20] [--queries FILE] [--fts]
//       in-process search latency (p50/p99) and throughput with three facets; --fts: the same
//       loop over the FTS5 baseline of `relevance` instead (no facets: FTS5 has none).
//       --per-query: also each query's mean time, matches and share of the total, slowest first.
//   search_bench query --data DIR --q TEXT [--rows 10]
//       one query's ranking with scores (for studying misses).
//   search_bench vocabulary --data DIR [--min 3] [--out data/search/vocabulary.txt]
//       regenerates the compound splitter's vocabulary from a catalog's titles.
//   search_bench corpus --data DIR --out FILE        a catalog's text as the analyser reads it
//   search_bench related --vectors FILE.vec [--min-cosine 0.8] [--per-word 2]
//       related words from word vectors (scripts/learn_related.sh, data/search/related.txt).
//   search_bench analyze --text TEXT
//       tokens, stems, index terms and compound split of a text.
//   search_bench reindex --data DIR
//       full rebuild time, index size on disk and peak RSS.
#include <rapidjson/document.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/lib/process_usage.h"
#include "catalog/store.h"
#include "catalog/text.h"
#include "search/analysis.h"
#include "search/lexicon.h"
#include "search/service.h"

using namespace datamap;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

using datamap::bench::peak_rss_mb;

struct Judged {
  std::string query;
  std::vector<std::string> relevant;  // 목록키 (source_key)
  std::string note;
};

std::vector<Judged> read_queries(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<Judged> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream ss(line);
    Judged j;
    std::string keys;
    std::getline(ss, j.query, '\t');
    std::getline(ss, keys, '\t');
    std::getline(ss, j.note);
    std::stringstream ks(keys);
    std::string k;
    while (std::getline(ks, k, ',')) j.relevant.push_back(k);
    out.push_back(j);
  }
  return out;
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 2; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}
bool flag(int argc, char** argv, const std::string& name) {
  for (int i = 2; i < argc; ++i) {
    if (argv[i] == name) return true;
  }
  return false;
}

std::uintmax_t dir_size(const fs::path& p) {
  std::uintmax_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(p)) {
    if (e.is_regular_file()) n += e.file_size();
  }
  return n;
}

std::string source_key_of(const std::string& package_json) {
  rapidjson::Document d;
  d.Parse(package_json.c_str());
  if (!d.IsObject() || !d.HasMember("source_key") || !d["source_key"].IsString()) return {};
  return d["source_key"].GetString();
}

// ---- the FTS5 baseline

struct Sqlite {
  sqlite3* db = nullptr;
  ~Sqlite() { sqlite3_close(db); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(msg);
    }
  }
};

struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db));
    }
  }
  ~Stmt() { sqlite3_finalize(s); }
};

void build_fts(Sqlite& fts, catalog::Store& store) {
  fts.exec("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, notes, agency, category, "
           "tokenize='trigram')");
  fts.exec("BEGIN");
  Stmt ins(fts.db, "INSERT INTO docs(key, title, notes, agency, category) VALUES (?,?,?,?,?)");
  std::map<std::string, std::string> org_titles;
  store.for_each_dataset([&](const catalog::Dataset& d) {
    auto it = org_titles.find(d.owner_org);
    if (it == org_titles.end()) {
      auto o = store.organization(d.owner_org);
      it = org_titles.emplace(d.owner_org, o ? o->title : "").first;
    }
    std::string category;
    for (const auto& g : d.groups) category += g + " ";
    category += d.category_sub;
    const std::string* cols[] = {&d.source_key, &d.title, &d.notes, &it->second, &category};
    for (int i = 0; i < 5; ++i) {
      sqlite3_bind_text(ins.s, i + 1, cols[i]->c_str(), static_cast<int>(cols[i]->size()),
                        SQLITE_TRANSIENT);
    }
    sqlite3_step(ins.s);
    sqlite3_reset(ins.s);
  });
  fts.exec("COMMIT");
}

std::size_t utf8_chars(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Words of three or more characters go to MATCH (the trigram index); shorter ones, which the
// trigram tokenizer cannot index, become LIKE filters. All words first; any word if none.
std::vector<std::string> fts_search(Sqlite& fts, const std::string& query) {
  std::vector<std::string> words;
  std::stringstream ss(catalog::to_nfc(query));
  std::string w;
  while (ss >> w) words.push_back(w);
  for (const char* op : {" AND ", " OR "}) {
    std::string match, like;
    std::vector<std::string> binds;
    for (const auto& word : words) {
      std::string quoted = "\"";
      for (char c : word) {
        quoted += c;
        if (c == '"') quoted += '"';
      }
      quoted += "\"";
      if (utf8_chars(word) >= 3) {
        if (!match.empty()) match += op;
        match += quoted;
      } else {
        if (!like.empty()) like += op;
        like += "(title LIKE ? OR notes LIKE ? OR agency LIKE ? OR category LIKE ?)";
        for (int i = 0; i < 4; ++i) binds.push_back("%" + word + "%");
      }
    }
    std::string sql;
    if (!match.empty()) {
      sql = "SELECT key FROM docs WHERE docs MATCH ?";
      if (!like.empty()) sql += std::string(op == std::string(" AND ") ? " AND " : " OR ") + "(" + like + ")";
      sql += " ORDER BY bm25(docs, 0, 4, 1, 2, 2) LIMIT 10";
      binds.insert(binds.begin(), match);
    } else {
      sql = "SELECT key FROM docs WHERE " + like + " LIMIT 10";
    }
    Stmt st(fts.db, sql);
    for (std::size_t i = 0; i < binds.size(); ++i) {
      sqlite3_bind_text(st.s, static_cast<int>(i + 1), binds[i].c_str(), -1, SQLITE_TRANSIENT);
    }
    std::vector<std::string> keys;
    while (sqlite3_step(st.s) == SQLITE_ROW) {
      keys.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0)));
    }
    if (!keys.empty() || words.size() < 2) return keys;
  }
  return {};
}

int rank_of(const std::vector<std::string>& keys, const std::vector<std::string>& relevant) {
  for (std::size_t i = 0; i < keys.size() && i < 10; ++i) {
    if (std::find(relevant.begin(), relevant.end(), keys[i]) != relevant.end()) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

// --without typos,romanized,english_names: switch query readings off (search/readings.h) to
// measure what each one adds.
search::QueryReadings readings_from(int argc, char** argv) {
  search::QueryReadings r;
  const std::string without = arg(argc, argv, "--without", "");
  std::stringstream ss(without);
  std::string name;
  while (std::getline(ss, name, ',')) {
    if (name == "typos")
      r.typos = false;
    else if (name == "romanized")
      r.romanized = false;
    else if (name == "english_names")
      r.english_names = false;
    else if (name == "english_dictionary")
      r.english_dictionary = false;
    else if (name == "translated_title_boost")
      r.translated_title_boost = false;
    else if (name == "related_words")
      r.related_words = false;
    else if (name == "agency_names")
      r.agency_names = false;
    else if (name == "romanized_titles")
      r.romanized_titles = false;
    else if (name == "unit_names")
      r.unit_names = false;
    else
      throw std::runtime_error(
          "--without takes typos, romanized, english_names, english_dictionary, "
          "translated_title_boost, related_words, agency_names, romanized_titles, unit_names");
  }
  return r;
}

std::unique_ptr<search::SearchService> open_service(catalog::Store& store, const std::string& data,
                                                    search::QueryReadings readings = {}) {
  search::SearchOptions o;
  o.index_dir = data + "/index";
  o.readings = readings;
  auto svc = std::make_unique<search::SearchService>(store, o);
  auto t0 = Clock::now();
  svc->catch_up();
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (s > 1) std::printf("(caught the index up with the change log in %.1f s)\n", s);
  return svc;
}

int relevance(int argc, char** argv) {
  const std::string data = arg(argc, argv, "--data", "var/data");
  const std::string queries_path = arg(argc, argv, "--queries", "bench/relevance/queries.tsv");
  auto queries = read_queries(queries_path);
  const bool verbose = flag(argc, argv, "--verbose");
  // The blind set's misses stay unread unless asked for: looking at them one by one would tune
  // the ranking to them.
  const bool list_misses = queries_path.find("blind") == std::string::npos;
  auto store = catalog::open_sqlite_store(data + "/catalog.db");
  auto svc = open_service(*store, data, readings_from(argc, argv));

  // --no-fts: datamap alone (the FTS5 columns read 0), for quicker development runs.
  const bool with_fts = !flag(argc, argv, "--no-fts");
  Sqlite fts;
  sqlite3_open(":memory:", &fts.db);
  auto t0 = Clock::now();
  if (with_fts) build_fts(fts, *store);
  std::printf("FTS5 baseline built over %lld datasets in %.1f s\n",
              static_cast<long long>(store->count_datasets()),
              std::chrono::duration<double>(Clock::now() - t0).count());

  double mrr_x = 0, mrr_f = 0;
  int hit_x = 0, hit_f = 0;
  struct ClassScore {
    int n = 0;
    double mrr_x = 0, mrr_f = 0;
    int hit_x = 0, hit_f = 0;
  };
  // By the third column (the style of bench/relevance/blind_queries.tsv, the class of
  // queries.tsv) up to its " (" explanation.
  std::map<std::string, ClassScore> classes;
  for (const auto& j : queries) {
    search::SearchRequest r;
    r.q = j.query;
    r.rows = 10;
    r.highlight = false;
    std::vector<std::string> keys;
    for (const auto& h : svc->search(r).results) keys.push_back(source_key_of(h.package_json));
    int rx = rank_of(keys, j.relevant);
    int rf = with_fts ? rank_of(fts_search(fts, j.query), j.relevant) : 0;
    mrr_x += rx ? 1.0 / rx : 0;
    mrr_f += rf ? 1.0 / rf : 0;
    hit_x += rx > 0;
    hit_f += rf > 0;
    ClassScore& c = classes[j.note.substr(0, j.note.find(" ("))];
    ++c.n;
    c.mrr_x += rx ? 1.0 / rx : 0;
    c.mrr_f += rf ? 1.0 / rf : 0;
    c.hit_x += rx > 0;
    c.hit_f += rf > 0;
    if (verbose || (list_misses && rx == 0)) {
      std::printf("  %-32s datamap rank %-2s  fts5 rank %-2s  (%s)\n", j.query.c_str(),
                  rx ? std::to_string(rx).c_str() : "-", rf ? std::to_string(rf).c_str() : "-",
                  j.note.c_str());
    }
  }
  const double n = static_cast<double>(queries.size());
  std::printf("\n%zu queries            MRR@10   success@10\n", queries.size());
  std::printf("datamap (Xapian)     %.3f    %.3f\n", mrr_x / n, hit_x / n);
  std::printf("SQLite FTS5 trigram  %.3f    %.3f\n", mrr_f / n, hit_f / n);
  std::printf("\nby style (3rd column)    n   MRR@10 datamap  fts5    success@10 datamap  fts5\n");
  for (const auto& [name, c] : classes) {
    std::printf("%-24s %3d          %.3f    %.3f               %.3f    %.3f\n", name.c_str(), c.n,
                c.mrr_x / c.n, c.mrr_f / c.n, static_cast<double>(c.hit_x) / c.n,
                static_cast<double>(c.hit_f) / c.n);
  }
  return 0;
}

// One query's top results with their scores, to study a ranking.
int query(int argc, char** argv) {
  const std::string data = arg(argc, argv, "--data", "var/data");
  auto store = catalog::open_sqlite_store(data + "/catalog.db");
  auto svc = open_service(*store, data);
  search::SearchRequest r;
  r.q = arg(argc, argv, "--q", "");
  r.rows = std::stoi(arg(argc, argv, "--rows", "10"));
  r.highlight = false;
  const std::string find = arg(argc, argv, "--find", "");
  if (!find.empty()) r.rows = 1000;
  auto res = svc->search(r);
  std::printf("count %lld\n", static_cast<long long>(res.count));
  int rank = 0;
  for (const auto& h : res.results) {
    if (!find.empty()) {
      ++rank;
      if (source_key_of(h.package_json) == find) std::printf("%s at rank %d score %.3f\n", find.c_str(), rank, h.score);
      continue;
    }
    rapidjson::Document d;
    d.Parse(h.package_json.c_str());
    std::printf("%2d %8.3f %-9s %s\n", ++rank, h.score, source_key_of(h.package_json).c_str(),
                d.IsObject() && d.HasMember("title") ? d["title"].GetString() : "?");
  }
  return 0;
}

// The compound splitter's vocabulary (data/search/vocabulary.txt): Hangul words that stand alone
// (between spaces or punctuation, particles stripped) in the titles of at least --min datasets
// of a catalog, plus the common standard words. Written sorted, one word a line.
int vocabulary(int argc, char** argv) {
  const std::string data = arg(argc, argv, "--data", "var/data");
  const int min_datasets = std::stoi(arg(argc, argv, "--min", "3"));
  const std::string out_path = arg(argc, argv, "--out", "data/search/vocabulary.txt");
  auto store = catalog::open_sqlite_store(data + "/catalog.db");
  std::map<std::string, int> seen;
  store->for_each_dataset([&](const catalog::Dataset& d) {
    std::set<std::string> words;
    for (const auto& t : search::tokenize(catalog::to_nfc(d.title))) {
      if (t.script != search::Script::Hangul) continue;
      const std::size_t n = search::utf8_length(t.stem);
      if (n >= 2 && n <= search::kMaxVocabularySyllables) words.insert(t.stem);
    }
    for (const auto& w : words) ++seen[w];
  });
  std::set<std::string> vocab;
  for (const auto& [w, n] : seen) {
    if (n >= min_datasets) vocab.insert(w);
  }
  const std::size_t from_titles = vocab.size();
  // The common standard words (공통표준단어명, third column), Hangul-only ones.
  std::ifstream words(arg(argc, argv, "--words", "data/standard/words.csv"));
  std::string line;
  std::getline(words, line);
  while (std::getline(words, line)) {
    std::stringstream ss(line);
    std::string no, round, word;
    std::getline(ss, no, ',');
    std::getline(ss, round, ',');
    std::getline(ss, word, ',');
    auto toks = search::tokenize(catalog::to_nfc(word));
    if (toks.size() == 1 && toks[0].script == search::Script::Hangul &&
        toks[0].text == toks[0].stem && search::utf8_length(word) >= 2 &&
        search::utf8_length(word) <= search::kMaxVocabularySyllables) {
      vocab.insert(toks[0].text);
    }
  }
  std::ofstream out(out_path);
  out << "# Compound splitter vocabulary (search/lexicon.h), generated by\n"
         "#   build/bench/search_bench vocabulary --data DIR --min "
      << min_datasets << "\n# from the titles of the catalog in DIR (the 2022 data.go.kr list) and"
         " data/standard/words.csv.\n# Changing it needs `datamap reindex`.\n";
  for (const auto& w : vocab) out << w << "\n";
  std::printf("%zu words (%zu from titles) -> %s\n", vocab.size(), from_titles, out_path.c_str());
  return 0;
}

// Related words learnt from the catalog (data/search/related.txt, search/synonyms.h
// load_related): word vectors trained on the catalog's own text (scripts/learn_related.sh,
// fastText's .vec file) give each Hangul word outside the title vocabulary its nearest words of it
// (data/search/vocabulary.txt) that do not contain it, kept from --min-cosine on, at most
// --per-word a word.
int related(int argc, char** argv) {
  const std::string vectors_path = arg(argc, argv, "--vectors", "vectors.vec");
  const std::string vocab_path = arg(argc, argv, "--vocab", "data/search/vocabulary.txt");
  const std::string out_path = arg(argc, argv, "--out", "data/search/related.txt");
  const double min_cosine = std::stod(arg(argc, argv, "--min-cosine", "0.8"));
  const std::size_t per_word = std::stoul(arg(argc, argv, "--per-word", "2"));
  std::set<std::string> vocab;
  {
    std::ifstream in(vocab_path);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] != '#') vocab.insert(line);
    }
  }
  // Unit-length vectors of the Hangul words; the title-vocabulary ones are the candidates.
  std::vector<std::string> words;
  std::vector<std::vector<float>> vecs;
  std::vector<std::size_t> candidates;
  std::ifstream in(vectors_path);
  std::string line;
  std::getline(in, line);  // "<count> <dim>"
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string w;
    ls >> w;
    auto toks = search::tokenize(w);
    if (toks.size() != 1 || toks[0].script != search::Script::Hangul || toks[0].stem != w ||
        search::utf8_length(w) < 2 || search::is_generic_word(w))
      continue;
    std::vector<float> v;
    float x, norm = 0;
    while (ls >> x) {
      v.push_back(x);
      norm += x * x;
    }
    if (norm == 0) continue;
    for (auto& e : v) e /= std::sqrt(norm);
    if (vocab.count(w)) candidates.push_back(words.size());
    words.push_back(w);
    vecs.push_back(std::move(v));
  }
  std::ofstream out(out_path);
  out << "# Related words learnt from the catalog's own text (search/synonyms.h load_related), by\n"
         "#   scripts/learn_related.sh DIR  (fastText vectors of the titles and\n"
         "# descriptions of the catalog in DIR, the 2022 data.go.kr list; each word the title\n"
         "# vocabulary lacks -> its nearest title-vocabulary words, cosine >= "
      << min_cosine << ", at most " << per_word << " a word)\n";
  std::size_t kept = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    // Only words titles do not use: expanding title words too measured worse (docs/BENCHMARKS.md).
    if (vocab.count(words[i])) continue;
    std::vector<std::pair<float, std::size_t>> near;
    for (std::size_t c : candidates) {
      // A compound holding the word (자회사 for 회사) adds nothing: the index finds the word in it.
      if (c == i || words[c].find(words[i]) != std::string::npos) continue;
      float dot = 0;
      for (std::size_t k = 0; k < vecs[i].size() && k < vecs[c].size(); ++k)
        dot += vecs[i][k] * vecs[c][k];
      if (dot >= min_cosine) near.emplace_back(dot, c);
    }
    if (near.empty()) continue;
    std::sort(near.rbegin(), near.rend());
    out << words[i] << ":";
    for (std::size_t k = 0; k < near.size() && k < per_word; ++k)
      out << (k ? ", " : " ") << words[near[k].second];
    out << "\n";
    ++kept;
  }
  std::printf("%zu of %zu words with related words -> %s\n", kept, words.size(), out_path.c_str());
  return 0;
}

// The catalog's titles and descriptions as the analyser reads them (stems, one dataset a line),
// the text word vectors are trained on (scripts/learn_related.sh).
int corpus(int argc, char** argv) {
  const std::string data = arg(argc, argv, "--data", "var/data");
  auto store = catalog::open_sqlite_store(data + "/catalog.db");
  std::ofstream out(arg(argc, argv, "--out", "corpus.txt"));
  store->for_each_dataset([&](const catalog::Dataset& d) {
    const char* sep = "";
    for (const auto* text : {&d.title, &d.notes}) {
      for (const auto& t : search::tokenize(catalog::to_nfc(*text))) {
        if (t.part || search::is_query_stopword(t)) continue;
        out << sep << t.stem;
        sep = " ";
        // A compound the vocabulary does not know also as its words, so they learn from it.
        if (t.script != search::Script::Hangul || search::default_lexicon().contains(t.stem))
          continue;
        if (auto parts = search::default_lexicon().split(t.stem); parts.size() >= 2) {
          for (const auto& p : parts) out << " " << p;
        }
      }
    }
    out << "\n";
  });
  return 0;
}

// How a text is analysed: tokens, stems, index terms and the compound split.
int analyze(int argc, char** argv) {
  const std::string text = arg(argc, argv, "--text", "");
  for (const auto& t : search::tokenize(catalog::to_nfc(text))) {
    std::printf("%s [%s]%s:", t.text.c_str(), t.stem.c_str(), t.part ? " part" : "");
    for (const auto& term : search::index_terms(t)) std::printf(" %s", term.c_str());
    if (t.script == search::Script::Hangul) {
      std::printf("  | split:");
      for (const auto& p : search::default_lexicon().split(t.stem)) std::printf(" %s", p.c_str());
    }
    std::printf("\n");
  }
  return 0;
}

int latency(int argc, char** argv) {
  const std::string data = arg(argc, argv, "--data", "var/data");
  const int threads = std::stoi(arg(argc, argv, "--threads", "4"));
  const double seconds = std::stod(arg(argc, argv, "--seconds", "20"));
  auto queries = read_queries(arg(argc, argv, "--queries", "bench/relevance/queries.tsv"));
  auto store = catalog::open_sqlite_store(data + "/catalog.db");
  // --fts: the physical baseline (bench/summary.sh puts it beside datamap). The FTS5 table is
  // built once into a file next to the catalog, each thread reads it through its own
  // connection, and the file is removed afterwards.
  const bool fts = flag(argc, argv, "--fts");
  const std::string fts_path = data + "/fts5-baseline.db";
  std::unique_ptr<search::SearchService> svc;
  if (fts) {
    fs::remove(fts_path);
    Sqlite build;
    sqlite3_open(fts_path.c_str(), &build.db);
    build_fts(build, *store);
    std::printf("%lld documents in SQLite FTS5 (trigram, bm25), %d threads, %.0f s, no facets\n",
                static_cast<long long>(store->count_datasets()), threads, seconds);
  } else {
    svc = open_service(*store, data, readings_from(argc, argv));
    std::printf("%lld documents, %d threads, %.0f s, facets organization+groups+res_format\n",
                static_cast<long long>(svc->document_count()), threads, seconds);
  }
  // Every query once before the clock starts: the first search reads the index's blocks from
  // disk (~0.8 s at 1M), which is a server's start, not its steady state.
  for (const auto& q : queries) {
    if (fts) break;
    search::SearchRequest r;
    r.q = q.query;
    r.facet_fields = {"organization", "groups", "res_format"};
    svc->search(r);
  }
  std::vector<std::vector<double>> lat(threads);
  // --per-query, by query index: summed milliseconds, runs, matches (of the last run).
  const bool per_query = flag(argc, argv, "--per-query");
  std::vector<std::vector<double>> query_ms(threads, std::vector<double>(queries.size()));
  std::vector<std::vector<int>> query_runs(threads, std::vector<int>(queries.size()));
  std::vector<std::int64_t> query_matches(queries.size(), -1);
  std::vector<std::thread> pool;
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::size_t i = static_cast<std::size_t>(t);
      Sqlite reader;
      if (fts) sqlite3_open_v2(fts_path.c_str(), &reader.db, SQLITE_OPEN_READONLY, nullptr);
      while (Clock::now() < until) {
        const std::size_t qi = i++ % queries.size();
        const std::string& q = queries[qi].query;
        auto t0 = Clock::now();
        std::int64_t matches = -1;
        if (fts) {
          fts_search(reader, q);
        } else {
          search::SearchRequest r;
          r.q = q;
          r.facet_fields = {"organization", "groups", "res_format"};
          matches = svc->search(r).count;
        }
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        lat[t].push_back(ms);
        query_ms[t][qi] += ms;
        query_runs[t][qi] += 1;
        if (t == 0) query_matches[qi] = matches;
      }
    });
  }
  for (auto& th : pool) th.join();
  if (fts) fs::remove(fts_path);
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all[static_cast<std::size_t>(p * (all.size() - 1))]; };
  std::printf("searches %zu  throughput %.0f/s  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n",
              all.size(), all.size() / seconds, pct(0.5), pct(0.9), pct(0.99), all.back());
  std::printf("peak RSS %ld MB\n", peak_rss_mb());
  if (per_query) {
    struct Row {
      std::size_t index;
      double mean_ms, total_ms;
    };
    std::vector<Row> rows;
    double total = 0;
    for (std::size_t q = 0; q < queries.size(); ++q) {
      double ms = 0;
      int runs = 0;
      for (int t = 0; t < threads; ++t) {
        ms += query_ms[t][q];
        runs += query_runs[t][q];
      }
      if (runs == 0) continue;
      rows.push_back({q, ms / runs, ms});
      total += ms;
    }
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.mean_ms > b.mean_ms; });
    std::printf("mean ms\tmatches\tshare\tquery\n");
    for (const Row& r : rows) {
      std::printf("%.2f\t%lld\t%.1f%%\t%s\n", r.mean_ms,
                  static_cast<long long>(query_matches[r.index]), 100 * r.total_ms / total,
                  queries[r.index].query.c_str());
    }
  }
  return 0;
}

int reindex(int argc, char** argv) {
  const std::string data = arg(argc, argv, "--data", "var/data");
  auto store = catalog::open_sqlite_store(data + "/catalog.db");
  search::SearchOptions o;
  o.index_dir = data + "/index";
  search::SearchService svc(*store, o);
  auto t0 = Clock::now();
  double listed = -1, built = -1;  // seconds until the order is known / every shard is written
  svc.reindex([&](const search::ReindexProgress& p) {
    const double at = std::chrono::duration<double>(Clock::now() - t0).count();
    if (listed < 0) listed = at;
    if (built < 0 && p.done == p.total) built = at;
  });
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("phases: order %.1f s, documents %.1f s, join and catch up %.1f s\n", listed,
              built - listed, s - built);
  auto docs = svc.document_count();
  std::printf("reindexed %lld datasets in %.1f s (%.0f/s); index %.1f MB; peak RSS %ld MB\n",
              static_cast<long long>(docs), s, docs / s, dir_size(o.index_dir) / 1048576.0,
              peak_rss_mb());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: search_bench relevance|latency|reindex --data DIR [...]\n");
    return 2;
  }
  try {
    std::string cmd = argv[1];
    if (cmd == "relevance") return relevance(argc, argv);
    if (cmd == "latency") return latency(argc, argv);
    if (cmd == "query") return query(argc, argv);
    if (cmd == "analyze") return analyze(argc, argv);
    if (cmd == "vocabulary") return vocabulary(argc, argv);
    if (cmd == "related") return related(argc, argv);
    if (cmd == "corpus") return corpus(argc, argv);
    if (cmd == "reindex") return reindex(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "search_bench: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "unknown command %s\n", argv[1]);
  return 2;
}
