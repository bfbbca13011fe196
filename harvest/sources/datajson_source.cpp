#include "harvest/sources/datajson_source.h"

#include "harvest/formats/datajson.h"

namespace datamap::harvest {

GatherResult DataJsonSource::gather(GatherContext& ctx, const ItemSink& sink) {
  GatherResult result;
  SpoolFile spool(ctx, "datajson");
  net::FetchRequest req = conditional_request(ctx, ctx.source.url, spool.path());
  req.headers = {"Accept: application/json"};
  net::FetchResponse r = ctx.fetcher.fetch(req);
  result.pages = 1;
  if (settled_by_fetch(ctx, ctx.source.url, r, result)) return result;
  if (std::string error = check_json_file(spool.path()); !error.empty()) {
    result.error = "invalid JSON in " + ctx.source.url + ": " + error;
    return result;
  }
  std::int64_t n = 0;
  JsonStreamResult s = read_datajson_file(spool.path(), [&](HarvestItem&& item) {
    item.where = "dataset[" + std::to_string(n++) + "]";
    if (ctx.progress) ctx.progress(n, -1);
    return !ctx.cancelled() && sink(std::move(item));
  });
  if (!s.ok) {
    result.error = "invalid data.json at " + ctx.source.url + ": " + s.error;
    return result;
  }
  if (s.stopped) {
    result.error = "aborted";
    return result;
  }
  result.ok = true;
  result.complete_listing = true;
  result.etag = r.etag;
  result.last_modified = r.last_modified;
  return result;
}

}  // namespace datamap::harvest
