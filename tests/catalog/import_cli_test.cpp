// `datamap import` as a user runs it: the built binary on real files, summary on stdout.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <zlib.h>

#include <array>
#include <cstdio>
#include <string>

#include "catalog/store.h"
#include "tests/catalog/import_fixtures.h"
#include "tests/support/temp_dir.h"

namespace datamap {
namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

CliRun run_cli(const std::string& args) {
  CliRun r;
  std::string command = std::string(DATAMAP_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(ImportCli, ImportsReportsRejectedRowsAndIsIdempotent) {
  testing::TempDir dir;
  std::string csv = dir.file("list.csv");
  testing::write_file(csv, testing::datago_2022_head(100) +
                               "99999999,FILE,\"닫히지 않은 따옴표,설명,1,공공행정,1741000,"
                               "행정안전부,N,N,2020-01-01,2020-01-02,https://www.data.go.kr/\n");
  std::string data = dir.file("data");
  CliRun first = run_cli("import --data " + data + " " + csv);
  EXPECT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("data.go.kr list CSV, UTF-8"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("added 100, updated 0, unchanged 0, rejected 1"), std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("rejected line 102"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("unterminated quoted field"), std::string::npos) << first.out;
  EXPECT_EQ(first.out.find('\r'), std::string::npos) << "no progress bar when not a terminal";

  CliRun second = run_cli("import --data " + data + " " + csv);
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_NE(second.out.find("added 0, updated 0, unchanged 100, rejected 1"), std::string::npos)
      << second.out;

  auto store = catalog::open_sqlite_store(data + "/catalog.db");
  EXPECT_EQ(store->count_datasets(), 100);
  EXPECT_EQ(store->dataset("15000000")->title, "농림수산식품교육문화정보원_기관조사가격서비스");
}

TEST(ImportCli, ImportsEveryFileAndExitsWith1WhenOneCannotBeImported) {
  testing::TempDir dir;
  std::string data = dir.file("data");
  std::string html = dir.file("page.html");
  testing::write_file(html, "<html><body>503 Service Unavailable</body></html>\n");
  std::string gz = dir.file("packages.json.gz");
  std::string packages = testing::fixture("datagov-harvest-sources.ckan.json");
  gzFile f = gzopen(gz.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzwrite(f, packages.data(), static_cast<unsigned>(packages.size()));
  gzclose(f);
  CliRun r = run_cli("import --data " + data + " " + html + " " + gz);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("CKAN JSON, UTF-8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("added 145"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("page.html: unrecognised file"), std::string::npos) << r.out;

  CliRun missing = run_cli("import --data " + data + " " + dir.file("nope.csv"));
  EXPECT_NE(missing.exit_code, 0);
}

}  // namespace
}  // namespace datamap
