#include "harvest/sources/ckan_source.h"

#include <future>
#include <optional>
#include <unordered_set>

#include "catalog/import/ckan_reader.h"
#include "harvest/json_stream.h"
#include "net/url.h"

namespace datamap::harvest {
namespace {

struct Page {
  std::string error;
  std::int64_t count = -1;
  std::vector<HarvestItem> items;
  std::vector<std::string> modified;  // solr_time of each item, same order
  std::vector<std::string> ids;
};

std::string member(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject()) return "";
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

// CKAN's bookkeeping that changes without the dataset changing; it must not make an update.
void drop_volatile(rapidjson::Value& pkg) {
  if (!pkg.IsObject()) return;
  for (const char* key : {"tracking_summary", "revision_id", "revision_timestamp",
                          "relationships_as_object", "relationships_as_subject", "num_resources",
                          "num_tags", "metadata_created", "metadata_modified"})
    pkg.RemoveMember(key);
  auto res = pkg.FindMember("resources");
  if (res != pkg.MemberEnd() && res->value.IsArray())
    for (auto& r : res->value.GetArray())
      if (r.IsObject())
        for (const char* key : {"revision_id", "tracking_summary", "package_id", "position"})
          r.RemoveMember(key);
}

Page parse_page(const net::FetchResponse& r, const std::string& source_label, bool ids_only) {
  Page page;
  if (!r.ok()) {
    page.error = fetch_failure("package_search", r);
    return page;
  }
  JsonStreamResult s =
      stream_json_array_text(r.body, "result.results", [&](rapidjson::Document& pkg) {
        std::string id = member(pkg, "id");
        page.ids.push_back(id);
        if (ids_only) return true;
        page.modified.push_back(solr_time(member(pkg, "metadata_modified")));
        drop_volatile(pkg);
        HarvestItem item = catalog::importer::map_ckan_package(pkg, source_label);
        item.ref = item.dataset.source_key;
        page.items.push_back(std::move(item));
        return true;
      });
  if (!s.ok) {
    page.error = "invalid JSON from " + r.url + ": " + s.error;
    return page;
  }
  if (s.scalars["success"] != "true" || !s.found_array) {
    std::string message = s.scalars["error.message"];
    page.error = "package_search did not succeed at " + r.url +
                 (message.empty() ? "" : ": " + message);
    return page;
  }
  page.count = std::atoll(s.scalars["result.count"].c_str());
  return page;
}

}  // namespace

std::string ckan_package_search_url(const std::string& source_url) {
  std::string url = source_url.substr(0, source_url.find('?'));
  if (url.find("/api/3/action/package_search") != std::string::npos) return url;
  if (auto at = url.find("/api/3/action"); at != std::string::npos) url.resize(at);
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/api/3/action/package_search";
}

std::string solr_time(const std::string& t) {
  if (t.size() < 19) return t;
  std::string frac;
  if (t.size() > 20 && t[19] == '.')
    for (std::size_t i = 20; i < t.size() && frac.size() < 3 && std::isdigit(static_cast<unsigned char>(t[i])); ++i)
      frac.push_back(t[i]);
  while (frac.size() < 3) frac.push_back('0');
  return t.substr(0, 19) + "." + frac + "Z";
}

GatherResult CkanSource::gather(GatherContext& ctx, const ItemSink& sink) {
  GatherResult result;
  const std::int64_t rows = std::clamp<std::int64_t>(config_int(ctx.config, "rows", 100), 1, 1000);
  const std::string api = ckan_package_search_url(ctx.source.url);
  const std::string label = "harvest:" + ctx.source.id;

  auto request = [&](const std::string& bound, std::int64_t skip) {
    net::FetchRequest req;
    std::string url = net::with_query_param(api, "q", "*:*");
    url = net::with_query_param(url, "sort", "metadata_modified asc,id asc");
    url = net::with_query_param(url, "rows", std::to_string(rows));
    url = net::with_query_param(url, "start", std::to_string(skip));
    if (!bound.empty())
      url = net::with_query_param(url, "fq", "metadata_modified:[" + bound + " TO *]");
    req.url = url;
    req.cancel = ctx.cancel;
    req.headers = {"Accept: application/json"};
    return req;
  };

  std::string bound = ctx.since.empty() ? "" : solr_time(ctx.since);
  std::int64_t skip = 0;
  std::int64_t done = 0;
  std::int64_t max_pages = -1;
  std::string previous_first_id;
  std::int64_t requested_skip = skip;
  std::future<net::FetchResponse> pending = ctx.fetcher.fetch_async(request(bound, skip));
  for (;;) {
    net::FetchResponse response = pending.get();
    if (ctx.cancelled()) {
      result.error = "aborted";
      return result;
    }
    Page page = parse_page(response, label, false);
    ++result.pages;
    if (!page.error.empty()) {
      result.error = page.error;
      return result;
    }
    if (max_pages < 0) max_pages = page.count / rows + 10;  // generous: records move while we page
    if (!page.ids.empty() && page.ids.front() == previous_first_id) {
      result.error = "package_search returned the same page twice (start/fq ignored?) at " +
                     response.url;
      return result;
    }
    if (result.pages > max_pages) {
      result.error = "package_search paging does not end (" + std::to_string(result.pages) +
                     " pages for " + std::to_string(page.count) + " records)";
      return result;
    }
    if (!page.ids.empty()) previous_first_id = page.ids.front();
    const std::int64_t n = static_cast<std::int64_t>(page.items.size());
    const std::int64_t this_skip = requested_skip;
    bool more = n == rows;
    if (more) {
      // Keyset: the next page starts at the last timestamp read, skipping the records at that
      // exact timestamp we already have.
      const std::string& last = page.modified.back();
      std::int64_t ties = 0;
      for (auto it = page.modified.rbegin(); it != page.modified.rend() && *it == last; ++it) ++ties;
      if (last == bound)
        skip += n;
      else
        bound = last, skip = ties;
      requested_skip = skip;
      pending = ctx.fetcher.fetch_async(request(bound, skip));  // fetched while we import
    }
    for (auto& item : page.items) {
      item.where = "package_search page " + std::to_string(result.pages);
      ++done;
      if (!sink(std::move(item))) {
        result.error = "aborted";
        return result;
      }
    }
    // page.count counts from this page's bound, including the `skip` records before it.
    if (ctx.progress) ctx.progress(done, done - n + page.count - this_skip);
    if (!more) break;
  }

  if (!ctx.since.empty()) {
    // Incremental: learn which remote records still exist, so the rest can be deleted.
    if (!config_bool(ctx.config, "detect_deletions", true)) {
      result.ok = true;
      return result;
    }
    std::string after;
    for (std::int64_t pages = 0;; ++pages) {
      net::FetchRequest req;
      std::string url = net::with_query_param(api, "q", "*:*");
      url = net::with_query_param(url, "fl", "id");
      url = net::with_query_param(url, "sort", "id asc");
      url = net::with_query_param(url, "rows", "1000");
      if (!after.empty()) url = net::with_query_param(url, "fq", "id:{" + after + " TO *]");
      req.url = url;
      req.cancel = ctx.cancel;
      Page page = parse_page(ctx.fetcher.fetch(req), label, true);
      if (!page.error.empty()) {  // the incremental part stands; only deletions are skipped
        result.ok = true;
        result.error = "deletion check failed: " + page.error;
        return result;
      }
      if (page.ids.empty()) break;
      if (page.ids.back() <= after || pages > page.count / 1000 + 10) {
        result.ok = true;
        result.error = "deletion check failed: id paging does not advance";
        return result;
      }
      after = page.ids.back();
      if (ctx.still_there) ctx.still_there(page.ids);
      if (static_cast<std::int64_t>(page.ids.size()) < 1000) break;
    }
  }
  result.ok = true;
  result.complete_listing = true;
  return result;
}

}  // namespace datamap::harvest
