// What one check of a URL means, as a pure function of the fetcher's answers, so the rules can
// be read (and tested) in one place:
//  - 2xx answers (a GET may answer 206 to its Range), unless the page is an HTML error page
//    served with 200 ("soft_error": its <title> says not found / error / 오류 ...);
//  - 429 and 503 mean "come back later": the URL keeps the answer it had (rate_limited);
//  - any other status, a timeout, a refused address (SSRF guard), a redirect loop, too many
//    redirects or a broken connection: broken.
#pragma once

#include "catalog/link_checks.h"
#include "net/fetcher.h"

namespace datamap::quality {

struct LinkOutcome {
  catalog::LinkCheck check;  // checked_at left empty for the caller
  bool rate_limited = false;
};

// Whether a HEAD answer needs a GET to be sure: the server refused HEAD (4xx other than 429,
// 5xx other than 503, a broken answer) or answered with an HTML page worth a look.
bool wants_get(const net::FetchResponse& head);

// The outcome of the last request of a check; `previous` is the URL's answer before it.
LinkOutcome outcome_of(const net::FetchResponse& r, catalog::LinkAnswer previous);

// True when an HTML page's <title> (in the first bytes read) says it is an error page.
bool looks_like_error_page(std::string_view content_type, std::string_view body);

}  // namespace datamap::quality
