// catalog/ids.h: the time-ordered ids activities get sort in creation order and are UUIDs.
#include "catalog/ids.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

namespace datamap::catalog {
namespace {

TEST(Ids, TimeOrderedIdsAreUuidsThatSortAfterEarlierOnes) {
  std::string earlier = time_ordered_id();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  std::string later = time_ordered_id();
  EXPECT_TRUE(is_uuid(earlier));
  EXPECT_TRUE(is_uuid(later));
  EXPECT_EQ(later[14], '7');  // the version digit
  EXPECT_LT(earlier, later);
}

TEST(Ids, TimeOrderedIdsMadeInOneMillisecondDiffer) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(time_ordered_id());
  EXPECT_EQ(ids.size(), 1000u);
}

}  // namespace
}  // namespace datamap::catalog
