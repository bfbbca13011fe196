// Console sessions on SQLite (table console_sessions, migration step 6): the reads and the
// writes a SqliteTransaction delegates to. Single statements, so each is atomic on its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "catalog/model.h"
#include "catalog/sqlite/connection.h"

namespace datamap::catalog::sqlite {

std::optional<ConsoleSession> find_console_session(Connection& c, std::string_view id_sha256_hex);
// NotFound if s.user_id is unknown.
void insert_console_session(Connection& c, const ConsoleSession& s, std::string_view id_sha256_hex);
void touch_console_session(Connection& c, std::string_view id_sha256_hex,
                           std::int64_t idle_expires_at);
void delete_console_session(Connection& c, std::string_view id_sha256_hex);
void delete_user_console_sessions(Connection& c, std::string_view user_id);
std::int64_t delete_expired_console_sessions(Connection& c, std::int64_t now);

}  // namespace datamap::catalog::sqlite
