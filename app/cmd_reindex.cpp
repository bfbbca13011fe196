// `datamap reindex [--data DIR] [--catalog URL] [--config FILE]`: rebuilds the derived data (search
// index; the map; the data requests' index) from the catalog, with progress. Safe while a server
// runs on the same DIR: the new search index is swapped in atomically and the server's indexer
// follows it; the request index, which a running server holds open and keeps current itself, is
// then left to it.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/data_dir.h"
#include "app/progress_bar.h"
#include "graph/service.h"
#include "search/request_index.h"
#include "search/service.h"

namespace datamap::app {
namespace {

// `--shards N`: the search index as N shards for xapian-tcpsrv (search/service.h write_shards),
// and nothing else: this node's own index, map and request index are left as they are.
int write_shards(const CatalogOptions& where, std::size_t shards, std::string out_dir) {
  const api::Config config = load_config(where);
  if (out_dir.empty()) out_dir = (std::filesystem::path(config.data.dir) / "index-shards").string();
  auto store = open_catalog(config);
  search::SearchOptions options;
  options.index_dir = (std::filesystem::path(config.data.dir) / "index").string();
  options.index_memory_megabytes = static_cast<std::size_t>(config.search.index_memory_megabytes);
  search::SearchService search(*store, options);
  ProgressBar bar("search shards");
  const std::int64_t revision = search.write_shards(
      out_dir, shards,
      [&](const search::ReindexProgress& p) { bar.update(p.done, p.total, p.finished); });
  std::cout << "search shards: " << shards << " in " << out_dir << " at revision " << revision
            << " (serve each with: xapian-tcpsrv --port PORT " << out_dir
            << "/shard-K/current, and for the node with remote_shards_writable also with "
               "--writable on another port)"
            << std::endl;
  return 0;
}

int reindex(const CatalogOptions& where, std::size_t memory_megabytes) {
  const api::Config config = load_config(where);
  const std::string& data_dir = config.data.dir;
  auto store = open_catalog(config);

  // 1. The search index.
  search::SearchOptions options;
  options.index_dir = (std::filesystem::path(data_dir) / "index").string();
  options.index_memory_megabytes =
      memory_megabytes > 0 ? memory_megabytes
                           : static_cast<std::size_t>(config.search.index_memory_megabytes);
  search::SearchService search(*store, options);
  ProgressBar bar("search");
  search.reindex(
      [&](const search::ReindexProgress& p) { bar.update(p.done, p.total, p.finished); });
  std::cout << "search index: " << search.document_count() << " datasets at revision "
            << search.applied_revision() << std::endl;

  // 2. The map (graph/). It lives in memory: a running server builds and follows its own, so
  // here it is built once from the catalog to check it and report what the server will show.
  try {
    graph::MapService map(*store);
    map.rebuild([](const std::string& line) { std::cerr << line << std::endl; });
    auto snapshot = map.snapshot();
    std::size_t edges = 0;
    for (int t = 0; t < graph::kEdgeTypeCount; ++t)
      edges += snapshot->edge_count(graph::EdgeType(t));
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

  // 3. The data requests' index (search/request_index.h), analysed as the datasets are.
  try {
    auto records = open_demand_records(config);
    search::RequestIndex requests(*store, *records,
                                  (std::filesystem::path(data_dir) / "request-index").string(),
                                  search.synonyms(), search.readings());
    std::cout << "request index: " << requests.rebuild() << " data requests" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "request index: not rebuilt: " << e.what() << std::endl;
  }

  return 0;
}

}  // namespace

void add_reindex_command(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("reindex", "Rebuild the search index and the map from the catalog");
  auto where = std::make_shared<CatalogOptions>();
  add_catalog_options(cmd, *where);
  auto memory = std::make_shared<std::size_t>(0);
  cmd->add_option("--index-memory", *memory,
                  "megabytes the search index may buffer while it is built (default: the "
                  "config's [search] index_memory_megabytes, 1024)")
      ->check(CLI::Range(std::size_t{16}, std::size_t{1} << 20));
  auto shards = std::make_shared<std::size_t>(0);
  cmd->add_option("--shards", *shards,
                  "write the search index as N shards for xapian-tcpsrv instead (docs/DEPLOY.md)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  auto shards_dir = std::make_shared<std::string>();
  cmd->add_option("--shards-dir", *shards_dir,
                  "where --shards writes shard-0 ... shard-<N-1> (default: DIR/index-shards)");
  cmd->callback([where, memory, shards, shards_dir] {
    exit_code = *shards > 0 ? write_shards(*where, *shards, *shards_dir) : reindex(*where, *memory);
  });
}

}  // namespace datamap::app
