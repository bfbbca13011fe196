#include "quality/link_outcome.h"

#include <algorithm>
#include <array>

#include "catalog/text.h"

namespace datamap::quality {
namespace {

bool is_html(std::string_view content_type) {
  std::string t = catalog::to_lower_ascii(content_type);
  return t.starts_with("text/html") || t.starts_with("application/xhtml");
}

bool rate_limited_status(long status) {
  return status == 429 || status == 503;
}

}  // namespace

bool looks_like_error_page(std::string_view content_type, std::string_view body) {
  if (!is_html(content_type)) return false;
  const std::string lower = catalog::to_lower_ascii(body);
  const auto open = lower.find("<title");
  if (open == std::string::npos) return false;
  const auto start = lower.find('>', open);
  const auto end = lower.find("</title", start == std::string::npos ? open : start);
  if (start == std::string::npos || end == std::string::npos) return false;
  const std::string_view title(lower.data() + start + 1, end - start - 1);
  // English and Korean phrasings of the error pages agencies' servers send with a 200.
  static constexpr std::array<std::string_view, 10> kSigns = {
      "404",  "not found",  "error",       "page unavailable", "오류",
      "에러", "찾을 수 없", "존재하지 않", "없는 페이지",      "페이지를 찾을"};
  return std::any_of(kSigns.begin(), kSigns.end(),
                     [&](std::string_view s) { return title.find(s) != std::string_view::npos; });
}

bool wants_get(const net::FetchResponse& head) {
  using E = net::FetchError;
  if (head.ok()) return is_html(head.content_type);
  if (head.error == E::kHttpStatus) return !rate_limited_status(head.status);
  return head.error == E::kTruncated || head.error == E::kOther;
}

LinkOutcome outcome_of(const net::FetchResponse& r, catalog::LinkAnswer previous) {
  using catalog::LinkAnswer;
  LinkOutcome o;
  catalog::LinkCheck& c = o.check;
  c.status = r.status;
  c.final_url = r.url;
  c.content_type = r.content_type;
  c.content_length = r.content_length;
  c.response_ms = r.elapsed_ms;
  c.message = r.message;
  if (r.ok() || r.error == net::FetchError::kTooLarge) {  // it answered, with a body or more
    if (r.status >= 200 && r.status < 300 && looks_like_error_page(r.content_type, r.body)) {
      c.answer = LinkAnswer::kNo;
      c.error = "soft_error";
      c.message = "HTTP " + std::to_string(r.status) + " with an error page: " + r.url;
    } else if (r.status >= 200 && r.status < 400) {
      c.answer = LinkAnswer::kYes;
      c.message.clear();
    } else {
      c.answer = LinkAnswer::kNo;
      c.error = "http_status";
    }
    return o;
  }
  if (r.error == net::FetchError::kHttpStatus && rate_limited_status(r.status)) {
    o.rate_limited = true;
    c.answer = previous;
    c.error = "rate_limited";
    return o;
  }
  c.answer = LinkAnswer::kNo;
  c.error = net::to_string(r.error);
  return o;
}

}  // namespace datamap::quality
