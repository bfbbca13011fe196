// What the link checker (quality/link_checker.h) records, beside the catalog itself: for every
// URL a public dataset links to (its resources' urls and its landing page) the latest check,
// a short history, and when to check it next; for every such dataset whether its links answer.
// Stored where the catalog is: its SQLite file (migration step 8, catalog/sqlite/migrations.cpp)
// or its PostgreSQL database (step 4, catalog/postgres/pg_migrations.cpp; opened with
// catalog/postgres/pg_record_stores.h), where the checkers of every node share one schedule:
// due_urls claims rows (FOR UPDATE SKIP LOCKED), so a URL is checked by one node, and a check
// recorded on one is read on all.
//
// A URL is checked once however many resources name it; `targets` say which datasets and
// resources name it. When a dataset's link status changes (answering <-> broken) the write
// that records it appends a change-log row for that dataset (entity "dataset", kind "links") in
// the same transaction, so search and the quality score, which follow the change log, follow.
//
// Thread safety: every method may be called from any thread; each write is one transaction.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace datamap::catalog {

// What the quality score reads (Store::link_answers): did the URL answer when last checked.
// kUnknown: never checked yet, or the remote asked us to come back later (429/503).
enum class LinkAnswer { kUnknown, kYes, kNo };
const char* to_string(LinkAnswer a);  // "unknown" | "yes" | "no"

// One check of one URL.
struct LinkCheck {
  std::string checked_at;  // ISO 8601 UTC
  long status = 0;         // the final HTTP status; 0 when there was none
  // "" when the URL answered; else what went wrong: "http_status", "timeout", "connect",
  // "refused" (the SSRF guard: a private address, or a redirect into one), "redirect_loop",
  // "too_many_redirects", "soft_error" (a 200 whose page says it is an error), "rate_limited",
  // "other".
  std::string error;
  std::string message;    // human-readable detail (redacted of secrets)
  std::string final_url;  // after redirects
  std::string content_type;
  std::int64_t content_length = -1;  // as announced; -1 unknown
  std::int64_t response_ms = 0;
  LinkAnswer answer = LinkAnswer::kUnknown;
};

// A dataset or resource that names a URL. resource_id "" = the dataset's landing page (`url`).
struct LinkTarget {
  std::string dataset_id;
  std::string resource_id;
};

// The latest check of one URL with its history, newest first (the latest included).
struct LinkRecord {
  std::string url;
  std::string host;
  LinkAnswer answer = LinkAnswer::kUnknown;
  std::optional<LinkCheck> latest;  // none until the first check
  std::vector<LinkCheck> history;
  std::string next_check_at;  // ISO 8601 UTC
  std::vector<LinkTarget> targets;
};

// A broken link in an agency's report.
struct BrokenLink {
  std::string dataset_id;
  std::string dataset_name;
  std::string resource_id;  // "" = landing page
  std::string url;
  LinkCheck latest;
};

struct LinkCounts {
  std::int64_t urls = 0, answering = 0, broken = 0, unknown = 0;
  std::int64_t datasets_broken = 0;  // datasets with at least one broken link
};

// A URL whose check is due, as claimed by due_urls().
struct DueLink {
  std::string url;
  std::string host;
  LinkAnswer answer = LinkAnswer::kUnknown;  // the current one
  int streak = 0;                            // consecutive checks with this answer
};

class LinkRecords {
 public:
  virtual ~LinkRecords() = default;

  // ---- what to check, kept in step with the catalog by the link checker
  // Replaces the URLs the dataset names (one transaction). New URLs are due now; URLs no
  // dataset names any more are forgotten with their history. `dataset_name` and `owner_org`
  // are kept for the agency report. Several datasets in one call.
  struct Link {
    std::string url, host;    // host: lower case, as net::parse_http_url gives it
    std::string resource_id;  // "" = the landing page
  };
  struct DatasetLinks {
    std::string dataset_id, dataset_name, owner_org;
    std::vector<Link> links;
  };
  virtual void set_links(std::span<const DatasetLinks> datasets) = 0;
  // The dataset no longer names anything (deleted, purged, made private). Returns the URLs
  // forgotten with it, so queued checks of them can be dropped.
  virtual std::vector<std::string> remove_dataset(std::string_view dataset_id) = 0;

  // ---- the schedule, in Unix seconds. Claims up to `limit` URLs due at `now`, oldest due
  // first, at most `per_host` of one host less what `queued` already holds for it (a host with
  // no room is skipped: a paused host is given as full), and moves their next check
  // `lease_seconds` ahead so a crash between claim and record only delays them. Reads at most
  // `scan` due rows, so a backlog of one busy host costs a bounded amount.
  virtual std::vector<DueLink> due_urls(std::int64_t now, std::int64_t limit, int per_host,
                                        const std::map<std::string, int>& queued, int lease_seconds,
                                        std::int64_t scan) = 0;
  // Records a check and the next check time. A URL forgotten meanwhile (its dataset deleted)
  // records nothing and returns false. Keeps the newest `history` checks. Datasets whose
  // status changes get their change-log row in the same transaction.
  virtual bool record(std::string_view url, const LinkCheck& check, int streak,
                      std::int64_t next_check_at, int history) = 0;

  // ---- reads for the API
  virtual std::optional<LinkRecord> link(std::string_view url) = 0;
  // The agency's broken links, by dataset name then URL.
  virtual std::vector<BrokenLink> broken_links(std::string_view owner_org, std::int64_t offset,
                                               std::int64_t limit) = 0;
  virtual std::int64_t count_broken_links(std::string_view owner_org) = 0;
  virtual LinkCounts counts() = 0;

  // The last catalog revision the checker applied (resumes there after a restart). It only moves
  // forward: two checkers following one change log (two nodes) never un-apply a change.
  virtual std::int64_t applied_revision() = 0;
  virtual void set_applied_revision(std::int64_t revision) = 0;
};

// Opens the link records in the SQLite catalog at `path` (migrating it when needed).
std::unique_ptr<LinkRecords> open_sqlite_link_records(const std::string& path);

}  // namespace datamap::catalog
