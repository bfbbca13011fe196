// The catalog's schema, as numbered migration steps. PRAGMA user_version holds the number of the
// last step applied; opening a database applies the missing steps in order, one transaction each,
// and refuses a database whose version is newer than this build knows.
#pragma once

#include <string>

#include "catalog/sqlite/connection.h"

namespace datamap::catalog::sqlite {

// The schema version this build writes: the number of the last migration step.
int latest_schema_version();
// The database's schema version (0 for a new, empty file).
int schema_version(Connection& c);
// Brings `c`'s database up to `target` (default: latest). Throws std::runtime_error naming both
// versions when the database is newer than this build.
void migrate(Connection& c, int target = -1);

}  // namespace datamap::catalog::sqlite
