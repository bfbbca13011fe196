// The CKAN client round trip on the whole 2022 data.go.kr list (61,359 datasets): the list is
// imported into one `datamap serve`, dumped as ckanapi dumps it (package_list + package_show,
// organization_list + organization_show with users, group_list + group_show, users), loaded into
// an empty second server through the create actions with a sysadmin token, dumped again and
// compared (tests/support/ckan_round_trip.h). Prints each phase's time and rate and how much of
// the catalog came back identical. Usage: bench_round_trip [FILE] [--rows N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "catalog/import/input_file.h"
#include "tests/support/ckan_round_trip.h"
#include "tests/support/test_server.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace t = datamap::testing;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::size_t records(const t::SiteDump& d) {
  return d.users.size() + d.groups.size() + d.organizations.size() + d.datasets.size();
}

t::RoundTripProgress progress_line(const char* phase) {
  return [phase](const char* kind, std::size_t done) {
    if (done % 5000 == 0) std::fprintf(stderr, "\r%s %s %zu   ", phase, kind, done);
  };
}

}  // namespace

int main(int argc, char** argv) {
  std::string file =
      std::string(DATAMAP_SOURCE_DIR_FALLBACK) + "/data/sample/datago-list-2022.csv.xz";
  std::size_t rows = 0;  // 0: all
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rows" && i + 1 < argc)
      rows = std::strtoull(argv[++i], nullptr, 10);
    else
      file = a;
  }
  t::TempDir source_dir;
  std::string list = file;
  if (rows > 0) {
    std::string all = datamap::catalog::importer::read_input_file(file);
    std::size_t pos = 0;
    for (std::size_t i = 0; i <= rows && pos != std::string::npos; ++i)
      if ((pos = all.find('\n', pos)) != std::string::npos) ++pos;
    list = source_dir.path() + "/head.csv";
    std::ofstream(list) << all.substr(0, pos);
  }
  auto started = Clock::now();
  auto imported = t::run_datamap({"import", "--data", source_dir.path(), list});
  if (imported.exit_code != 0) {
    std::fprintf(stderr, "import failed: %s\n", imported.errors.c_str());
    return 1;
  }
  std::printf("import                %8.1f s\n", since(started));

  t::TestServer::Options options;
  options.data_dir = source_dir.path();
  t::TestServer source(options);
  const std::string dumper = source.add_user("dumper", {"--sysadmin"});
  started = Clock::now();
  t::SiteDump before = t::dump_site(source.client(), dumper, progress_line("dump"));
  double dump_s = since(started);
  std::fprintf(stderr, "\n");
  std::printf(
      "dump   %6zu records %8.1f s  %6.0f records/s  (%zu datasets, %zu organizations, "
      "%zu groups, %zu users)\n",
      records(before), dump_s, records(before) / dump_s, before.datasets.size(),
      before.organizations.size(), before.groups.size(), before.users.size());
  source.stop();

  t::TestServer target;
  const std::string loader = target.add_user("loader", {"--sysadmin"});
  started = Clock::now();
  t::LoadReport report = t::load_site(target.client(), loader, before, progress_line("load"));
  double load_s = since(started);
  std::fprintf(stderr, "\n");
  std::printf("load   %6zu records %8.1f s  %6.0f records/s  (%zu failed)\n", records(before),
              load_s, records(before) / load_s, report.failures.size());
  for (std::size_t i = 0; i < report.failures.size() && i < 10; ++i)
    std::printf("  failed: %s\n", report.failures[i].c_str());

  t::SiteDump after = t::dump_site(target.client(), loader);
  auto differences = t::compare_dumps(before, after, records(before));
  std::size_t same = records(before) - std::min(records(before), differences.size());
  std::printf(
      "compare: %zu of %zu records identical (%.3f%%): ids, names, owners, group links, "
      "extras, resources, tags, members\n",
      same, records(before), 100.0 * double(same) / double(records(before)));
  for (std::size_t i = 0; i < differences.size() && i < 10; ++i)
    std::printf("  differs: %s\n", differences[i].c_str());
  return differences.empty() && report.failures.empty() ? 0 : 1;
}
