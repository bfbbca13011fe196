#include "datastore/resource_fetcher.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/ids.h"
#include "catalog/redact.h"

namespace datamap::datastore {
namespace {

std::string extra(const catalog::Resource& r, std::string_view key) {
  for (const auto& [k, v] : r.extras)
    if (k == key) return v;
  return "";
}

bool is_http_url(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

// A spool file made with mkstemp (the fetcher opens it O_NOFOLLOW), removed on every path out.
struct Spool {
  std::string path;
  explicit Spool(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::string name = dir + "/fetch-XXXXXX";
    int fd = ::mkstemp(name.data());
    if (fd < 0) throw std::runtime_error("cannot create a spool file in " + dir);
    ::close(fd);
    path = name;
  }
  ~Spool() { ::unlink(path.c_str()); }
};

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string fetched_file_hash(LoadQueue& loads, const std::string& resource_id) {
  auto job = loads.status(resource_id);
  return job ? job->file_hash : "";
}

ResourceFetcher::ResourceFetcher(catalog::Store& store, FileStore& files, LoadQueue& loads,
                                 net::FetchOptions options, std::string spool_dir)
    : store_(store),
      files_(files),
      loads_(loads),
      spool_dir_(std::move(spool_dir)),
      fetcher_(std::move(options)) {}

ResourceFetcher::~ResourceFetcher() {
  stop();
}

void ResourceFetcher::start() {
  std::lock_guard lock(mutex_);
  if (worker_.joinable()) return;
  stopping_ = false;
  worker_ = std::thread([this] { loop(); });
}

void ResourceFetcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

bool ResourceFetcher::wants(const catalog::Resource& r) {
  return extra(r, "url_type") != "upload" && is_http_url(r.url) && is_loadable_format(r.format);
}

bool ResourceFetcher::enqueue(const catalog::Resource& r) {
  if (!wants(r)) return false;
  {
    std::lock_guard lock(mutex_);
    FetchTarget target{r.id, r.url, r.format};
    auto same = std::find_if(queue_.begin(), queue_.end(),
                             [&](const FetchTarget& t) { return t.resource_id == r.id; });
    if (same != queue_.end())
      *same = std::move(target);
    else
      queue_.push_back(std::move(target));
  }
  wake_.notify_all();
  return true;
}

std::size_t ResourceFetcher::pending() {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void ResourceFetcher::loop() {
  for (;;) {
    FetchTarget next;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      fetch_and_submit(next);
    } catch (const std::exception& e) {
      record_error(next, e.what());
    }
  }
}

void ResourceFetcher::record_error(const FetchTarget& target, const std::string& message) {
  LoadJob job;
  job.resource_id = target.resource_id;
  job.status = "error";
  job.format = target.format;
  job.file_hash = fetched_file_hash(loads_, target.resource_id);  // still referenced
  job.error = catalog::redact_secrets("fetching " + target.url + ": " + message);
  job.finished = catalog::now_iso8601();
  loads_.jobs().put(job);
  spdlog::warn("resource {}: {}", target.resource_id, job.error);
}

void ResourceFetcher::fetch_and_submit(const FetchTarget& target) {
  // Deleted, or its URL changed, while it waited: the newer state has its own turn.
  if (!still_current(target)) return;
  Spool spool(spool_dir_);
  net::FetchRequest request;
  request.url = target.url;
  request.spool_path = spool.path;
  // Conditional when the last fetch of this URL left validators and its copy is still the one
  // the resource has: an unchanged remote then answers 304 and nothing is downloaded.
  std::string previous = fetched_file_hash(loads_, target.resource_id);
  auto last = loads_.jobs().validators(target.resource_id);
  bool conditional = last && last->url == target.url && !previous.empty() &&
                     last->file_hash == previous && files_.find(previous);
  if (conditional) {
    request.if_none_match = last->etag;
    request.if_modified_since = last->last_modified;
  }
  net::FetchResponse response = fetcher_.fetch(std::move(request));
  if (!response.ok()) {
    record_error(target, std::string(net::to_string(response.error)) + ": " + response.message);
    return;
  }
  if (response.not_modified()) {
    if (!conditional)
      record_error(target, "304 Not Modified to a request that was not conditional");
    return;  // the stored copy, and the table loaded from it, stay
  }
  std::string bytes = read_whole(spool.path);
  if (static_cast<std::int64_t>(bytes.size()) != response.bytes) {
    record_error(target, "the spooled body could not be read back");
    return;
  }
  StoredFile stored = files_.put(bytes);
  bytes.clear();
  bytes.shrink_to_fit();
  files_.add_reference(stored.sha256, target.resource_id);
  loads_.submit(LoadRequest{target.resource_id, stored.path, stored.sha256, target.format});
  loads_.jobs().put_validators(
      target.resource_id,
      FetchValidators{target.url, response.etag, response.last_modified, stored.sha256});
  // Deleted during the fetch: its resource_delete may have released the files before this
  // reference and job existed. Checked after both are recorded, so a delete committing from
  // now on finds them (delete_resource_data reads the newest job) and one committed before is
  // seen here: either way every reference is released, once or twice (that is harmless).
  if (!store_.resource(target.resource_id)) {
    loads_.forget(target.resource_id);
    files_.remove_reference(stored.sha256, target.resource_id);
    if (!previous.empty()) files_.remove_reference(previous, target.resource_id);
    return;
  }
  if (!previous.empty() && previous != stored.sha256)
    files_.remove_reference(previous, target.resource_id);
}

bool ResourceFetcher::still_current(const FetchTarget& target) {
  auto resource = store_.resource(target.resource_id);
  return resource && resource->url == target.url && wants(*resource);
}

}  // namespace datamap::datastore
