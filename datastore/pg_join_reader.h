// datastore_join's reads (join_engine.h) on the PostgreSQL DataStore (pg_table_store.h), on a
// connection holding the read's snapshot. A scan reads through a cursor, a batch at a time. The
// join-key indexes (datastore._ds_join_key, as SQLite's ds_join_key) find an equality join's
// first page; with no spatial index the engine holds the right's points sorted by latitude.
#pragma once

#include <memory>

#include "datastore/join_engine.h"
#include "datastore/pg_table_objects.h"

namespace datamap::datastore::pg {

// Reads the two tables `left` and `right` (the same one for a self-join) on `c`, which must
// outlive it and stay in one transaction while it is used.
std::unique_ptr<JoinReader> join_reader(Connection& c, const Loaded& left, const Loaded& right);

}  // namespace datamap::datastore::pg
