#include "api/formats/catalog_query.h"

#include <algorithm>

#include "api/json.h"
#include "api/resolve.h"
#include "catalog/errors.h"
#include "catalog/package_json.h"
#include "catalog/text.h"
#include "catalog/visibility.h"

namespace datamap::api::formats {
namespace {

std::string quoted(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

CatalogResult with_search(ActionContext& ctx, const Registry& registry, const CatalogQuery& query) {
  std::vector<std::string> filters;
  if (!query.fq.empty()) filters.push_back("(" + query.fq + ")");
  if (!query.organization.empty()) filters.push_back("organization:" + quoted(query.organization));
  if (!query.group.empty()) filters.push_back("groups:" + quoted(query.group));
  if (!query.modified_since.empty())
    filters.push_back("metadata_modified:[" + query.modified_since + " TO *]");
  std::string fq;
  for (const auto& f : filters) fq += (fq.empty() ? "" : " AND ") + f;
  std::string q = query.q;
  if (!query.keyword.empty()) q = q.empty() ? query.keyword : "(" + q + ") " + query.keyword;

  rapidjson::Document params(rapidjson::kObjectType);
  auto& a = params.GetAllocator();
  params.AddMember("q", json_string(q, a), a);
  params.AddMember("fq", json_string(fq, a), a);
  params.AddMember("rows", query.rows, a);
  params.AddMember("start", query.start, a);
  params.AddMember("sort", "metadata_modified desc", a);
  rapidjson::Document result;
  call_action(registry, ctx, "package_search", params, result);
  CatalogResult out;
  if (result.HasMember("count") && result["count"].IsInt64()) out.total = result["count"].GetInt64();
  if (result.HasMember("results") && result["results"].IsArray())
    for (const auto& pkg : result["results"].GetArray()) {
      FieldErrors ignored;
      out.datasets.push_back(catalog::read_package(pkg, ignored));
    }
  return out;
}

bool contains_folded(const std::string& haystack, const std::string& needle) {
  return catalog::to_lower_ascii(haystack).find(needle) != std::string::npos;
}

CatalogResult by_walking(ActionContext& ctx, const CatalogQuery& query) {
  if (!query.q.empty() || !query.fq.empty())
    throw BadRequest("Search Query Error", "q and fq need the search service, which this server does not run");
  catalog::Store& store = *ctx.services.store;
  std::string org_id;
  if (!query.organization.empty()) {
    auto org = resolve_organization(store, query.organization);
    if (!org) return {};
    org_id = org->id;
  }
  std::string keyword = catalog::to_lower_ascii(catalog::trim(query.keyword));
  // (modified, id) of every match, newest first; only the requested page is then read in full.
  std::vector<std::pair<std::string, std::string>> matches;
  store.for_each_dataset([&](const catalog::Dataset& d) {
    if (!catalog::is_public(d)) return;
    if (!org_id.empty() && d.owner_org != org_id) return;
    if (!query.group.empty() &&
        std::find(d.groups.begin(), d.groups.end(), query.group) == d.groups.end())
      return;
    if (!query.modified_since.empty() && d.metadata_modified < query.modified_since) return;
    if (!keyword.empty()) {
      bool hit = contains_folded(d.title, keyword) || contains_folded(d.notes, keyword);
      for (const auto& t : d.tags) hit = hit || contains_folded(t, keyword);
      if (!hit) return;
    }
    matches.emplace_back(d.metadata_modified, d.id);
  });
  std::sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  CatalogResult out;
  out.total = static_cast<std::int64_t>(matches.size());
  for (std::int64_t i = query.start; i < out.total && i < query.start + query.rows; ++i)
    if (auto d = store.dataset(matches[static_cast<std::size_t>(i)].second)) out.datasets.push_back(*d);
  return out;
}

}  // namespace

CatalogResult find_datasets(ActionContext& ctx, const Registry& registry, const CatalogQuery& query) {
  if (ctx.services.search && registry.find("package_search")) return with_search(ctx, registry, query);
  return by_walking(ctx, query);
}

}  // namespace datamap::api::formats
