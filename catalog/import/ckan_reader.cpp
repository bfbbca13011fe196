#include "catalog/import/ckan_reader.h"

#include <algorithm>
#include <iterator>

#include "catalog/errors.h"
#include "catalog/ids.h"
#include "catalog/licenses.h"
#include "catalog/package_json.h"
#include "catalog/text.h"
#include "catalog/untrusted_json.h"
#include "catalog/validation.h"

namespace datamap::catalog::importer {
namespace {

// Ids are kept as the source wrote them when they are plain tokens (CKAN's are UUIDs).
bool usable_id(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

std::string name_from(std::string_view name, std::string_view title, std::string_view id,
                      std::string_view prefix) {
  if (is_valid_name(name)) return std::string(name);
  std::string slug = slugify(name.empty() ? title : name);
  if (slug.empty() && !name.empty()) slug = slugify(title);
  if (!slug.empty()) return slug;
  return std::string(prefix) + sha256_hex(id.empty() ? title : id).substr(0, 16);
}

void move_bad_url(std::string& url, KeyValues& extras) {
  if (url.empty() || is_valid_url(url)) return;
  extras.emplace_back("original_url", url);  // ftp:// and friends: kept, not served as a link
  url.clear();
}

void move_bad_date(const char* field, std::string& value, KeyValues& extras) {
  if (value.empty() || is_iso8601(value)) return;
  extras.emplace_back(field, value);
  value.clear();
}

bool known_type(std::string_view type) {
  return std::any_of(std::begin(kDatasetTypes), std::end(kDatasetTypes),
                     [&](const char* t) { return type == t; });
}

std::string text_member(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return "";
  std::string_view s(it->value.GetString(), it->value.GetStringLength());
  return is_valid_utf8(s) ? to_nfc(trim(s)) : "";
}

}  // namespace

Record map_ckan_package(const rapidjson::Value& pkg, std::string_view source) {
  Record r;
  Dataset& d = r.dataset;
  d = read_package(pkg, r.errors);
  if (!pkg.IsObject()) return r;
  r.ref = d.name.empty() ? d.id : d.name;

  const std::string source_id = d.id;
  if (d.source.empty()) d.source = source.empty() ? "ckan" : std::string(source);
  if (d.source_key.empty()) d.source_key = source_id.empty() ? d.name : source_id;
  if (usable_id(source_id)) {
    d.id = source_id;
  } else {
    if (!source_id.empty()) d.extras.emplace_back("original_id", source_id);
    d.id = stable_id(d.source, d.source_key.empty() ? d.title : d.source_key);
  }
  std::string name = name_from(d.name, d.title, d.id, "ckan-");
  if (name != d.name && !d.name.empty()) d.extras.emplace_back("original_name", d.name);
  d.name = name;

  if (!known_type(d.type)) {
    d.extras.emplace_back("type", d.type);  // e.g. data.gov's "harvest" sources
    d.type = "dataset";
  }
  // The source's own record times are what DCAT calls issued / modified; this catalog's
  // metadata_created / metadata_modified are set by the store when it writes.
  if (d.issued.empty()) d.issued = d.metadata_created;
  if (d.modified.empty()) d.modified = d.metadata_modified;
  d.metadata_created.clear();
  d.metadata_modified.clear();
  move_bad_date("issued", d.issued, d.extras);
  move_bad_date("modified", d.modified, d.extras);
  move_bad_date("next_update", d.next_update, d.extras);
  move_bad_url(d.url, d.extras);

  std::string license_title = text_member(pkg, "license_title");
  if (!d.license_id.empty() ? !is_known_license(d.license_id) : !license_title.empty()) {
    std::string raw = d.license_id;
    d.license_id = license_from_text(raw);
    if (d.license_id.empty()) d.license_id = license_from_text(license_title);
    if (d.license_id.empty()) {
      if (!raw.empty()) d.extras.emplace_back("license_id", raw);
      if (!license_title.empty()) d.extras.emplace_back("license_title", license_title);
    }
  }

  for (std::size_t i = 0; i < d.resources.size(); ++i) {
    Resource& res = d.resources[i];
    if (!usable_id(res.id)) res.id.clear();  // the upserter derives a stable one
    move_bad_url(res.url, res.extras);
  }

  Organization org;
  if (read_embedded_organization(pkg, org)) {
    if (!usable_id(org.id)) org.id = stable_id("ckan-org", org.name.empty() ? org.title : org.name);
    org.name = name_from(org.name, org.title, org.id, "org-");
    if (org.title.empty()) org.title = org.name;
    d.owner_org = org.id;
    r.organization = std::move(org);
  }

  // Groups: keep their titles for first sight; names that cannot be URL slugs are slugified.
  auto groups = pkg.FindMember("groups");
  std::vector<std::string> names;
  for (const std::string& g : d.groups) {
    Group group;
    group.name = name_from(g, g, g, "group-");
    group.title = g;
    if (groups != pkg.MemberEnd() && groups->value.IsArray()) {
      for (const auto& item : groups->value.GetArray()) {
        if (!item.IsObject() || text_member(item, "name") != g) continue;
        if (std::string t = text_member(item, "title"); !t.empty()) group.title = t;
        group.description = text_member(item, "description");
        if (std::string id = text_member(item, "id"); usable_id(id)) group.id = id;
      }
    }
    if (std::find(names.begin(), names.end(), group.name) != names.end()) continue;
    names.push_back(group.name);
    r.groups.push_back(std::move(group));
  }
  d.groups = names;
  return r;
}

void read_ckan_json(std::string_view text, const ReadContext& ctx, const RecordSink& emit) {
  rapidjson::Document doc;
  if (auto error = parse_untrusted_json(text, doc))
    throw BadRequest("Import Error", "invalid JSON: " + error->message());

  const rapidjson::Value* packages = nullptr;
  std::string path;
  if (doc.IsArray()) {
    packages = &doc;
  } else if (doc.IsObject()) {
    auto success = doc.FindMember("success");
    if (success != doc.MemberEnd() && success->value.IsFalse())
      throw BadRequest("Import Error", "the CKAN response says success: false");
    auto result = doc.FindMember("result");
    const rapidjson::Value& holder =
        result != doc.MemberEnd() && result->value.IsObject() ? result->value : doc;
    path = result != doc.MemberEnd() ? "result." : "";
    if (result != doc.MemberEnd() && result->value.IsArray()) {
      packages = &result->value;
      path = "result";
    } else if (auto results = holder.FindMember("results"); results != holder.MemberEnd()) {
      if (!results->value.IsArray())
        throw BadRequest("Import Error", "\"" + path + "results\" is not a list of packages");
      packages = &results->value;
      path += "results";
    }
  } else {
    throw BadRequest("Import Error", "expected a JSON object or array of CKAN packages");
  }

  std::string source = ctx.source;
  if (!packages) {  // one package dict (a package_show result, or a bare package)
    auto result = doc.FindMember("result");
    const rapidjson::Value& pkg =
        result != doc.MemberEnd() && result->value.IsObject() ? result->value : doc;
    Record r = map_ckan_package(pkg, source);
    r.where = result != doc.MemberEnd() ? "result" : "package";
    r.offset = text.size();
    emit(std::move(r));
    return;
  }
  const rapidjson::SizeType n = packages->Size();
  for (rapidjson::SizeType i = 0; i < n; ++i) {
    Record r = map_ckan_package((*packages)[i], source);
    r.where = (path.empty() ? std::string("package") : path) + "[" + std::to_string(i) + "]";
    r.offset = static_cast<std::size_t>(static_cast<double>(i + 1) / n * text.size());
    emit(std::move(r));
  }
}

void read_ckan_jsonl(std::string_view text, const ReadContext& ctx, const RecordSink& emit) {
  std::size_t pos = 0, line = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = trim(text.substr(pos, nl - pos));
    ++line;
    pos = nl + 1;
    if (raw.empty()) continue;
    Record r;
    rapidjson::Document doc;
    if (auto error = parse_untrusted_json(raw, doc)) {
      r.errors["json"].push_back("invalid JSON: " + error->message());
    } else {
      r = map_ckan_package(doc, ctx.source);
    }
    r.line = line;
    r.where = "line " + std::to_string(line);
    r.offset = std::min(pos, text.size());
    emit(std::move(r));
  }
}

}  // namespace datamap::catalog::importer
