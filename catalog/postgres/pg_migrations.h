// The PostgreSQL catalog's schema steps, the same mechanism as catalog/sqlite/migrations.h: an
// ordered list of numbered steps, each run in its own transaction together with the version
// bump, so a failed step leaves the previous version. The version lives in the table
// datamap_schema (PostgreSQL has no user_version). Several nodes starting at once on one
// database take turns under an advisory lock, so each step runs exactly once.
#pragma once

#include "catalog/postgres/pg_connection.h"

namespace datamap::catalog::postgres {

int latest_schema_version();
int schema_version(Connection& c);  // 0 for an empty database
// Migrates to the latest version. Throws std::runtime_error for a database written by a newer
// datamap (nothing is changed then).
void migrate(Connection& c);

}  // namespace datamap::catalog::postgres
