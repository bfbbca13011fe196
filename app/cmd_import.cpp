// `datamap import [--data DIR] [--catalog URL] [--config FILE] FILE...`: imports catalog files
// into DIR/catalog.db (or the PostgreSQL catalog of --catalog / [catalog] url). The format
// and encoding come from each file's content (xz and gzip are decompressed); the work is done by
// catalog/import (importer.h), which the harvesters share. Prints a summary per file on stdout
// (added / updated / unchanged / rejected, each rejection with its line and reason) and draws a
// progress bar on stderr only when stderr is a terminal. Exit code 1 if a file could not be
// imported at all; rejected rows alone do not fail the command. Then the search index is brought
// up to date before the command returns (--no-index leaves that to the server).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/data_dir.h"
#include "app/progress_bar.h"
#include "catalog/import/importer.h"
#include "search/service.h"

namespace datamap::app {
namespace {

struct ImportCliOptions {
  CatalogOptions where;  // --data, --catalog, --config
  std::vector<std::string> files;
  std::size_t batch_size = 2000;
  std::size_t max_batch_size = catalog::importer::ImportOptions{}.max_batch_size;
  std::size_t show_rejected = 50;
  bool index = true;  // bring the search index up to date before returning
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

// The first search after an import must see everything imported: the index is brought up to
// date here rather than by the server's background indexer after it starts (which answered
// from a half-built index for about a minute at 61k datasets). A fresh or far-behind index is
// rebuilt in bulk (faster than applying the change log one change at a time); a nearly current
// one applies the pending changes. A server running on the same directory holds the index's
// write lock: then it is the one that catches up, and status_show shows how far it has got.
void bring_search_index_up_to_date(catalog::Store& store, const std::string& data_dir) {
  constexpr std::int64_t kRebuildWhenBehind = 5000;
  search::SearchOptions options;
  options.index_dir = (std::filesystem::path(data_dir) / "index").string();
  try {
    search::SearchService search(store, options);
    std::int64_t behind = store.head_revision() - search.applied_revision();
    if (behind <= 0) return;
    if (search.document_count() == 0 || behind > kRebuildWhenBehind) {
      ProgressBar bar("search");
      search.reindex(
          [&](const search::ReindexProgress& p) { bar.update(p.done, p.total, p.finished); });
    } else {
      search.catch_up();
    }
    std::printf("search index: %lld datasets at revision %lld\n",
                static_cast<long long>(search.document_count()),
                static_cast<long long>(search.applied_revision()));
  } catch (const std::exception& e) {
    std::printf("search index: not brought up to date here (%s); the server's indexer will\n",
                e.what());
  } catch (...) {  // Xapian's errors (a lock held by a running server) are not std::exceptions
    std::printf("search index: in use by a running server, whose indexer brings it up to date\n");
  }
}

int run_import(const ImportCliOptions& o) {
  const api::Config config = load_config(o.where);
  auto store = open_catalog(config);
  const bool tty = isatty(STDERR_FILENO) == 1;
  int status = 0;
  for (const auto& file : o.files) {
    ProgressBar bar(file);
    catalog::importer::ImportOptions options;
    options.batch_size = o.batch_size;
    options.max_batch_size = o.max_batch_size;
    if (tty)
      options.progress = [&](std::size_t done, std::size_t total) {
        bar.update(static_cast<std::int64_t>(done), static_cast<std::int64_t>(total), false);
      };
    auto start = std::chrono::steady_clock::now();
    try {
      auto summary = catalog::importer::import_file(*store, file, options);
      if (tty) bar.update(1, 1, true);
      print_summary(file, summary,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                    o.show_rejected);
    } catch (const std::exception& e) {
      std::cerr << "datamap import: " << file << ": " << e.what() << "\n";
      status = 1;
    }
    std::fflush(stdout);
  }
  if (o.index) bring_search_index_up_to_date(*store, config.data.dir);
  return status;
}

}  // namespace

void add_import_command(CLI::App& app) {
  auto o = std::make_shared<ImportCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Import catalog files: data.go.kr list CSV (any layout; UTF-8 or CP949), CKAN JSON "
      "(package_search response, array of packages, ckanapi dump JSONL); .xz/.gz accepted");
  add_catalog_options(cmd, o->where);
  cmd->add_option("--batch", o->batch_size, "datasets per write transaction, at first")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-batch", o->max_batch_size,
                  "transactions grow with the import up to this many datasets (fewer bytes "
                  "written; a batch's records are held in memory)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--show-rejected", o->show_rejected, "how many rejected rows to list")
      ->capture_default_str();
  cmd->add_flag("!--no-index", o->index,
                "leave the search index to the server (default: bring it up to date before "
                "returning, so the first search sees every imported dataset)");
  cmd->add_option("files", o->files, "files to import")->required()->check(CLI::ExistingFile);
  cmd->callback([o] { exit_code = run_import(*o); });
}

}  // namespace datamap::app
