#include "net/fetcher.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "catalog/text.h"
#include "net/curl_handles.h"
#include "net/url.h"

namespace datamap::net {

const char* to_string(FetchError e) {
  switch (e) {
    case FetchError::kNone: return "none";
    case FetchError::kRefused: return "refused";
    case FetchError::kTimeout: return "timeout";
    case FetchError::kConnect: return "connect";
    case FetchError::kHttpStatus: return "http_status";
    case FetchError::kTooLarge: return "too_large";
    case FetchError::kTooManyRedirects: return "too_many_redirects";
    case FetchError::kRedirectLoop: return "redirect_loop";
    case FetchError::kTruncated: return "truncated";
    case FetchError::kAborted: return "aborted";
    case FetchError::kOther: return "other";
  }
  return "other";
}

namespace {

using Clock = std::chrono::steady_clock;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

// One request from submission to its answer, across retries and redirect hops.
struct Transfer {
  FetchRequest request;
  std::promise<FetchResponse> promise;
  FetchResponse response;
  std::string url;  // the current hop
  std::string host;
  std::set<std::string> visited;
  int redirects = 0;
  int attempt = 0;  // attempts on the current hop
  Clock::time_point not_before{};

  // Per attempt:
  CurlEasy easy;
  CurlHeaders headers;
  std::unique_ptr<std::FILE, FileCloser> spool;
  std::string location;
  long retry_after = -1;
  bool too_large = false;
  bool write_failed = false;
  std::string refusal;
  const FetchOptions* options = nullptr;
};

namespace {

std::string header_value(const char* data, std::size_t size, std::size_t name_len) {
  std::string_view v(data + name_len, size - name_len);
  return std::string(catalog::trim(v));
}

bool starts_with_ci(const char* data, std::size_t size, std::string_view prefix) {
  if (size < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(data[i])) != prefix[i]) return false;
  return true;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t len = size * n;
  if (starts_with_ci(data, len, "http/")) {  // a new response (after 100 Continue): start over
    t->response.etag.clear();
    t->response.last_modified.clear();
    t->response.content_type.clear();
    t->location.clear();
    t->retry_after = -1;
  } else if (starts_with_ci(data, len, "etag:")) {
    t->response.etag = header_value(data, len, 5);
  } else if (starts_with_ci(data, len, "last-modified:")) {
    t->response.last_modified = header_value(data, len, 14);
  } else if (starts_with_ci(data, len, "content-type:")) {
    t->response.content_type = header_value(data, len, 13);
  } else if (starts_with_ci(data, len, "location:")) {
    t->location = header_value(data, len, 9);
  } else if (starts_with_ci(data, len, "retry-after:")) {
    std::string v = header_value(data, len, 12);
    char* end = nullptr;
    long s = std::strtol(v.c_str(), &end, 10);
    if (end != v.c_str() && s >= 0) t->retry_after = s;
  }
  return len;
}

// Truncates and opens a spool file for writing; never through a symlink (the caller made
// the file with mkstemp; a link swapped in since is refused, not followed).
std::unique_ptr<std::FILE, FileCloser> open_spool(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return nullptr;
  std::unique_ptr<std::FILE, FileCloser> f(::fdopen(fd, "wb"));
  if (!f) ::close(fd);
  return f;
}

// A body held in memory stops at max_memory_bytes (decoded bytes: a small gzip that expands
// to gigabytes is cut there); a spooled one at max_bytes.
std::int64_t body_limit(const FetchOptions& o, const FetchRequest& r) {
  return r.spool_path.empty() ? std::min(o.max_bytes, o.max_memory_bytes) : o.max_bytes;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t len = size * n;
  long status = 0;
  curl_easy_getinfo(t->easy.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status >= 300 && status < 400) return len;  // a redirect's body is never kept
  if (t->response.bytes + static_cast<std::int64_t>(len) > body_limit(*t->options, t->request)) {
    t->too_large = true;
    return 0;  // aborts the transfer: the body is never buffered past the limit
  }
  t->response.bytes += static_cast<std::int64_t>(len);
  if (t->spool) {
    if (std::fwrite(data, 1, len, t->spool.get()) != len) {
      t->write_failed = true;
      return 0;
    }
  } else {
    t->response.body.append(data, len);
  }
  return len;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return (t->request.cancel && t->request.cancel->load()) ? 1 : 0;
}

curl_socket_t on_open_socket(void* user, curlsocktype, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(user);
  std::string reason = t->options->policy.check(t->host, &address->addr);
  if (!reason.empty()) {
    t->refusal = reason;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

bool retryable_curl_error(CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct Fetcher::Impl {
  const FetchOptions& options;
  CurlMulti multi;
  std::mutex mutex;
  std::deque<std::unique_ptr<Transfer>> submitted;  // guarded by mutex
  bool stopping = false;                            // guarded by mutex

  // Worker-thread only:
  std::list<std::unique_ptr<Transfer>> pending;
  std::map<CURL*, std::unique_ptr<Transfer>> active;
  std::map<std::string, int> active_per_host;
  std::map<std::string, Clock::time_point> next_start_per_host;
  std::thread worker;

  explicit Impl(const FetchOptions& o) : options(o), multi(make_multi()) {
    worker = std::thread([this] { run(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    curl_multi_wakeup(multi.get());
    worker.join();
  }

  void submit(std::unique_ptr<Transfer> t) {
    {
      std::lock_guard lock(mutex);
      if (stopping) {
        t->response.error = FetchError::kAborted;
        t->response.message = "fetcher is shutting down";
        t->promise.set_value(std::move(t->response));
        return;
      }
      submitted.push_back(std::move(t));
    }
    curl_multi_wakeup(multi.get());
  }

  void complete(std::unique_ptr<Transfer> t) {
    t->spool.reset();
    t->easy.reset();
    t->response.url = t->url;
    if (!t->request.spool_path.empty()) t->response.spool_path = t->request.spool_path;
    t->promise.set_value(std::move(t->response));
  }

  void fail(std::unique_ptr<Transfer> t, FetchError e, std::string message) {
    t->response.error = e;
    t->response.message = std::move(message);
    complete(std::move(t));
  }

  // Puts the transfer back in the queue for another attempt (retry) or the next hop (redirect).
  void requeue(std::unique_ptr<Transfer> t, Clock::duration delay) {
    t->not_before = Clock::now() + delay;
    pending.push_back(std::move(t));
  }

  void start(std::unique_ptr<Transfer> t) {
    auto parts = parse_http_url(t->url);
    if (!parts) {
      std::string message = "not an http(s) URL: " + t->url;
      return fail(std::move(t), FetchError::kRefused, message);
    }
    t->host = parts->host;
    ++t->attempt;
    ++t->response.attempts;
    t->response.body.clear();
    t->response.bytes = 0;
    t->response.status = 0;
    t->too_large = t->write_failed = false;
    t->refusal.clear();
    t->location.clear();
    t->retry_after = -1;
    t->headers = CurlHeaders();
    if (!t->request.spool_path.empty()) {
      t->spool = open_spool(t->request.spool_path);
      if (!t->spool) {
        std::string message = "cannot write " + t->request.spool_path;
        return fail(std::move(t), FetchError::kOther, message);
      }
    }
    t->easy = make_easy();
    CURL* e = t->easy.get();
    Transfer* raw = t.get();
    curl_easy_setopt(e, CURLOPT_URL, t->url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);  // hops are followed here, each one checked
    curl_easy_setopt(e, CURLOPT_PROXY, "");  // a proxy would hide the address actually reached
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl decodes
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(body_limit(options, t->request)));
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, raw);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, raw);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, raw);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, raw);
    curl_easy_setopt(e, CURLOPT_PRIVATE, raw);
    // Validators apply to the URL they were issued for, so only on the first hop.
    if (t->redirects == 0) {
      if (!t->request.if_none_match.empty())
        t->headers.append("If-None-Match: " + t->request.if_none_match);
      if (!t->request.if_modified_since.empty())
        t->headers.append("If-Modified-Since: " + t->request.if_modified_since);
    }
    for (const auto& h : t->request.headers) t->headers.append(h);
    if (t->headers.get()) curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers.get());
    ++active_per_host[t->host];
    next_start_per_host[t->host] = Clock::now() + options.politeness_delay;
    curl_multi_add_handle(multi.get(), e);
    active.emplace(e, std::move(t));
  }

  void start_ready() {
    auto now = Clock::now();
    for (auto it = pending.begin(); it != pending.end();) {
      if (static_cast<int>(active.size()) >= options.max_connections) return;
      Transfer& t = **it;
      if (t.request.cancel && t.request.cancel->load()) {
        auto owned = std::move(*it);
        it = pending.erase(it);
        fail(std::move(owned), FetchError::kAborted, "aborted");
        continue;
      }
      std::string host;
      if (auto p = parse_http_url(t.url)) host = p->host;
      auto next = next_start_per_host.find(host);
      bool host_free = active_per_host[host] < options.per_host_connections &&
                       (next == next_start_per_host.end() || next->second <= now);
      if (t.not_before <= now && host_free) {
        auto owned = std::move(*it);
        it = pending.erase(it);
        start(std::move(owned));
      } else {
        ++it;
      }
    }
  }

  Clock::duration backoff_for(const Transfer& t) const {
    std::chrono::milliseconds d = options.backoff * (1LL << std::min(t.attempt - 1, 20));
    if (t.retry_after >= 0) d = std::max(d, std::chrono::milliseconds(t.retry_after * 1000));
    return std::min(d, options.max_backoff);
  }

  void finish(CURL* e, CURLcode rc) {
    auto node = active.find(e);
    if (node == active.end()) return;
    std::unique_ptr<Transfer> t = std::move(node->second);
    active.erase(node);
    curl_multi_remove_handle(multi.get(), e);
    --active_per_host[t->host];
    t->spool.reset();  // flushes

    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    t->response.status = status;
    bool can_retry = t->attempt < options.max_attempts;
    std::string attempts = " (after " + std::to_string(t->response.attempts) + " attempts)";

    if (t->request.cancel && t->request.cancel->load())
      return fail(std::move(t), FetchError::kAborted, "aborted");
    if (!t->refusal.empty()) {
      std::string reason = t->refusal;
      return fail(std::move(t), FetchError::kRefused, reason);
    }
    if (t->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      std::string message = "response larger than " +
                            std::to_string(body_limit(options, t->request)) +
                            " bytes (decoded): " + t->url;
      return fail(std::move(t), FetchError::kTooLarge, message);
    }
    if (t->write_failed) {
      std::string message = "cannot write " + t->request.spool_path;
      return fail(std::move(t), FetchError::kOther, message);
    }
    if (rc != CURLE_OK) {
      FetchError kind = rc == CURLE_OPERATION_TIMEDOUT ? FetchError::kTimeout
                        : rc == CURLE_PARTIAL_FILE     ? FetchError::kTruncated
                        : (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST)
                            ? FetchError::kConnect
                            : FetchError::kOther;
      std::string message = std::string(curl_easy_strerror(rc)) + ": " + t->url + attempts;
      if (retryable_curl_error(rc) && can_retry) {
        auto delay = backoff_for(*t);
        return requeue(std::move(t), delay);
      }
      return fail(std::move(t), kind, message);
    }
    if (status >= 300 && status < 400 && status != 304) {
      std::string message;
      FetchError kind = FetchError::kNone;
      std::string next = t->location.empty() ? "" : resolve_url(t->url, t->location);
      t->visited.insert(t->url);
      if (t->location.empty()) {
        kind = FetchError::kHttpStatus;
        message = "HTTP " + std::to_string(status) + " without Location: " + t->url;
      } else if (next.empty() || !parse_http_url(next)) {
        kind = FetchError::kRefused;
        message = "redirect to a non-http(s) URL: " + t->location;
      } else if (t->visited.count(next)) {
        kind = FetchError::kRedirectLoop;
        message = "redirect loop: " + next + " was already visited from " + t->request.url;
      } else if (t->redirects + 1 > options.max_redirects) {
        kind = FetchError::kTooManyRedirects;
        message = "more than " + std::to_string(options.max_redirects) + " redirects from " +
                  t->request.url;
      }
      if (kind != FetchError::kNone) return fail(std::move(t), kind, message);
      ++t->redirects;
      t->url = next;
      t->attempt = 0;
      return requeue(std::move(t), Clock::duration::zero());
    }
    if ((status >= 500 || status == 429) && can_retry) {
      auto delay = backoff_for(*t);
      return requeue(std::move(t), delay);
    }
    if (status >= 400) {
      std::string message = "HTTP " + std::to_string(status) + " from " + t->url +
                            (status >= 500 || status == 429 ? attempts : "");
      return fail(std::move(t), FetchError::kHttpStatus, message);
    }
    complete(std::move(t));
  }

  void abort_everything() {
    for (auto& [e, t] : active) {
      curl_multi_remove_handle(multi.get(), e);
      t->response.error = FetchError::kAborted;
      t->response.message = "fetcher is shutting down";
      complete(std::move(t));
    }
    active.clear();
    for (auto& t : pending) fail(std::move(t), FetchError::kAborted, "fetcher is shutting down");
    pending.clear();
  }

  void run() {
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (stopping) break;
        while (!submitted.empty()) {
          pending.push_back(std::move(submitted.front()));
          submitted.pop_front();
        }
      }
      start_ready();
      int running = 0;
      curl_multi_perform(multi.get(), &running);
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left))
        if (msg->msg == CURLMSG_DONE) finish(msg->easy_handle, msg->data.result);
      if (!pending.empty()) start_ready();

      // Sleep until a socket is ready, a submission wakes us, or a pending start is due.
      // Transfers waiting for a busy host need no timer: a finishing transfer wakes the poll.
      auto wait = std::chrono::milliseconds(1000);
      auto now = Clock::now();
      bool room = static_cast<int>(active.size()) < options.max_connections;
      for (const auto& t : pending) {
        std::string host;
        if (auto p = parse_http_url(t->url)) host = p->host;
        if (!room || active_per_host[host] >= options.per_host_connections) continue;
        auto due = t->not_before;
        if (auto n = next_start_per_host.find(host); n != next_start_per_host.end())
          due = std::max(due, n->second);
        auto until = std::chrono::duration_cast<std::chrono::milliseconds>(due - now);
        wait = std::max(std::chrono::milliseconds(1), std::min(wait, until));
      }
      if (!active.empty()) {
        long curl_timeout = -1;
        curl_multi_timeout(multi.get(), &curl_timeout);
        if (curl_timeout >= 0) wait = std::min(wait, std::chrono::milliseconds(curl_timeout));
      }
      curl_multi_poll(multi.get(), nullptr, 0, static_cast<int>(wait.count()), nullptr);
    }
    abort_everything();
  }
};

Fetcher::Fetcher(FetchOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>(options_)) {}

Fetcher::~Fetcher() = default;

std::future<FetchResponse> Fetcher::fetch_async(FetchRequest request) {
  auto t = std::make_unique<Transfer>();
  t->request = std::move(request);
  t->url = t->request.url;
  t->options = &options_;
  auto future = t->promise.get_future();
  impl_->submit(std::move(t));
  return future;
}

}  // namespace datamap::net
