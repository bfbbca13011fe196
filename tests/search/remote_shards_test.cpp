// Search beyond one node: `datamap reindex --shards 2` writes the catalog as two shard indexes,
// two real xapian-tcpsrv processes serve them on loopback ports, and a `datamap serve` with
// [search] remote_shards answers package_search over HTTP exactly as a server with the local
// index of the same catalog does: the same datasets in the same order, the same counts and
// facets, for Korean and English queries, filters, sorts and pages. On the first 2,000 datasets
// of the real 2022 data.go.kr list. A shard going away is a 503, not a 500.
// And the shards following the change log: a node with [search] remote_shards_writable writes
// each change into its shard through `xapian-tcpsrv --writable`, so that a dataset created,
// patched or deleted over HTTP on another node is found, changed or dropped by a search node.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "catalog/import/input_file.h"
#include "search/schema.h"
#include "search/service.h"
#include "tests/support/eventually.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/test_server.h"

namespace fs = std::filesystem;
using namespace datamap::testing;

namespace {

// The header and the first `rows` records of the bundled list (records hold no line breaks).
std::string head_of_real_list(std::size_t rows) {
  std::string all = datamap::catalog::importer::read_input_file(
      std::string(DATAMAP_SOURCE_DIR) + "/data/sample/datago-list-2022.csv.xz");
  std::size_t pos = 0;
  for (std::size_t i = 0; i <= rows && pos != std::string::npos; ++i) {
    pos = all.find('\n', pos);
    if (pos != std::string::npos) ++pos;
  }
  return all.substr(0, pos);
}

// xapian-tcpsrv on PATH, or "" (scripts/setup.sh installs it with Debian's xapian-tools).
std::string find_tcpsrv() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = dir + "/xapian-tcpsrv";
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

int unused_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

bool accepts_connections(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// One real xapian-tcpsrv serving one database on a loopback port, in a process group of its own
// (it forks a child per connection): stop() ends the server and its connections. `writable`:
// with --writable, for the shards' indexer.
class ShardServer {
 public:
  ShardServer(const std::string& binary, const std::string& database, bool writable = false) {
    // tcpsrv takes no port 0: pick a free one, and pick again if another process won the race.
    for (int attempt = 0; attempt < 5 && pid_ < 0; ++attempt) {
      const int port = unused_loopback_port();
      const std::string p = std::to_string(port);  // no allocation between fork and exec
      const pid_t pid = ::fork();
      if (pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (writable) {
          ::execl(binary.c_str(), binary.c_str(), "--quiet", "--writable", "--port", p.c_str(),
                  "--interface", "127.0.0.1", database.c_str(), static_cast<char*>(nullptr));
        } else {
          ::execl(binary.c_str(), binary.c_str(), "--quiet", "--port", p.c_str(), "--interface",
                  "127.0.0.1", database.c_str(), static_cast<char*>(nullptr));
        }
        ::_exit(127);
      }
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (std::chrono::steady_clock::now() < until) {
        if (accepts_connections(port)) {
          pid_ = pid;
          port_ = port;
          break;
        }
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) break;  // exited: the port was taken
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (pid_ < 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
      }
    }
  }
  ~ShardServer() { stop(); }
  ShardServer(const ShardServer&) = delete;
  ShardServer& operator=(const ShardServer&) = delete;

  bool running() const { return pid_ > 0; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGTERM);  // the server and its per-connection children
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

std::string to_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  v.Accept(writer);
  return out.GetString();
}

// The parts of a package_search answer compared, each short enough to read in a failure: the
// count, the datasets' names in order, the facets, and the whole answer. Left out is what differs
// by design (docs/DEPLOY.md): a sorted search's cursor (search-after on the local index, an offset
// over shards); its presence is compared. The spelling dictionary's suggestion, which shards do not
// serve, is offered only when nothing is found, and every query here finds something.
struct Answer {
  std::int64_t count = -1;
  std::string names, facets, whole;
  bool has_cursor = false;
};

Answer answer_of(const HttpReply& reply) {
  Answer a;
  rapidjson::Document d;
  d.Parse(reply.body.c_str(), reply.body.size());
  if (!d.IsObject() || !d.HasMember("result") || !d["result"].IsObject()) {
    a.whole = reply.body;
    return a;
  }
  rapidjson::Value& result = d["result"];
  a.count = result["count"].GetInt64();
  for (const auto& pkg : result["results"].GetArray())
    a.names += std::string(pkg["name"].GetString()) + " ";
  a.facets = to_text(result["search_facets"]);
  a.has_cursor = result.HasMember("next_cursor");
  result.RemoveMember("next_cursor");
  a.whole = to_text(result);
  return a;
}

TEST(RemoteShards, PackageSearchOverTwoXapianTcpsrvShardsAnswersAsTheLocalIndex) {
  const std::string tcpsrv = find_tcpsrv();
  ASSERT_FALSE(tcpsrv.empty())
      << "xapian-tcpsrv is not on PATH: scripts/setup.sh installs it (Debian package "
         "xapian-tools); searching remote shards cannot be tested without it";

  TempDir work;
  const fs::path local_dir = fs::path(work.path()) / "local";
  const fs::path remote_dir = fs::path(work.path()) / "remote";
  const fs::path shards_dir = fs::path(work.path()) / "shards";
  fs::create_directories(local_dir);
  const std::string list = work.path() + "/head.csv";
  std::ofstream(list) << head_of_real_list(2000);
  auto imported = run_datamap({"import", "--data", local_dir.string(), list});
  ASSERT_EQ(imported.exit_code, 0) << imported.errors;
  // The local index renumbered as a rebuild numbers it, as the shards are numbered.
  auto reindexed = run_datamap({"reindex", "--data", local_dir.string()});
  ASSERT_EQ(reindexed.exit_code, 0) << reindexed.errors;
  auto sharded = run_datamap({"reindex", "--data", local_dir.string(), "--shards", "2",
                              "--shards-dir", shards_dir.string()});
  ASSERT_EQ(sharded.exit_code, 0) << sharded.errors;
  // The search node's own copy of the catalog, without an index.
  fs::copy(local_dir, remote_dir, fs::copy_options::recursive);
  fs::remove_all(remote_dir / "index");

  ShardServer shard0(tcpsrv, (shards_dir / "shard-0" / "current").string());
  ShardServer shard1(tcpsrv, (shards_dir / "shard-1" / "current").string());
  ASSERT_TRUE(shard0.running() && shard1.running()) << "xapian-tcpsrv did not start";

  TestServer local(TestServer::Options{local_dir.string(), {}, {}, {}});
  TestServer::Options remote_options;
  remote_options.data_dir = remote_dir.string();
  remote_options.config_toml =
      "[search]\nremote_shards = [\"" + shard0.address() + "\", \"" + shard1.address() + "\"]\n";
  TestServer remote(remote_options);

  // The busiest organization of a broad query, to filter by.
  auto broad = local.client().action("package_search",
                                     R"({"q":"정보","rows":0,"facet.field":["organization"]})");
  ASSERT_EQ(broad.status, 200) << broad.body;
  auto broad_json = broad.json();
  const auto& orgs = broad_json["result"]["search_facets"]["organization"]["items"];
  ASSERT_GT(orgs.Size(), 0u) << broad.body;
  const std::string org = orgs[0]["name"].GetString();

  const std::string facets = R"("facet.field":["organization","groups","tags","res_format"])";
  const std::vector<std::string> queries = {
      R"({"q":"교통","rows":20,)" + facets + "}",
      R"({"q":"대기오염 측정","rows":10})",
      R"({"q":"버스 정류장","rows":10,"start":10})",  // the second page
      R"({"q":"주차장","rows":5,"start":5,)" + facets + "}",
      R"({"q":"bus stop","rows":10})",
      R"({"q":"air quality","rows":10,"facet.field":["organization"]})",
      R"({"q":"정보","fq":"organization:)" + org + R"(","rows":10,)" + facets + "}",
      // Sorted by fields: the shards sort by the first, the full key settles the ties.
      R"({"q":"","fq":"organization:)" + org + R"(","rows":15,"start":15,)" + facets + "}",
      R"({"q":"","sort":"views desc","rows":10,"start":30})",
      R"({"q":"","sort":"title_string asc","rows":10,"start":100})",
      R"({"q":"관광","sort":"metadata_modified desc","rows":10})",
      R"({"q":"","fq":"type:api","sort":"name asc","rows":12,"start":24})",
  };
  for (const std::string& q : queries) {
    SCOPED_TRACE(q);
    const HttpReply want = local.client().action("package_search", q);
    const HttpReply got = remote.client().action("package_search", q);
    ASSERT_EQ(want.status, 200) << want.body;
    ASSERT_EQ(got.status, 200) << got.body << "\n" << remote.log();
    const Answer w = answer_of(want), g = answer_of(got);
    EXPECT_GT(w.count, 0) << "a query that finds nothing proves nothing";
    EXPECT_EQ(g.count, w.count);
    EXPECT_EQ(g.names, w.names);
    EXPECT_EQ(g.facets, w.facets);
    EXPECT_EQ(g.has_cursor, w.has_cursor);
    EXPECT_TRUE(g.whole == w.whole) << "the answers differ beyond count, order and facets";
  }

  // The search node keeps no index of its own: every answer came from the shards.
  EXPECT_FALSE(fs::exists(remote_dir / "index"));

  // Shards listed in another order would number the documents differently: refused, saying why.
  {
    TestServer::Options swapped;  // a data directory of its own: the catalog does not matter
    swapped.config_toml =
        "[search]\nremote_shards = [\"" + shard1.address() + "\", \"" + shard0.address() + "\"]\n";
    TestServer misconfigured(swapped);
    const HttpReply refused = misconfigured.client().action("package_search", R"({"q":"교통"})");
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_NE(refused.body.find("expected 0/2"), std::string::npos) << refused.body;
  }

  // A shard that goes away: the search says so (503), it does not fail as a bug would.
  shard1.stop();
  const HttpReply down = remote.client().action("package_search", R"({"q":"교통"})");
  EXPECT_EQ(down.status, 503) << down.body;
}

// Whether a package_search for `q` on `server` lists the dataset `name`: "yes", "no", or the
// HTTP status of a search that failed (so that a failing search is never taken for "no").
std::string lists(const TestServer& server, const std::string& q, const std::string& name) {
  const HttpReply r = server.client().action("package_search", R"({"q":")" + q + R"(","rows":50})");
  if (r.status != 200) return std::to_string(r.status);
  return (" " + answer_of(r).names).find(" " + name + " ") != std::string::npos ? "yes" : "no";
}

TEST(RemoteShards, ShardsFollowTheChangeLogSoAWriteOnOneNodeIsSearchedOnAnother) {
  const std::string tcpsrv = find_tcpsrv();
  ASSERT_FALSE(tcpsrv.empty()) << "xapian-tcpsrv is not on PATH: scripts/setup.sh installs it";

  // One PostgreSQL catalog for every node; the shards and a local index written from it.
  const std::string url = PgCluster::shared().new_database();
  TempDir work;
  const fs::path local_dir = fs::path(work.path()) / "local";
  const fs::path shards_dir = fs::path(work.path()) / "shards";
  fs::create_directories(local_dir);
  const std::string list = work.path() + "/head.csv";
  std::ofstream(list) << head_of_real_list(400);
  auto imported = run_datamap({"import", "--data", local_dir.string(), "--catalog", url, list});
  ASSERT_EQ(imported.exit_code, 0) << imported.errors;
  auto reindexed = run_datamap({"reindex", "--data", local_dir.string(), "--catalog", url});
  ASSERT_EQ(reindexed.exit_code, 0) << reindexed.errors;
  auto sharded = run_datamap({"reindex", "--data", local_dir.string(), "--catalog", url, "--shards",
                              "2", "--shards-dir", shards_dir.string()});
  ASSERT_EQ(sharded.exit_code, 0) << sharded.errors;

  // Each shard served read-only for the search nodes and --writable for the indexer.
  const std::string shard0_db = (shards_dir / "shard-0" / "current").string();
  const std::string shard1_db = (shards_dir / "shard-1" / "current").string();
  ShardServer read0(tcpsrv, shard0_db), read1(tcpsrv, shard1_db);
  ShardServer write0(tcpsrv, shard0_db, true), write1(tcpsrv, shard1_db, true);
  ASSERT_TRUE(read0.running() && read1.running() && write0.running() && write1.running());
  const std::string reads =
      "[search]\nremote_shards = [\"" + read0.address() + "\", \"" + read1.address() + "\"]\n";
  const std::string writes =
      "remote_shards_writable = [\"" + write0.address() + "\", \"" + write1.address() + "\"]\n";

  TestServer indexer(TestServer::Options{{}, reads + writes, {}, url});
  TestServer node(TestServer::Options{{}, reads, {}, url});  // where the writes are made
  TestServer local(TestServer::Options{local_dir.string(), {}, {}, url});
  const std::string admin = node.add_user("admin", {"--sysadmin"});

  auto orgs = local.client().action("package_search",
                                    R"({"q":"","rows":0,"facet.field":["organization"]})");
  ASSERT_EQ(orgs.status, 200) << orgs.body;
  auto orgs_json = orgs.json();
  const auto& org_items = orgs_json["result"]["search_facets"]["organization"]["items"];
  ASSERT_GT(org_items.Size(), 0u) << orgs.body;
  const std::string org = org_items[0]["name"].GetString();

  // Created on one node: found by the search node (the shards), through the indexer node.
  auto created = node.client().action("package_create",
                                      R"({"name":"shard-follow","title":"교통 조사 quokka",)"
                                      R"("owner_org":")" +
                                          org + R"("})",
                                      admin);
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_TRUE(eventually([&] { return lists(node, "quokka", "shard-follow") == "yes"; }))
      << indexer.log() << node.log();
  // Patched: found by its new title, no longer by the old one.
  auto patched = node.client().action("package_patch",
                                      R"({"id":"shard-follow","title":"교통 조사 wombat"})", admin);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_TRUE(eventually([&] {
    return lists(node, "wombat", "shard-follow") == "yes" &&
           lists(node, "quokka", "shard-follow") == "no";
  })) << indexer.log();
  // Its twin, with the same title.
  auto twin = node.client().action("package_create",
                                   R"({"name":"shard-twin","title":"교통 조사 wombat",)"
                                   R"("owner_org":")" +
                                       org + R"("})",
                                   admin);
  ASSERT_EQ(twin.status, 200) << twin.body;
  // Another, created and then deleted: dropped from searches.
  auto second = node.client().action("package_create",
                                     R"({"name":"shard-gone","title":"주차장 koala",)"
                                     R"("owner_org":")" +
                                         org + R"("})",
                                     admin);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_TRUE(eventually([&] { return lists(node, "koala", "shard-gone") == "yes"; }))
      << indexer.log();
  auto deleted = node.client().action("package_delete", R"({"id":"shard-gone"})", admin);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_TRUE(eventually([&] { return lists(node, "koala", "shard-gone") == "no"; }))
      << indexer.log();

  // After those writes the shards still answer as the local index of the same catalog does, once
  // the local index has followed too.
  ASSERT_TRUE(eventually([&] {
    return lists(local, "wombat", "shard-follow") == "yes" &&
           lists(local, "koala", "shard-gone") == "no";
  })) << local.log();
  // The new datasets are numbered in the joined shards as in the local index (ranking ties break
  // by dataset id, so the answers alone would not show a wrong numbering).
  {
    Xapian::Database local_index((local_dir / "index" / "current").string());
    Xapian::Database joined;
    joined.add_database(Xapian::Database(shard0_db));
    joined.add_database(Xapian::Database(shard1_db));
    for (const HttpReply* reply : {&created, &twin, &second}) {
      const std::string term =
          datamap::search::schema::kId + std::string(reply->json()["result"]["id"].GetString());
      ASSERT_EQ(local_index.get_termfreq(term), 1u) << term;
      ASSERT_EQ(joined.get_termfreq(term), 1u) << term;
      EXPECT_EQ(*joined.postlist_begin(term), *local_index.postlist_begin(term)) << term;
      EXPECT_GT(*joined.postlist_begin(term), 400u) << "numbered after the 400 imported";
    }
  }
  const std::string facets = R"("facet.field":["organization","groups","tags","res_format"])";
  const std::vector<std::string> queries = {
      R"({"q":"교통 조사","rows":20,)" + facets + "}",
      R"({"q":"주차장","rows":10})",
      R"({"q":"wombat","rows":10})",
      R"({"q":"","fq":"organization:)" + org + R"(","rows":15,)" + facets + "}",
      R"({"q":"","sort":"metadata_modified desc","rows":10})",
      R"({"q":"","rows":10,"start":390})",  // the last page, where the new datasets are numbered
  };
  for (const std::string& q : queries) {
    SCOPED_TRACE(q);
    const HttpReply want = local.client().action("package_search", q);
    const HttpReply got = node.client().action("package_search", q);
    ASSERT_EQ(want.status, 200) << want.body;
    ASSERT_EQ(got.status, 200) << got.body << "\n" << node.log();
    const Answer w = answer_of(want), g = answer_of(got);
    EXPECT_GT(w.count, 0) << "a query that finds nothing proves nothing";
    EXPECT_EQ(g.count, w.count);
    EXPECT_EQ(g.names, w.names);
    EXPECT_EQ(g.facets, w.facets);
  }

  // A second node configured to write the shards finds them held and stands by; when the
  // indexer node stops, it writes the next change.
  TestServer standby(TestServer::Options{{}, reads + writes, {}, url});
  EXPECT_TRUE(eventually([&] { return standby.log().find("standing by") != std::string::npos; }))
      << standby.log();
  indexer.stop();
  auto third = node.client().action("package_patch",
                                    R"({"id":"shard-follow","title":"교통 조사 numbat"})", admin);
  ASSERT_EQ(third.status, 200) << third.body;
  EXPECT_TRUE(eventually([&] { return lists(node, "numbat", "shard-follow") == "yes"; }))
      << standby.log();
  EXPECT_NE(standby.log().find("writing the shards"), std::string::npos) << standby.log();
}

// remote_shards_writable names the same shards as remote_shards, in the same order: a list of
// another length is refused when the configuration is read, saying which setting.
TEST(RemoteShards, WritableShardsListedOtherwiseThanTheReadShardsAreRefused) {
  TempDir work;
  const std::string config = work.path() + "/datamap.toml";
  std::ofstream(config) << "[search]\nremote_shards = [\"127.0.0.1:7001\", \"127.0.0.1:7002\"]\n"
                           "remote_shards_writable = [\"127.0.0.1:7101\"]\n";
  auto refused = run_datamap({"reindex", "--config", config, "--data", work.path()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.errors.find("remote_shards_writable"), std::string::npos) << refused.errors;
  std::ofstream(config) << "[search]\nremote_shards = [\"127.0.0.1:7001\"]\n"
                           "remote_shards_writable = [\"127.0.0.1\"]\n";
  auto bad_address = run_datamap({"reindex", "--config", config, "--data", work.path()});
  EXPECT_NE(bad_address.exit_code, 0);
  EXPECT_NE(bad_address.errors.find("is not host:port"), std::string::npos) << bad_address.errors;
}

TEST(RemoteShards, ShardAddressesAreHostColonPort) {
  std::string host;
  int port = 0;
  EXPECT_TRUE(datamap::search::parse_shard_address("10.0.0.11:7001", host, port));
  EXPECT_EQ(host, "10.0.0.11");
  EXPECT_EQ(port, 7001);
  EXPECT_TRUE(datamap::search::parse_shard_address("[::1]:65535", host, port));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 65535);
  for (const char* bad : {"shard-a", ":7001", "shard-a:", "shard-a:0", "shard-a:65536",
                          "shard-a:70a", "shard-a:-1", "[]:7001"}) {
    EXPECT_FALSE(datamap::search::parse_shard_address(bad, host, port)) << bad;
  }
}

}  // namespace
