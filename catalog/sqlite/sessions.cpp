#include "catalog/sqlite/sessions.h"

#include "catalog/errors.h"

namespace datamap::catalog::sqlite {

std::optional<ConsoleSession> find_console_session(Connection& c, std::string_view id_sha256_hex) {
  auto q = c.cached(
      "SELECT user_id, token_id, created_at, idle_expires_at, expires_at FROM console_sessions "
      "WHERE id_sha256 = ?1");
  q->bind_all(id_sha256_hex);
  if (!q->step()) return std::nullopt;
  return ConsoleSession{q->text(0), q->text(1), q->integer(2), q->integer(3), q->integer(4)};
}

void insert_console_session(Connection& c, const ConsoleSession& s,
                            std::string_view id_sha256_hex) {
  if (id_sha256_hex.size() != 64)
    throw ValidationError("session", "Expected the SHA-256 of the session id as 64 hex digits");
  {
    auto q = c.cached("SELECT 1 FROM users WHERE id = ?1");
    q->bind_all(s.user_id);
    if (!q->step()) throw NotFound("User not found");
  }
  auto q = c.cached(
      "INSERT INTO console_sessions (id_sha256, user_id, token_id, created_at, idle_expires_at, "
      "expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  q->bind_all(id_sha256_hex, s.user_id, s.token_id, s.created_at, s.idle_expires_at, s.expires_at);
  q->run();
}

void touch_console_session(Connection& c, std::string_view id_sha256_hex,
                           std::int64_t idle_expires_at) {
  // Never past the absolute end: a session kept busy still ends at expires_at.
  auto q = c.cached(
      "UPDATE console_sessions SET idle_expires_at = min(?2, expires_at) WHERE id_sha256 = ?1");
  q->bind_all(id_sha256_hex, idle_expires_at);
  q->run();
}

void delete_console_session(Connection& c, std::string_view id_sha256_hex) {
  auto q = c.cached("DELETE FROM console_sessions WHERE id_sha256 = ?1");
  q->bind_all(id_sha256_hex);
  q->run();
}

void delete_user_console_sessions(Connection& c, std::string_view user_id) {
  auto q = c.cached("DELETE FROM console_sessions WHERE user_id = ?1");
  q->bind_all(user_id);
  q->run();
}

std::int64_t delete_expired_console_sessions(Connection& c, std::int64_t now) {
  auto q = c.cached("DELETE FROM console_sessions WHERE idle_expires_at <= ?1 OR expires_at <= ?1");
  q->bind_all(now);
  q->run();
  return c.changes();
}

}  // namespace datamap::catalog::sqlite
