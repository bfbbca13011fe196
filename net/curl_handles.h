// RAII owners for libcurl's C handles, and the one-time global init libcurl requires before any
// thread uses it. Nothing else in net/ calls curl_*_cleanup by hand.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace datamap::net {

// Calls curl_global_init exactly once per process (thread-safe through a function-local static).
void ensure_curl_global_init();

struct CurlEasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct CurlMultiDeleter {
  void operator()(CURLM* h) const { curl_multi_cleanup(h); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

// A header list that grows by append(); owns every node.
class CurlHeaders {
 public:
  void append(const std::string& line) {
    curl_slist* next = curl_slist_append(list_.get(), line.c_str());
    if (!next) throw std::bad_alloc();
    (void)list_.release();
    list_.reset(next);
  }
  curl_slist* get() const { return list_.get(); }

 private:
  std::unique_ptr<curl_slist, CurlSlistDeleter> list_;
};

inline CurlEasy make_easy() {
  ensure_curl_global_init();
  CurlEasy h(curl_easy_init());
  if (!h) throw std::runtime_error("curl_easy_init failed");
  return h;
}

inline CurlMulti make_multi() {
  ensure_curl_global_init();
  CurlMulti h(curl_multi_init());
  if (!h) throw std::runtime_error("curl_multi_init failed");
  return h;
}

}  // namespace datamap::net
