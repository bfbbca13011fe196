// A source type lists a remote catalog and hands over its records one at a time (the "gather"
// and "fetch" stages; the job does the import). Whole documents are spooled to a file and
// streamed from there; paged APIs are read one page at a time, the next page fetched while the
// current one is imported. Nothing holds a whole remote catalog in memory.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/harvest_records.h"
#include "harvest/item.h"
#include "net/fetcher.h"

namespace datamap::harvest {

struct GatherContext {
  net::Fetcher& fetcher;
  const catalog::HarvestSource& source;
  const rapidjson::Value& config;  // the source's config object (may be empty)
  std::string since;               // incremental lower bound (ISO 8601 UTC); "" = everything
  std::string spool_dir;           // where whole documents are spooled while they are read
  net::CancelToken cancel;
  // Validators of the last complete fetch, for a conditional GET of single-document sources.
  std::string etag, last_modified;
  // Remote records that exist but were not handed over because they did not change since
  // `since` (the CKAN deletion pass): they are not deleted.
  std::function<void(const std::vector<std::string>& remote_ids)> still_there;
  std::function<void(std::int64_t done, std::int64_t total)> progress;  // total -1 = unknown

  bool cancelled() const { return cancel && cancel->load(); }
};

struct GatherResult {
  bool ok = false;
  std::string error;  // why the gather failed (fetch error, unparseable document, loop)
  // Every record of the source was handed over or reported still_there: the job may delete
  // what it did not see.
  bool complete_listing = false;
  bool not_modified = false;  // the remote answered 304 to the conditional GET
  std::string etag, last_modified;  // validators to keep for next time
  std::int64_t pages = 0;
};

class SourceType {
 public:
  virtual ~SourceType() = default;
  virtual GatherResult gather(GatherContext& ctx, const ItemSink& sink) = 0;
};

// A source type for a bare URL: ".../data.json" datajson, .rdf/.ttl/.jsonld or "catalog." dcat,
// .csv or an odcloud / data.go.kr API datago, anything else (a site root, /api/3) ckan.
std::string guess_source_type(std::string_view url);

// "ckan", "dcat", "datajson", "datago"; nullptr for anything else.
std::unique_ptr<SourceType> make_source_type(std::string_view type);

// A spooled document's file, "<dir>/<stem>-XXXXXX": made by mkstemp (a fresh name, O_EXCL,
// mode 0600) in `dir`, which is created (mode 0700) when missing, so a file or symlink planted
// at a guessable name is never written through. Removed when the gather is done with it.
// Throws std::runtime_error naming the directory when no file can be made.
class SpoolFile {
 public:
  SpoolFile(const std::string& dir, const std::string& stem);
  SpoolFile(const GatherContext& ctx, const std::string& stem) : SpoolFile(ctx.spool_dir, stem) {}
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Helpers shared by the source types.
std::string config_string(const rapidjson::Value& config, const char* key,
                          const std::string& fallback = "");
std::int64_t config_int(const rapidjson::Value& config, const char* key, std::int64_t fallback);
bool config_bool(const rapidjson::Value& config, const char* key, bool fallback);
// "<what>: <fetch message>" for a failed fetch.
std::string fetch_failure(const std::string& what, const net::FetchResponse& r);
// A GET of `url` into `spool`, cancellable with the job, conditional on the source's validators
// from its last successful job (ETag, Last-Modified).
net::FetchRequest conditional_request(const GatherContext& ctx, const std::string& url,
                                      const std::string& spool);
// The conditional GET of a whole-document source settles the gather when it failed (result
// carries the error) or answered 304 (ok, not modified, the validators kept). Returns whether it
// did; false means a body arrived to parse.
bool settled_by_fetch(const GatherContext& ctx, const std::string& url, const net::FetchResponse& r,
                      GatherResult& result);

}  // namespace datamap::harvest
