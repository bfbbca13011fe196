#include "harvest/sources/source_type.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "harvest/sources/ckan_source.h"
#include "harvest/sources/datago_source.h"
#include "harvest/sources/datajson_source.h"
#include "harvest/sources/dcat_source.h"

namespace datamap::harvest {

std::unique_ptr<SourceType> make_source_type(std::string_view type) {
  if (type == "ckan") return std::make_unique<CkanSource>();
  if (type == "dcat") return std::make_unique<DcatSource>();
  if (type == "datajson") return std::make_unique<DataJsonSource>();
  if (type == "datago") return std::make_unique<DatagoSource>();
  return nullptr;
}

SpoolFile::SpoolFile(const std::string& dir, const std::string& stem) {
  std::error_code ec;
  if (std::filesystem::create_directories(dir, ec))
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  std::string name = dir + "/" + stem + "-XXXXXX";
  int fd = ::mkstemp(name.data());
  if (fd < 0)
    throw std::runtime_error("cannot create a spool file in " + dir + ": " + std::strerror(errno));
  ::close(fd);  // the fetcher reopens it by name (O_NOFOLLOW) for each attempt
  path_ = std::move(name);
}

SpoolFile::~SpoolFile() { std::remove(path_.c_str()); }

std::string guess_source_type(std::string_view url) {
  std::string u(url.substr(0, url.find_first_of("?#")));
  for (auto& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto ends = [&](std::string_view s) {
    return u.size() >= s.size() && u.compare(u.size() - s.size(), s.size(), s) == 0;
  };
  if (ends("data.json")) return "datajson";
  if (ends(".rdf") || ends(".ttl") || ends(".jsonld") || ends(".xml") ||
      u.find("/catalog.") != std::string::npos)
    return "dcat";
  if (ends(".csv") || u.find("odcloud") != std::string::npos ||
      u.find("data.go.kr") != std::string::npos)
    return "datago";
  return "ckan";
}

std::string config_string(const rapidjson::Value& config, const char* key,
                          const std::string& fallback) {
  if (!config.IsObject()) return fallback;
  auto it = config.FindMember(key);
  if (it == config.MemberEnd() || !it->value.IsString()) return fallback;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::int64_t config_int(const rapidjson::Value& config, const char* key, std::int64_t fallback) {
  if (!config.IsObject()) return fallback;
  auto it = config.FindMember(key);
  if (it == config.MemberEnd()) return fallback;
  if (it->value.IsInt64()) return it->value.GetInt64();
  if (it->value.IsString()) {
    char* end = nullptr;
    long long v = std::strtoll(it->value.GetString(), &end, 10);
    if (end && *end == '\0') return v;
  }
  return fallback;
}

bool config_bool(const rapidjson::Value& config, const char* key, bool fallback) {
  if (!config.IsObject()) return fallback;
  auto it = config.FindMember(key);
  if (it == config.MemberEnd()) return fallback;
  if (it->value.IsBool()) return it->value.GetBool();
  if (it->value.IsString()) return std::string_view(it->value.GetString()) == "true";
  return fallback;
}

std::string fetch_failure(const std::string& what, const net::FetchResponse& r) {
  return what + ": " + std::string(to_string(r.error)) + ": " + r.message;
}

net::FetchRequest conditional_request(const GatherContext& ctx, const std::string& url,
                                      const std::string& spool) {
  net::FetchRequest req;
  req.url = url;
  req.spool_path = spool;
  req.if_none_match = ctx.etag;
  req.if_modified_since = ctx.last_modified;
  req.cancel = ctx.cancel;
  return req;
}

bool settled_by_fetch(const GatherContext& ctx, const std::string& url, const net::FetchResponse& r,
                      GatherResult& result) {
  if (!r.ok()) {
    result.error = fetch_failure("fetching " + url, r);
    return true;
  }
  if (r.not_modified()) {
    result.ok = true;
    result.not_modified = true;
    result.etag = ctx.etag;
    result.last_modified = ctx.last_modified;
    return true;
  }
  return false;
}

}  // namespace datamap::harvest
