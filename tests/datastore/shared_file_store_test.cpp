// FileStore over the cluster's files (datastore/shared_files.h, PostgreSQL large objects): two
// stores with their own directories play two nodes. A file put through one is found through the
// other (fetched into its cache), the references are the cluster's, the last one removed deletes
// the file everywhere it is asked for, and a node's references from before its files were shared
// move into the cluster with their files when it opens the store.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "datastore/file_store.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/temp_dir.h"

namespace datamap::testing {
namespace {

const std::string kParks =
    std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datafiles/datago-std-citypark-15012890.csv";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

datastore::FileStore node(const TempDir& dir, const std::string& name, const std::string& url) {
  return datastore::FileStore(dir.file(name), datastore::open_pg_shared_files(url));
}

TEST(PostgresSharedFiles, AFilePutOnOneNodeIsFoundOnTheOtherAndDeletedWithItsLastReference) {
  TempDir dir;
  const std::string url = PgCluster::shared().new_database();
  auto a = node(dir, "a", url);
  auto b = node(dir, "b", url);
  const std::string bytes = read_file(kParks);
  auto put = a.put(bytes);
  a.add_reference(put.sha256, "resource-1");

  auto found = b.find(put.sha256);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->size, static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(found->path.rfind(dir.file("b"), 0), 0u) << found->path;  // b's own cache
  EXPECT_EQ(read_file(found->path), bytes);
  EXPECT_FALSE(b.find(std::string(64, '0')));  // no such file anywhere
  EXPECT_FALSE(b.find("../../etc/passwd"));

  b.add_reference(put.sha256, "resource-2");
  EXPECT_EQ(a.reference_count(put.sha256), 2);
  EXPECT_FALSE(a.remove_reference(put.sha256, "resource-1"));  // resource-2 still holds it
  EXPECT_TRUE(b.remove_reference(put.sha256, "resource-2"));
  EXPECT_EQ(a.reference_count(put.sha256), 0);
  // Gone from the cluster: a third node cannot fetch it.
  auto c = node(dir, "c", url);
  EXPECT_FALSE(c.find(put.sha256));
  // A reference to a file the cluster no longer has is refused, not recorded without its file.
  EXPECT_THROW(c.add_reference(put.sha256, "resource-3"), std::runtime_error);
}

TEST(PostgresSharedFiles, ReferencesFromBeforeTheClusterMoveIntoItWithTheirFiles) {
  TempDir dir;
  const std::string url = PgCluster::shared().new_database();
  std::string sha256;
  {
    datastore::FileStore alone(dir.file("old"));  // a node's files before they were shared
    auto put = alone.put(read_file(kParks));
    alone.add_reference(put.sha256, "resource-1");
    sha256 = put.sha256;
  }
  auto old = node(dir, "old", url);
  EXPECT_EQ(old.reference_count(sha256), 1);
  EXPECT_TRUE(std::filesystem::is_empty(dir.file("old") + "/refs"));
  auto fresh = node(dir, "fresh", url);
  auto found = fresh.find(sha256);
  ASSERT_TRUE(found);
  EXPECT_EQ(read_file(found->path), read_file(kParks));
}

}  // namespace
}  // namespace datamap::testing
