// Harvested resources into the DataStore (CKAN's archiver + xloader): a queue of resource URLs
// fetched one at a time on one worker thread with the harvester's fetch settings (SSRF guard on
// every hop, size cap, per-host politeness, timeouts, retries), stored in the FileStore by
// content hash and handed to the LoadQueue like an upload.
//
// Contract:
// - Only http(s) URLs of tabular formats (is_loadable_format) are fetched; the resource keeps its
//   URL (the source stays the source); the stored copy is referenced by the resource id, and the
//   copy of an earlier fetch is released once a different one replaces it.
// - The same bytes as the table already holds load nothing (the LoadQueue's rule).
// - A fetch that fails (refused address, timeout, HTTP error, too large) is recorded as an error
//   job of the resource (datastore_job_status), with secrets in the URL redacted; the previous
//   table stays. An error job carries the hash of the file the resource last had, so deleting
//   the resource still releases it.
// - Re-fetches are conditional: the ETag / Last-Modified the last fetch of the same URL got are
//   sent (If-None-Match / If-Modified-Since) while its copy is still the resource's, and a 304
//   keeps the stored copy and the table without downloading or loading anything.
// - enqueue() of a resource already waiting replaces its URL; a resource deleted meanwhile is
//   skipped, and one deleted during its fetch keeps no reference to the fetched copy.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "catalog/store.h"
#include "datastore/file_store.h"
#include "datastore/load_queue.h"
#include "net/fetcher.h"

namespace datamap::datastore {

struct FetchTarget {
  std::string resource_id;
  std::string url;
  std::string format;
};

class ResourceFetcher {
 public:
  // `options.max_bytes` caps one file (the upload limit); `spool_dir` holds the partial bodies.
  ResourceFetcher(catalog::Store& store, FileStore& files, LoadQueue& loads,
                  net::FetchOptions options, std::string spool_dir);
  ~ResourceFetcher();  // stop()
  ResourceFetcher(const ResourceFetcher&) = delete;
  ResourceFetcher& operator=(const ResourceFetcher&) = delete;

  void start();
  void stop();

  // Whether the resource is one this fetcher takes (http(s) URL, tabular format, not an upload).
  static bool wants(const catalog::Resource& r);
  // Queues the resource's URL; false when wants() says no.
  bool enqueue(const catalog::Resource& r);
  // Targets waiting (not counting the one being fetched).
  std::size_t pending();

 private:
  void loop();
  void fetch_and_submit(const FetchTarget& target);
  void record_error(const FetchTarget& target, const std::string& message);
  // The resource is still there with the URL the target was queued with.
  bool still_current(const FetchTarget& target);

  catalog::Store& store_;
  FileStore& files_;
  LoadQueue& loads_;
  std::string spool_dir_;
  net::Fetcher fetcher_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<FetchTarget> queue_;
  bool stopping_ = false;
  std::thread worker_;
};

// What a resource's stored copy is: the hash its newest job names (uploads name theirs in the
// catalog). delete_resource_data releases it.
std::string fetched_file_hash(LoadQueue& loads, const std::string& resource_id);

}  // namespace datamap::datastore
