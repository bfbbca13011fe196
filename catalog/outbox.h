// The outbox's e-mail side (issue 16 item 6): which notifications (catalog/demand.h) a mailer
// still has to send, and what became of each attempt. A row is "queued" when written with SMTP
// configured; the mailer moves it to "sent", or "retrying" (the error kept, the next attempt
// later) and finally "failed" when it gives up. Stored in the catalog beside the notifications
// (SQLite migration step 13; PostgreSQL step 3).
//
// Thread safety: every method may be called from any thread; each write is one statement.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace datamap::catalog {

// A notification due for delivery.
struct OutgoingMail {
  std::string id, user_id, subject, body, link;
  std::int64_t attempts = 0;  // made so far
};

// What became of a notification's e-mail.
struct MailDelivery {
  std::string state;  // off | no_address | queued | retrying | sent | failed
  std::int64_t attempts = 0;
  std::string error;  // the last failure, secrets redacted; "" once sent
  std::string sent_at;
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  // Queued or retrying rows whose next attempt is at or before `now` (Unix seconds), oldest first.
  virtual std::vector<OutgoingMail> due_mail(std::int64_t now, std::int64_t limit) = 0;
  // When the next queued or retrying row falls due (Unix seconds); unset when none waits.
  virtual std::optional<std::int64_t> next_due() = 0;
  virtual void mail_sent(std::string_view id) = 0;
  // One more failed attempt with `error` (kept as given: redact first). `next_at` set: tried
  // again then ("retrying"); unset: given up ("failed").
  virtual void mail_failed(std::string_view id, std::string_view error,
                           std::optional<std::int64_t> next_at) = 0;
  virtual std::optional<MailDelivery> delivery(std::string_view id) = 0;
};

std::unique_ptr<Outbox> open_sqlite_outbox(const std::string& path);
// On PostgreSQL due_mail also claims what it returns: each due row goes to one caller of the
// cluster, and falls due again only if neither mail_sent nor mail_failed follows within
// postgres::kMailClaimSeconds (catalog/postgres/pg_demand.h).
std::unique_ptr<Outbox> open_postgres_outbox(const std::string& url);

}  // namespace datamap::catalog
