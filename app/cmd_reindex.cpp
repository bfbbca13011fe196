// `datamap reindex [--data DIR]`: rebuilds the derived data (search index; the map) from the
// catalog, with progress. Safe while a server runs on the same DIR: the new index is swapped in
// atomically and the server's indexer follows it.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/data_dir.h"
#include "graph/service.h"
#include "search/service.h"

namespace datamap::app {
namespace {

using Clock = std::chrono::steady_clock;

// One line redrawn in place on a terminal; a line every 10% otherwise (logs stay short).
class ProgressBar {
 public:
  explicit ProgressBar(std::string label) : label_(std::move(label)), tty_(isatty(2)) {}

  void update(std::int64_t done, std::int64_t total, bool finished) {
    const double secs = std::chrono::duration<double>(Clock::now() - start_).count();
    const double frac = total > 0 ? std::min(1.0, static_cast<double>(done) / total) : 1.0;
    const int pct = static_cast<int>(frac * 100);
    if (!tty_ && !finished && pct / 10 == last_decile_) return;
    last_decile_ = pct / 10;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(frac * kWidth);
    std::fprintf(stderr, "%s%-8s [%s%s] %3d%% %lld/%lld  %.0f/s  %.1fs%s", tty_ ? "\r" : "",
                 label_.c_str(), std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, '-').c_str(), pct, static_cast<long long>(done),
                 static_cast<long long>(total), secs > 0 ? done / secs : 0.0, secs,
                 tty_ && !finished ? "" : "\n");
    std::fflush(stderr);
  }

 private:
  std::string label_;
  bool tty_;
  int last_decile_ = -1;
  Clock::time_point start_ = Clock::now();
};

int reindex(const std::string& data_dir) {
  auto store = open_catalog(data_dir);

  // 1. The search index.
  search::SearchOptions options;
  options.index_dir = (std::filesystem::path(data_dir) / "index").string();
  search::SearchService search(*store, options);
  ProgressBar bar("search");
  search.reindex([&](const search::ReindexProgress& p) { bar.update(p.done, p.total, p.finished); });
  std::cout << "search index: " << search.document_count() << " datasets at revision "
            << search.applied_revision() << std::endl;

  // 2. The map (graph/). It lives in memory: a running server builds and follows its own, so
  // here it is built once from the catalog to check it and report what the server will show.
  try {
    graph::MapService map(*store);
    map.rebuild([](const std::string& line) { std::cerr << line << std::endl; });
    auto snapshot = map.snapshot();
    std::size_t edges = 0;
    for (int t = 0; t < graph::kEdgeTypeCount; ++t) edges += snapshot->edge_count(graph::EdgeType(t));
    const auto& stats = snapshot->stats();
    std::cout << "map: " << snapshot->dataset_count() << " datasets, " << snapshot->node_count()
              << " nodes, " << edges << " edges (" << snapshot->edge_count(graph::EdgeType::related)
              << " related), " << snapshot->communities().size() << " clusters, built in "
              << stats.extract_seconds + stats.build_seconds << " s at revision " << stats.revision
              << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "map: " << e.what() << std::endl;
    return 1;
  }

  return 0;
}

}  // namespace

void add_reindex_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("reindex", "Rebuild the search index and the map from the catalog");
  auto data_dir = std::make_shared<std::string>(kDefaultDataDir);
  cmd->add_option("--data", *data_dir, "data directory (default var/data)");
  cmd->callback([data_dir] { exit_code = reindex(*data_dir); });
}

}  // namespace datamap::app
