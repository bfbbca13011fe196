// A site dumped as a CKAN client dumps it and loaded into an empty one through the create actions
// (tests/support/ckan_round_trip.h: ckanapi dump / load) comes back whole: the same ids, names,
// owners, memberships, group links, extras and resources. Here on the first 2,000 datasets of the
// real 2022 data.go.kr list (500 under ASan: the same actions, a quarter of the ~58 s the 2,000
// took there); bench/bench_round_trip.cpp runs the whole 61k list.
#include <gtest/gtest.h>

#include <fstream>

#include "catalog/import/input_file.h"
#include "tests/support/ckan_round_trip.h"
#include "tests/support/sanitizers.h"
#include "tests/support/test_server.h"

namespace datamap::testing {
namespace {

// The header and the first `rows` records of the bundled list (records hold no line breaks).
std::string head_of_real_list(std::size_t rows) {
  std::string all = catalog::importer::read_input_file(std::string(DATAMAP_SOURCE_DIR) +
                                                       "/data/sample/datago-list-2022.csv.xz");
  std::size_t pos = 0;
  for (std::size_t i = 0; i <= rows && pos != std::string::npos; ++i) {
    pos = all.find('\n', pos);
    if (pos != std::string::npos) ++pos;
  }
  return all.substr(0, pos);
}

TEST(RoundTrip, A2000DatasetSampleOfTheRealListComesBackWholeThroughTheCreateActions) {
  const std::size_t rows = kUnderAsan ? 500 : 2000;
  TempDir source_dir;
  const std::string list = source_dir.path() + "/head.csv";
  std::ofstream(list) << head_of_real_list(rows);
  auto imported = run_datamap({"import", "--data", source_dir.path(), list});
  ASSERT_EQ(imported.exit_code, 0) << imported.errors;

  TestServer::Options options;
  options.data_dir = source_dir.path();
  TestServer source(options);
  const std::string dumper = source.add_user("dumper", {"--sysadmin"});
  // Members of two agencies, so memberships travel too.
  auto orgs = source.client().action("organization_list", R"({"limit":2})").json();
  ASSERT_EQ(orgs["result"].Size(), 2u);
  const std::string first_org = orgs["result"][0].GetString();
  const std::string second_org = orgs["result"][1].GetString();
  source.add_user("agency-editor", {"--org", first_org, "--role", "editor"});
  source.add_user("agency-admin", {"--org", second_org, "--role", "admin"});

  SiteDump before = dump_site(source.client(), dumper);
  ASSERT_GE(before.datasets.size(), rows - 10);  // a few list rows may share a 목록키
  ASSERT_GE(before.organizations.size(), 2u);
  ASSERT_GE(before.groups.size(), 2u);
  ASSERT_GE(before.users.size(), 2u);

  TestServer target;
  const std::string loader = target.add_user("loader", {"--sysadmin"});
  LoadReport report = load_site(target.client(), loader, before);
  EXPECT_TRUE(report.failures.empty())
      << report.failures.size() << " records not loaded, the first: " << report.failures.front();
  EXPECT_EQ(report.created, before.users.size() + before.groups.size() +
                                before.organizations.size() + before.datasets.size());

  SiteDump after = dump_site(target.client(), loader);
  std::vector<std::string> differences = compare_dumps(before, after);
  std::string listed;
  for (const auto& d : differences) listed += d + "\n";
  EXPECT_TRUE(differences.empty()) << listed;
  EXPECT_EQ(after.datasets.size(), before.datasets.size());

  // The comparison sees what a client would: one dataset's description changed is one difference.
  rapidjson::Document first;
  first.Parse(before.datasets.front().c_str());
  const std::string name = first["name"].GetString();
  ASSERT_EQ(target.client()
                .action("package_patch", R"({"id":")" + name + R"(","notes":"changed"})", loader)
                .status,
            200);
  auto changed = compare_dumps(before, dump_site(target.client(), loader));
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_NE(changed[0].find("notes"), std::string::npos) << changed[0];
}

}  // namespace
}  // namespace datamap::testing
