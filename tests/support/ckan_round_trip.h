// A whole site dumped and loaded as a CKAN client does it (ckanapi dump / load), over the Action
// API only: the round-trip test and bench/bench_round_trip.cpp share it.
//
//   dump: package_list + package_show, organization_list + organization_show (include_users),
//         group_list + group_show, users (user_list when the site has it, else the users the
//         organizations list) + user_show; one JSON line per record, as ckanapi writes them.
//   load: users, groups, organizations, then datasets, each through its *_create action with a
//         sysadmin token (ids included: the site must keep them).
//   compare: what a client would notice differs between two dumps: ids, names, owners, group
//         links, extras, resources, tags, members.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tests/support/http_client.h"

namespace datamap::testing {

struct SiteDump {
  std::vector<std::string> users, groups, organizations, datasets;  // JSON lines
};

// Called after each record with (kind, done so far): progress for the benchmark.
using RoundTripProgress = std::function<void(const char* kind, std::size_t done)>;

SiteDump dump_site(const HttpClient& http, const std::string& sysadmin_token,
                   const RoundTripProgress& progress = {});

struct LoadReport {
  std::size_t created = 0;
  std::vector<std::string> failures;  // "datasets <name>: <status> <body>"
};

LoadReport load_site(const HttpClient& http, const std::string& sysadmin_token,
                     const SiteDump& dump, const RoundTripProgress& progress = {});

// One line per difference ("dataset <id>: owner_org a != b", "dataset <id> missing"), at most
// `limit` of them; empty when `after` reproduces `before`.
std::vector<std::string> compare_dumps(const SiteDump& before, const SiteDump& after,
                                       std::size_t limit = 50);

}  // namespace datamap::testing
