// Transactions PostgreSQL rolled back for a conflict with concurrent ones — a serialization
// failure (40001) or a deadlock (40P01), both of which the server resolves by aborting one side —
// are run again, a bounded number of times, instead of surfacing as an error: the same
// transaction a moment later normally goes through. Every transaction of the Store and of the
// record stores runs through retry_conflicts (locked_write, OwnConnection::in_transaction).
#pragma once

#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "catalog/database_unavailable.h"
#include "catalog/postgres/pg_connection.h"

namespace datamap::catalog::postgres {

constexpr int kConflictAttempts = 5;

// Runs `attempt` (one whole transaction: BEGIN to COMMIT, rolled back when it throws) and runs
// it again after a short random pause while it fails with a conflict; after kConflictAttempts
// conflicts throws DatabaseUnavailable (503 with Retry-After). Any other error passes through at
// once. `attempt` may therefore run more than once: it must keep its effects inside the
// transaction.
template <typename Attempt>
auto retry_conflicts(Attempt&& attempt) {
  for (int n = 1;; ++n) {
    try {
      return attempt();
    } catch (const PgError& e) {
      if (!e.is_conflict()) throw;
      if (n >= kConflictAttempts)
        throw DatabaseUnavailable("a transaction kept conflicting with concurrent ones (" +
                                      std::to_string(n) + " attempts): " + e.what(),
                                  1);
      // Random, growing pauses, so the transactions that collided do not collide again.
      thread_local std::minstd_rand random(std::random_device{}());
      std::this_thread::sleep_for(std::chrono::milliseconds(5 * n + random() % (10 * n)));
    }
  }
}

}  // namespace datamap::catalog::postgres
