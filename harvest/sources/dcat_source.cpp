#include "harvest/sources/dcat_source.h"

#include <cstdio>
#include <set>

#include "harvest/formats/dcat.h"
#include "harvest/formats/rdf_graph.h"
#include "net/url.h"

namespace datamap::harvest {
namespace {

std::string head_of(const std::string& path) {
  std::string head(512, '\0');
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    head.resize(std::fread(head.data(), 1, head.size(), f));
    std::fclose(f);
  } else {
    head.clear();
  }
  if (head.rfind("\xEF\xBB\xBF", 0) == 0) head.erase(0, 3);
  return head;
}

}  // namespace

GatherResult DcatSource::gather(GatherContext& ctx, const ItemSink& sink) {
  GatherResult result;
  const std::int64_t max_pages = config_int(ctx.config, "max_pages", 10000);
  std::set<std::string> visited;
  std::string url = ctx.source.url;
  std::int64_t items = 0;
  while (!url.empty()) {
    if (ctx.cancelled()) {
      result.error = "aborted";
      return result;
    }
    if (!visited.insert(url).second) {
      result.error = "Hydra paging loop: " + url + " was already visited";
      return result;
    }
    if (result.pages >= max_pages) {
      result.error = "more than " + std::to_string(max_pages) + " Hydra pages; stopped";
      return result;
    }
    ++result.pages;
    SpoolFile spool(ctx, "dcat");
    net::FetchRequest req = conditional_request(ctx, url, spool.path());
    req.headers = {"Accept: text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8"};
    if (result.pages > 1) {  // the validators belong to the first page
      req.if_none_match.clear();
      req.if_modified_since.clear();
    }
    net::FetchResponse r = ctx.fetcher.fetch(req);
    if (settled_by_fetch(ctx, url, r, result)) return result;
    RdfSyntax syntax = detect_rdf_syntax(r.content_type, head_of(spool.path()));
    RdfGraph graph;
    std::string error = parse_rdf_file(spool.path(), syntax, r.url, graph);
    if (!error.empty()) {
      result.error = "invalid RDF at " + url + ": " + error;
      return result;
    }
    std::int64_t on_page = 0;
    DcatPage page = read_dcat_graph(graph, [&](HarvestItem&& item) {
      item.where = "page " + std::to_string(result.pages) + " dataset " + std::to_string(++on_page);
      if (ctx.progress) ctx.progress(++items, -1);
      return !ctx.cancelled() && sink(std::move(item));
    });
    if (page.stopped) {
      result.error = "aborted";
      return result;
    }
    if (result.pages == 1 && page.next_page.empty()) {  // validators only mean something for
      result.etag = r.etag;                             // a catalog that is one document
      result.last_modified = r.last_modified;
    }
    // An empty page ends the paging even if it names a next one: a server that invents pages
    // forever must not keep the job running.
    if (page.datasets == 0 || page.next_page.empty()) break;
    url = net::resolve_url(r.url, page.next_page);
    if (url.empty()) {
      result.error = "unusable hydra:nextPage " + page.next_page;
      return result;
    }
  }
  result.ok = true;
  result.complete_listing = true;
  return result;
}

}  // namespace datamap::harvest
