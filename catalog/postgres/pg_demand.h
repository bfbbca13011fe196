// Data requests, error reports and the notification outbox (catalog/demand.h, catalog/outbox.h)
// on PostgreSQL, so every node of a cluster sees the same requests, votes and notifications.
// What both backends do alike (columns, row mapping, filters, order) is catalog/demand_rows.h;
// here only PostgreSQL's SQL:
//  - a request's insert and update append to the change log under the catalog's write lock
//    (locked_write, pg_store.h), so the request search on every node follows them;
//  - a vote is one transaction of its own: the vote row (ON CONFLICT DO NOTHING: one per user)
//    and `UPDATE ... SET votes = votes + 1 RETURNING votes`, whose row lock makes concurrent votes
//    on any nodes count one after another, each with its own number;
//  - the outbox's due mail is claimed (FOR UPDATE SKIP LOCKED, its next attempt moved
//    kMailClaimSeconds on), so with a mailer on every node each e-mail is sent by one of them.
// Each object keeps one connection of its own behind a mutex (replaced when the server drops it),
// as the SQLite records keep theirs.
#pragma once

#include <vector>

#include "catalog/demand_ranking.h"
#include "catalog/postgres/pg_connection.h"

namespace datamap::catalog::postgres {

inline constexpr std::int64_t kMailClaimSeconds = 300;

// Requests, votes and error reports per dataset (Store::demand_signals).
std::vector<DemandCounts> demand_signals(Connection& c);

}  // namespace datamap::catalog::postgres
