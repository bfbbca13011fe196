#include "harvest/sources/datago_source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>

#include "catalog/errors.h"
#include "catalog/import/csv_reader.h"
#include "catalog/import/datago_reader.h"
#include "catalog/import/encoding.h"
#include "catalog/text.h"
#include "harvest/formats/json_fields.h"
#include "harvest/json_stream.h"
#include "net/url.h"

namespace datamap::harvest {
namespace {

// A read-only private mapping of a spooled file.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY);
    if (fd_ < 0) return;
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return;
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ == 0) return;
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p != MAP_FAILED) data_ = static_cast<const char*>(p);
    ::madvise(p, size_, MADV_SEQUENTIAL);
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  bool ok() const { return fd_ >= 0 && (data_ || size_ == 0); }
  std::string_view view() const { return data_ ? std::string_view(data_, size_) : std::string_view(); }
  // Drops the pages before `offset` from memory; they are re-read from the file if touched.
  void release_before(std::size_t offset) {
    static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::size_t end = offset / page * page;
    if (data_ && end > released_) {
      ::madvise(const_cast<char*>(data_) + released_, end - released_, MADV_DONTNEED);
      released_ = end;
    }
  }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t released_ = 0;
};

bool looks_like_json(const net::FetchResponse& r, std::string_view head) {
  if (r.content_type.find("json") != std::string::npos) return true;
  head = catalog::trim(head);
  return !head.empty() && head.front() == '{';
}

GatherResult gather_csv(GatherContext& ctx, const ItemSink& sink, const net::FetchResponse& r,
                        const std::string& path) {
  GatherResult result;
  MappedFile file(path);
  if (!file.ok()) {
    result.error = "cannot read the spooled list";
    return result;
  }
  std::string_view bytes = file.view();
  std::string_view prefix = bytes.substr(0, 1 << 16);
  if (prefix.size() < bytes.size()) prefix = prefix.substr(0, prefix.rfind('\n') + 1);
  catalog::importer::Encoding encoding = catalog::importer::detect_encoding(prefix);
  std::string converted;  // CP949 is converted whole (bounded by the fetcher's max_bytes)
  std::string_view text = bytes;
  if (encoding == catalog::importer::Encoding::utf8_bom) {
    text.remove_prefix(3);
  } else if (encoding == catalog::importer::Encoding::cp949) {
    try {
      converted = catalog::cp949_to_utf8(bytes);
    } catch (const std::exception& e) {
      result.error = std::string("the list is neither UTF-8 nor CP949: ") + e.what();
      return result;
    }
    text = converted;
  }
  const std::size_t base = static_cast<std::size_t>(text.data() - bytes.data());
  const bool mapped = converted.empty();

  catalog::importer::CsvReader reader(text);
  catalog::importer::CsvRecord rec;
  if (!reader.next(rec) || !rec.error.empty()) {
    result.error = "not a data.go.kr list: no header row";
    return result;
  }
  std::optional<catalog::importer::DatagoRowMapper> mapper;
  try {
    mapper.emplace(rec.fields, "harvest:" + ctx.source.id);
  } catch (const BadRequest& e) {
    result.error = std::string("not a data.go.kr list: ") + e.what();
    return result;
  }
  std::int64_t rows = 0;
  const std::int64_t total_bytes = static_cast<std::int64_t>(text.size());
  while (reader.next(rec)) {
    HarvestItem item;
    if (!rec.error.empty()) {
      item.line = rec.line;
      item.where = "line " + std::to_string(rec.line);
      item.errors["row"].push_back(rec.error);
    } else {
      item = mapper->map(rec.fields, rec.line);
    }
    ++rows;
    if (!sink(std::move(item)) || ctx.cancelled()) {
      result.error = "aborted";
      return result;
    }
    if (mapped && rows % 4096 == 0) file.release_before(base + rec.end_offset);
    if (ctx.progress && rows % 1024 == 0)
      ctx.progress(static_cast<std::int64_t>(rec.end_offset), total_bytes);
  }
  result.ok = true;
  result.complete_listing = true;
  result.etag = r.etag;
  result.last_modified = r.last_modified;
  return result;
}

// Rows of an odcloud list page: objects keyed by Korean headers. Rows with the same keys share a
// mapper; a row with other keys gets its own, so no column is ever dropped.
class ApiRowMapper {
 public:
  explicit ApiRowMapper(std::string source) : source_(std::move(source)) {}

  HarvestItem map(const rapidjson::Value& row, std::size_t index) {
    if (!row.IsObject()) {
      HarvestItem item;
      item.where = "data[" + std::to_string(index) + "]";
      item.errors["row"].push_back("Must be an object");
      return item;
    }
    std::vector<std::string> header, values;
    std::string signature;
    for (const auto& m : row.GetObject()) {
      header.emplace_back(m.name.GetString(), m.name.GetStringLength());
      signature += header.back() + '\x1f';
      values.push_back(m.value.IsString()
                           ? std::string(m.value.GetString(), m.value.GetStringLength())
                           : m.value.IsNull() ? std::string() : json_text(m.value));
    }
    auto it = mappers_.find(signature);
    if (it == mappers_.end()) {
      try {
        it = mappers_.emplace(signature, catalog::importer::DatagoRowMapper(header, source_)).first;
      } catch (const BadRequest& e) {
        HarvestItem item;
        item.where = "data[" + std::to_string(index) + "]";
        item.errors["목록키"].push_back(e.what());
        return item;
      }
    }
    HarvestItem item = it->second.map(values, 0);
    item.where = "data[" + std::to_string(index) + "]";
    return item;
  }

 private:
  std::string source_;
  std::map<std::string, catalog::importer::DatagoRowMapper> mappers_;
};

// The list's URL as requested: the source's URL with the serviceKey from its config, which only
// those who manage the source can read (the URL is public). Every page carries it, the first
// included, so no one has to write the key into the URL.
std::string keyed_url(const GatherContext& ctx) {
  std::string key = config_string(ctx.config, "serviceKey");
  return key.empty() ? ctx.source.url : net::set_query_param(ctx.source.url, "serviceKey", key);
}

GatherResult gather_api(GatherContext& ctx, const ItemSink& sink, net::FetchResponse first,
                        SpoolFile& first_spool) {
  GatherResult result;
  const std::int64_t per_page = config_int(ctx.config, "perPage", 1000);
  const std::string base = keyed_url(ctx);
  ApiRowMapper mapper("harvest:" + ctx.source.id);
  std::int64_t page_no = 1, done = 0, max_pages = -1;
  std::unique_ptr<SpoolFile> spool;
  net::FetchResponse response = std::move(first);
  const std::string* path = &first_spool.path();
  for (;;) {
    if (!response.ok()) {
      result.error = fetch_failure("list page " + std::to_string(page_no), response);
      return result;
    }
    if (std::string e = check_json_file(*path); !e.empty()) {
      result.error = "invalid JSON in list page " + std::to_string(page_no) + ": " + e;
      return result;
    }
    std::size_t index = 0;
    bool stopped = false;
    JsonStreamResult s = stream_json_array_file(*path, "data", [&](rapidjson::Document& row) {
      HarvestItem item = mapper.map(row, index++);
      item.where = "page " + std::to_string(page_no) + " " + item.where;
      if (!sink(std::move(item)) || ctx.cancelled()) {
        stopped = true;
        return false;
      }
      return true;
    });
    ++result.pages;
    if (stopped) {
      result.error = "aborted";
      return result;
    }
    if (!s.ok || !s.found_array) {
      std::string msg = s.scalars["msg"].empty() ? s.scalars["message"] : s.scalars["msg"];
      result.error = "not a data.go.kr list page: " + (s.ok ? "no \"data\" array" : s.error) +
                     (msg.empty() ? "" : " (" + msg + ")");
      return result;
    }
    done += s.elements;
    std::int64_t total = std::atoll(s.scalars["totalCount"].c_str());
    std::int64_t page_size = std::atoll(s.scalars["perPage"].c_str());
    if (page_size <= 0) page_size = per_page;
    if (ctx.progress) ctx.progress(done, total);
    if (max_pages < 0) max_pages = total / std::max<std::int64_t>(page_size, 1) + 2;
    if (s.elements == 0 || page_no * page_size >= total) break;
    if (++page_no > max_pages) {
      result.error = "list paging does not end (" + std::to_string(page_no) + " pages for " +
                     std::to_string(total) + " rows)";
      return result;
    }
    spool = std::make_unique<SpoolFile>(ctx, "datago");
    net::FetchRequest req;
    req.url = net::set_query_param(net::set_query_param(base, "page", std::to_string(page_no)),
                                   "perPage", std::to_string(page_size));
    req.spool_path = spool->path();
    req.cancel = ctx.cancel;
    response = ctx.fetcher.fetch(req);
    path = &spool->path();
  }
  result.ok = true;
  result.complete_listing = true;
  return result;
}

}  // namespace

GatherResult DatagoSource::gather(GatherContext& ctx, const ItemSink& sink) {
  SpoolFile spool(ctx, "datago");
  net::FetchRequest req = conditional_request(ctx, keyed_url(ctx), spool.path());
  net::FetchResponse r = ctx.fetcher.fetch(req);
  GatherResult result;
  // The error names the public URL; the fetcher's message (with the key) is redacted when stored.
  if (settled_by_fetch(ctx, ctx.source.url, r, result)) return result;
  std::string head(256, '\0');
  if (std::FILE* f = std::fopen(spool.path().c_str(), "rb")) {
    head.resize(std::fread(head.data(), 1, head.size(), f));
    std::fclose(f);
  }
  if (looks_like_json(r, head)) {
    // Pages of an API change under the same URL: no validators are kept for it.
    return gather_api(ctx, sink, std::move(r), spool);
  }
  return gather_csv(ctx, sink, r, spool.path());
}

}  // namespace datamap::harvest
