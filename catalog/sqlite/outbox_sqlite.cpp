// Outbox on SQLite: one connection of its own to the catalog file behind a mutex, as the demand
// records are (WAL lets it write beside the Store's writer).
#include <mutex>

#include "catalog/ids.h"
#include "catalog/outbox.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/records.h"

namespace datamap::catalog {
namespace {

using sqlite::Connection;
using sqlite::Statement;

class SqliteOutbox : public Outbox, private sqlite::RecordStore {
 public:
  explicit SqliteOutbox(const std::string& path) : RecordStore(path) {}

  std::vector<OutgoingMail> due_mail(std::int64_t now, std::int64_t limit) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "SELECT id, user_id, subject, body, link, email_attempts FROM notifications "
        "WHERE email_state IN ('queued', 'retrying') AND email_next_at <= ?1 "
        "ORDER BY email_next_at, seq LIMIT ?2");
    q->bind_all(now, limit);
    std::vector<OutgoingMail> out;
    while (q->step())
      out.push_back({q->text(0), q->text(1), q->text(2), q->text(3), q->text(4), q->integer(5)});
    return out;
  }

  std::optional<std::int64_t> next_due() override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "SELECT min(email_next_at) FROM notifications WHERE email_state IN ('queued', "
        "'retrying')");
    if (!q->step() || q->is_null(0)) return std::nullopt;
    return q->integer(0);
  }

  void mail_sent(std::string_view id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "UPDATE notifications SET email_state = 'sent', email_attempts = email_attempts + 1, "
        "email_error = '', email_sent_at = ?2 WHERE id = ?1");
    q->bind_all(id, now_iso8601());
    q->run();
  }

  void mail_failed(std::string_view id, std::string_view error,
                   std::optional<std::int64_t> next_at) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "UPDATE notifications SET email_state = ?2, email_attempts = email_attempts + 1, "
        "email_error = ?3, email_next_at = ?4 WHERE id = ?1");
    q->bind_all(id, next_at ? "retrying" : "failed", error, next_at.value_or(0));
    q->run();
  }

  std::optional<MailDelivery> delivery(std::string_view id) override {
    std::lock_guard lock(mutex_);
    auto q = c_.cached(
        "SELECT email_state, email_attempts, email_error, email_sent_at FROM notifications "
        "WHERE id = ?1");
    q->bind_all(id);
    if (!q->step()) return std::nullopt;
    return MailDelivery{q->text(0), q->integer(1), q->text(2), q->text(3)};
  }
};

}  // namespace

std::unique_ptr<Outbox> open_sqlite_outbox(const std::string& path) {
  return std::make_unique<SqliteOutbox>(path);
}

}  // namespace datamap::catalog
