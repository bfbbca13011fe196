// The outbox's e-mail side (catalog/outbox.h): a version-12 SQLite catalog is upgraded keeping
// its notifications and activities; on both backends queued rows fall due, retrying ones when
// their time comes, and sent or failed ones never again; on PostgreSQL each due row is claimed by
// one node's mailer; the vote tallies of catalog/demand_activity.h.
#include "catalog/outbox.h"

#include <gtest/gtest.h>

#include "catalog/demand.h"
#include "catalog/demand_activity.h"
#include "catalog/postgres/pg_demand.h"
#include "catalog/sqlite/connection.h"
#include "catalog/sqlite/migrations.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog {
namespace {

// Constructed, not assigned member by member: g++ 12 misreads the string assignments inlined
// here as an overlapping memcpy (-Werror=restrict).
Notification queued(const std::string& user) {
  return Notification{.id = {},
                      .user_id = user,
                      .subject = "s",
                      .body = "b",
                      .link = "/requests/r",
                      .entity = "datarequest",
                      .entity_id = "r",
                      .email_state = "queued",
                      .created = {},
                      .read = false};
}

TEST(Outbox, AVersionTwelveCatalogIsUpgradedKeepingItsRows) {
  testing::TempDir dir;
  const std::string path = dir.file("catalog.db");
  {
    sqlite::Connection c(path, sqlite::Connection::Mode::kReadWrite);
    sqlite::migrate(c, 12);
    c.exec(
        "INSERT INTO notifications (id, user_id, subject, body, link, entity, entity_id, "
        "email_state, created) VALUES ('n1', 'u1', 's', 'b', '/x', 'datarequest', 'r', 'queued', "
        "'2026-12-01T00:00:00')");
    c.exec(
        "INSERT INTO activities (id, timestamp, user_id, object_id, object_type, activity_type, "
        "owner_org, private, data) VALUES ('a1', 't', 'u1', 'd1', 'package', 'new package', 'o', "
        "0, '{}')");
  }
  auto outbox = open_sqlite_outbox(path);
  auto due = outbox->due_mail(0, 10);
  ASSERT_EQ(due.size(), 1u) << "a row queued before the upgrade is due at once";
  EXPECT_EQ(due[0].id, "n1");
  EXPECT_EQ(due[0].attempts, 0);
  sqlite::Connection c(path, sqlite::Connection::Mode::kReadOnly);
  EXPECT_EQ(sqlite::schema_version(c), sqlite::latest_schema_version());
  sqlite::Statement q(c.handle(), "SELECT dataset_id, data FROM activities WHERE id = 'a1'");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.text(0), "");
  EXPECT_EQ(q.text(1), "{}");
}

class OutboxTest : public testing::StoreBackendTest {};
DATAMAP_STORE_BACKENDS(OutboxTest);

TEST_P(OutboxTest, RetryingRowsFallDueAtTheirTimeAndSentOrFailedOnesNever) {
  const std::string path = catalog_location();
  auto records =
      on_postgres() ? open_postgres_demand_records(path) : open_sqlite_demand_records(path);
  auto outbox = on_postgres() ? open_postgres_outbox(path) : open_sqlite_outbox(path);
  Notification a = queued("u1"), b = queued("u2"), off = queued("u3");
  off.email_state = "off";
  records->add_notification(a);
  records->add_notification(b);
  records->add_notification(off);
  EXPECT_EQ(outbox->next_due(), 0);
  ASSERT_EQ(outbox->due_mail(100, 10).size(), 2u) << "rows without e-mail are never due";

  outbox->mail_sent(a.id);
  outbox->mail_failed(b.id, "Failed to connect", 160);
  EXPECT_EQ(outbox->delivery(a.id)->state, "sent");
  EXPECT_FALSE(outbox->delivery(a.id)->sent_at.empty());
  auto retry = outbox->delivery(b.id);
  EXPECT_EQ(retry->state, "retrying");
  EXPECT_EQ(retry->attempts, 1);
  EXPECT_EQ(retry->error, "Failed to connect");
  EXPECT_EQ(outbox->next_due(), 160);
  EXPECT_TRUE(outbox->due_mail(159, 10).empty());
  auto later = outbox->due_mail(160, 10);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].attempts, 1);

  outbox->mail_failed(b.id, "Failed again", std::nullopt);
  EXPECT_EQ(outbox->delivery(b.id)->state, "failed");
  EXPECT_EQ(outbox->delivery(b.id)->attempts, 2);
  EXPECT_TRUE(outbox->due_mail(1'000'000, 10).empty());
  EXPECT_FALSE(outbox->next_due());
  EXPECT_EQ(outbox->delivery(off.id)->state, "off");
  EXPECT_FALSE(outbox->delivery("no-such-row"));
}

// Every node runs a mailer on a shared catalog: a due row goes to one of them, and comes back
// only when its claim lapses unanswered (the node died mid-delivery).
TEST(PostgresOutbox, EachDueRowIsClaimedByOneNodeUntilItsClaimLapses) {
  const std::string url = testing::PgCluster::shared().new_database();
  auto records = open_postgres_demand_records(url);
  auto node1 = open_postgres_outbox(url), node2 = open_postgres_outbox(url);
  Notification a = queued("u1"), b = queued("u2");
  records->add_notification(a);
  records->add_notification(b);
  auto first = node1->due_mail(100, 1);
  auto second = node2->due_mail(100, 10);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u) << "the row node 1 claimed is not handed to node 2";
  EXPECT_NE(first[0].id, second[0].id);
  EXPECT_TRUE(node1->due_mail(100, 10).empty());
  node1->mail_sent(first[0].id);
  auto lapsed = node1->due_mail(100 + postgres::kMailClaimSeconds, 10);
  ASSERT_EQ(lapsed.size(), 1u) << "node 2 never answered: its row falls due again";
  EXPECT_EQ(lapsed[0].id, second[0].id);
}

TEST(DemandActivity, VotesAreTalliedAtTenFiftyHundredAndSoOn) {
  std::vector<std::int64_t> tallies;
  for (std::int64_t v = 0; v <= 5000; ++v)
    if (is_vote_milestone(v)) tallies.push_back(v);
  EXPECT_EQ(tallies, (std::vector<std::int64_t>{10, 50, 100, 500, 1000, 5000}));
}

}  // namespace
}  // namespace datamap::catalog
