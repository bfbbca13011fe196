// The link records on PostgreSQL (open_postgres_link_records, catalog/link_checks.h) and what the
// Store reads of them (PostgresStore::link_answers).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "catalog/link_checks.h"
#include "catalog/postgres/pg_connection.h"

namespace datamap::catalog::postgres {

// Did each URL answer when last checked (kUnknown when never checked or not recorded).
std::vector<LinkAnswer> link_answers(Connection& c, std::span<const std::string> urls);

}  // namespace datamap::catalog::postgres
