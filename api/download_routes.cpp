// GET/HEAD /dataset/{id}/resource/{resource_id}/download/{filename}: an uploaded resource's
// file, at CKAN's address. Visibility is resource_show's (a private dataset's file is 404 to
// anyone outside its organization); the bytes come straight from the FileStore, with the
// content hash as a strong ETag (If-None-Match: 304) and one byte range (206 / 416).
//
// Uploaded files are served as attachments with nosniff and a sandbox CSP: an agency's HTML or
// SVG must never run as a page of this site.
#include <charconv>

#include "api/errors.h"
#include "api/json.h"
#include "api/quota.h"
#include "api/resolve.h"
#include "api/routes.h"
#include "catalog/errors.h"
#include "catalog/text.h"
#include "datastore/file_store.h"

namespace datamap::api {
namespace {

// A byte range larger than this is not served as 206 (it would be read into memory): the
// Range header is then ignored and the whole file sent, which RFC 9110 allows.
constexpr std::int64_t kMaxRangeBytes = 64LL << 20;

struct DownloadPath {
  std::string dataset, resource, filename;
};

// "/dataset/A/resource/B/download/C" with non-empty A, B, C and no further '/'.
std::optional<DownloadPath> parse_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 1;
  if (path.empty() || path[0] != '/') return std::nullopt;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  if (parts.size() != 6 || parts[0] != "dataset" || parts[2] != "resource" ||
      parts[4] != "download")
    return std::nullopt;
  for (auto p : parts)
    if (p.empty()) return std::nullopt;
  return DownloadPath{std::string(parts[1]), std::string(parts[3]), std::string(parts[5])};
}

bool is_download(const HttpRequest& req) {
  return parse_path(req.path).has_value();
}

std::optional<std::int64_t> number(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty() || s.size() > 18) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

struct Range {
  enum Kind { none, whole, partial, unsatisfiable } kind = none;
  std::int64_t first = 0, length = 0;
};

// One "bytes=" range of a file of `size` bytes. Several ranges: the whole file (allowed).
Range parse_range(const std::string& header, std::int64_t size) {
  Range r;
  std::string_view h = catalog::trim(header);
  if (h.substr(0, 6) != "bytes=") return r;  // other units are ignored
  h.remove_prefix(6);
  if (h.find(',') != std::string_view::npos) {
    r.kind = Range::whole;
    return r;
  }
  auto dash = h.find('-');
  r.kind = Range::unsatisfiable;
  if (dash == std::string_view::npos) return r;
  auto a = catalog::trim(h.substr(0, dash)), b = catalog::trim(h.substr(dash + 1));
  if (a.empty()) {  // the last N bytes
    auto n = number(b);
    if (!n || *n == 0 || size == 0) return r;
    r.first = size - std::min(*n, size);
  } else {
    auto first = number(a);
    if (!first || *first >= size) return r;
    r.first = *first;
    if (!b.empty()) {
      auto last = number(b);
      if (!last || *last < *first) return r;
      r.length = std::min(*last, size - 1) - r.first + 1;
    }
  }
  if (r.length == 0) r.length = size - r.first;
  r.kind = Range::partial;
  return r;
}

std::string header_safe(std::string s) {  // for echoing request text into a header
  std::erase_if(s, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  return s;
}

HttpResponse download(Services& services, const Registry& registry, const HttpRequest& req) {
  auto path = parse_path(req.path);
  ActionContext ctx{services, admit(services, req)};
  rapidjson::Document params, resource;
  params.SetObject();
  params.AddMember("id", json_string(path->resource, params.GetAllocator()), params.GetAllocator());
  call_action(registry, ctx, "resource_show", params, resource);  // 404 unless visible
  auto text = [&](const char* key) {
    auto it = resource.FindMember(key);
    return it != resource.MemberEnd() && it->value.IsString()
               ? std::string(it->value.GetString(), it->value.GetStringLength())
               : std::string();
  };
  if (text("url_type") != "upload" || !services.files)
    throw NotFound("This resource has no uploaded file");
  auto file = services.files->find(text("hash"));
  if (!file) throw NotFound("The resource's file is missing");
  // The dataset segment may be the id or the name; a resource of another dataset is 404.
  std::string package_id = text("package_id");
  if (path->dataset != package_id) {
    auto d = resolve_dataset(*services.store, path->dataset);
    if (!d || d->id != package_id) throw NotFound("Resource not found");
  }
  HttpResponse r;
  std::string etag = "\"" + file->sha256 + "\"";
  // The type follows the format (a fixed list), never a client-chosen string.
  r.content_type = datastore::mimetype_for_format(text("format"));
  r.headers = {{"ETag", etag},
               {"Accept-Ranges", "bytes"},
               {"Cache-Control", "no-cache"},
               {"X-Content-Type-Options", "nosniff"},
               {"Content-Security-Policy", "sandbox"},
               {"Content-Disposition",
                "attachment; filename*=UTF-8''" + catalog::url_encode(path->filename)}};
  if (auto inm = req.header("if-none-match");
      inm && (inm->find(etag) != std::string::npos || catalog::trim(*inm) == "*")) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.file_path = file->path;
  auto range_header = req.header("range");
  if (!range_header) return r;
  if (auto if_range = req.header("if-range"); if_range && *if_range != etag) return r;
  Range range = parse_range(*range_header, file->size);
  if (range.kind == Range::unsatisfiable) {
    r = error_response(std::make_exception_ptr(RangeNotSatisfiable(
                           "Range '" + header_safe(range_header->substr(0, 100)) +
                           "' does not fit the file's " + std::to_string(file->size) + " bytes")),
                       "");
    r.headers.emplace_back("Content-Range", "bytes */" + std::to_string(file->size));
    return r;
  }
  if (range.kind != Range::partial || range.length > kMaxRangeBytes) return r;
  r.status = 206;
  r.file_offset = range.first;
  r.file_length = range.length;
  r.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                              std::to_string(range.first + range.length - 1) + "/" +
                                              std::to_string(file->size));
  return r;
}

}  // namespace

void register_download_routes(Routes& routes, Services& services, const Registry& registry) {
  routes.add(
      "GET", "/dataset/*",
      [&services, &registry](const HttpRequest& req) {
        try {
          return download(services, registry, req);
        } catch (...) {
          return error_response(std::current_exception(), "");
        }
      },
      is_download);
}

}  // namespace datamap::api
