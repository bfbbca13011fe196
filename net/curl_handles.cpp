#include "net/curl_handles.h"

namespace datamap::net {

void ensure_curl_global_init() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) throw std::runtime_error("curl_global_init failed");
}

}  // namespace datamap::net
