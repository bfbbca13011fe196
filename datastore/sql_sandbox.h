// datastore_search_sql's sandbox: one read-only SELECT run on a read-only SQLite connection with
// the engine's authorizer allowing nothing but reads of the tables `table_allowed` accepts, a
// deadline enforced by the progress handler and a cap on the rows returned. Every refusal is
// BadRequest naming what was refused. The authorizer, not the SQL text, decides: a write, a
// PRAGMA, ATTACH or load_extension is refused wherever it hides (CTE, subquery, comment tricks).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "catalog/sqlite/connection.h"
#include "datastore/table_store.h"

namespace datamap::datastore {

// `c` must be opened read-only; the authorizer and progress handler are removed on return.
// table_allowed is asked about every name read from the main database, as the query spells it
// (a CTE's name too): it must refuse SQLite's own and the store's internal tables.
SqlResult run_sandboxed_sql(catalog::sqlite::Connection& c, std::string_view sql,
                            const SqlLimits& limits,
                            const std::function<bool(const std::string&)>& table_allowed);

}  // namespace datamap::datastore
