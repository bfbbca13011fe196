// `datamap import [--data DIR] FILE...`: imports catalog files into DIR/catalog.db. The format
// and encoding come from each file's content (xz and gzip are decompressed); the work is done by
// catalog/import (importer.h), which the harvesters share. Prints a summary per file on stdout
// (added / updated / unchanged / rejected, each rejection with its line and reason) and draws a
// progress bar on stderr only when stderr is a terminal. Exit code 1 if a file could not be
// imported at all; rejected rows alone do not fail the command.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/data_dir.h"
#include "catalog/import/importer.h"

namespace datamap::app {
namespace {

struct ImportCliOptions {
  std::string data_dir = kDefaultDataDir;
  std::vector<std::string> files;
  std::size_t batch_size = 2000;
  std::size_t show_rejected = 50;
};

// A one-line bar redrawn in place; throttled so a fast import does not spend its time drawing.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label) : label_(std::move(label)) {}
  void update(std::size_t done, std::size_t total) {
    int percent = total ? static_cast<int>(done * 100 / total) : 100;
    if (percent == last_) return;
    last_ = percent;
    constexpr int kWidth = 30;
    int filled = percent * kWidth / 100;
    std::fprintf(stderr, "\r%s [%.*s%*s] %3d%%", label_.c_str(), filled,
                 "##############################", kWidth - filled, "", percent);
    std::fflush(stderr);
  }
  void finish() {
    if (last_ >= 0) std::fprintf(stderr, "\r\033[K");
  }

 private:
  std::string label_;
  int last_ = -1;
};

void print_summary(const std::string& file, const catalog::importer::ImportSummary& s,
                   double seconds, std::size_t show_rejected) {
  std::printf("%s: %s, %s\n", file.c_str(), s.format.c_str(), s.encoding.c_str());
  std::printf("  added %zu, updated %zu, unchanged %zu, rejected %zu  (%.1f s)\n", s.added,
              s.updated, s.unchanged, s.rejected.size(), seconds);
  std::size_t shown = 0;
  for (const auto& r : s.rejected) {
    if (shown++ == show_rejected) {
      std::printf("  ... and %zu more rejected (use --show-rejected N)\n",
                  s.rejected.size() - show_rejected);
      break;
    }
    std::printf("  rejected %s%s%s: %s\n", r.where.c_str(), r.ref.empty() ? "" : " (",
                r.ref.empty() ? "" : (r.ref + ")").c_str(), r.reason.c_str());
  }
}

int run_import(const ImportCliOptions& o) {
  auto store = open_catalog(o.data_dir);
  const bool tty = isatty(STDERR_FILENO) == 1;
  int status = 0;
  for (const auto& file : o.files) {
    ProgressBar bar(file);
    catalog::importer::ImportOptions options;
    options.batch_size = o.batch_size;
    if (tty)
      options.progress = [&](std::size_t done, std::size_t total) { bar.update(done, total); };
    auto start = std::chrono::steady_clock::now();
    try {
      auto summary = catalog::importer::import_file(*store, file, options);
      bar.finish();
      print_summary(file, summary,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                    o.show_rejected);
    } catch (const std::exception& e) {
      bar.finish();
      std::cerr << "datamap import: " << file << ": " << e.what() << "\n";
      status = 1;
    }
    std::fflush(stdout);
  }
  return status;
}

}  // namespace

void add_import_command(CLI::App& app) {
  auto o = std::make_shared<ImportCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Import catalog files: data.go.kr list CSV (any layout; UTF-8 or CP949), CKAN JSON "
      "(package_search response, array of packages, ckanapi dump JSONL); .xz/.gz accepted");
  cmd->add_option("--data", o->data_dir, "data directory (catalog at DIR/catalog.db)")
      ->capture_default_str();
  cmd->add_option("--batch", o->batch_size, "datasets per write transaction")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--show-rejected", o->show_rejected, "how many rejected rows to list")
      ->capture_default_str();
  cmd->add_option("files", o->files, "files to import")->required()->check(CLI::ExistingFile);
  cmd->callback([o] { exit_code = run_import(*o); });
}

}  // namespace datamap::app
