// Many threads writing and reading at once: no acknowledged write is lost, readers never see a
// half-written dataset, and the change log stays gap-free.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <set>
#include <thread>

#include "catalog/store.h"
#include "tests/catalog/store_test_data.h"
#include "tests/support/temp_dir.h"

namespace datamap::catalog {
namespace {

// snprintf rather than operator+ chains: g++ 12 -O2 warns falsely (-Wrestrict) on those.
std::string dataset_name(const char* prefix, int a, int b) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%d-%d", prefix, a, b);
  return buf;
}

TEST(SqliteStoreConcurrency, WritersAndReadersTogetherLoseNothing) {
  testing::TempDir dir;
  auto store = open_sqlite_store(dir.file("catalog.db"));
  constexpr int kWriters = 4, kReaders = 4, kPerWriter = 150;
  std::atomic<int> acknowledged{0};
  std::atomic<bool> writers_done{false};
  std::atomic<int> torn{0}, reads{0};

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        Dataset d = testdata::small_dataset(dataset_name("w", w, i));
        // Every dataset's tag names its own resource count: a reader can check consistency.
        d.resources.resize(static_cast<std::size_t>(i % 3 + 1));
        d.tags = {dataset_name("n", static_cast<int>(d.resources.size()), 0)};
        store->write([&](Transaction& tx) { tx.insert_dataset(d); });
        ++acknowledged;
        if (i % 10 == 0) {
          d.title = "updated";
          store->write([&](Transaction& tx) { tx.update_dataset(d); });
        }
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&, r] {
      int i = 0;
      while (!writers_done.load()) {
        auto name = dataset_name("w", r % kWriters, i++ % kPerWriter);
        if (auto d = store->dataset(name)) {
          ++reads;
          if (d->tags.size() != 1 ||
              d->tags[0] != dataset_name("n", static_cast<int>(d->resources.size()), 0))
            ++torn;
        }
        store->count_datasets();
        if (i % 50 == 0) store->dataset_names(0, 20);
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[static_cast<std::size_t>(w)].join();
  writers_done = true;
  for (std::size_t t = kWriters; t < threads.size(); ++t) threads[t].join();

  EXPECT_EQ(acknowledged.load(), kWriters * kPerWriter);
  EXPECT_EQ(store->count_datasets(), kWriters * kPerWriter);
  for (int w = 0; w < kWriters; ++w)
    for (int i = 0; i < kPerWriter; ++i) EXPECT_TRUE(store->dataset(dataset_name("w", w, i)));
  EXPECT_EQ(torn.load(), 0);
  EXPECT_GT(reads.load(), 0);

  const int updates = kWriters * (kPerWriter / 10);
  auto changes = store->changes_since(0, 100000);
  ASSERT_EQ(changes.size(), static_cast<std::size_t>(kWriters * kPerWriter + updates));
  for (std::size_t i = 0; i < changes.size(); ++i)
    ASSERT_EQ(changes[i].revision, static_cast<std::int64_t>(i + 1)) << "gap in the change log";
}

TEST(SqliteStoreConcurrency, TwoStoresOnOneFileShareIt) {
  // A second process (e.g. `datamap user add` beside a running server) opens the same file.
  testing::TempDir dir;
  auto server = open_sqlite_store(dir.file("catalog.db"));
  auto cli = open_sqlite_store(dir.file("catalog.db"));
  std::thread t([&] {
    for (int i = 0; i < 50; ++i) {
      Dataset d = testdata::small_dataset(dataset_name("server-", i, 0));
      server->write([&](Transaction& tx) { tx.insert_dataset(d); });
    }
  });
  for (int i = 0; i < 50; ++i) {
    Dataset d = testdata::small_dataset(dataset_name("cli-", i, 0));
    cli->write([&](Transaction& tx) { tx.insert_dataset(d); });
  }
  t.join();
  EXPECT_EQ(server->count_datasets(), 100);
  EXPECT_EQ(cli->head_revision(), 100);
}

}  // namespace
}  // namespace datamap::catalog
