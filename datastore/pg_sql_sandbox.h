// datastore_search_sql on PostgreSQL (pg_table_store.h): one SELECT run on a connection of the
// store's reader role (SELECT on the resource tables, nothing else) in a READ ONLY transaction
// with statement_timeout, after EXPLAIN has named every table the plan reads: each must be a
// resource table `may_read` allows. Some functions the role may call are refused by name, found
// by a lexical scan (pg_sql_scan.h), never by text inside literals or columns: those that run SQL
// text of their own (query_to_xml and kin, ts_stat, ts_rewrite), whose reads are not in the plan;
// session advisory locks, which would outlive the query on the pooled connection; set_config;
// signalling other sessions. Rows are fetched through a cursor, at most max_rows. Every refusal
// is BadRequest naming what was refused.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "catalog/postgres/pg_connection.h"
#include "datastore/table_store.h"

namespace datamap::datastore {

// `admin`: a connection of the store's own role, to read which tables are resource tables.
SqlResult run_pg_sandboxed_sql(catalog::postgres::Connection& reader,
                               catalog::postgres::Connection& admin, std::string_view sql,
                               const SqlLimits& limits,
                               const std::function<bool(const std::string&)>& may_read);

}  // namespace datamap::datastore
