// kill -9 loop: the real `datamap serve` is killed with SIGKILL at random moments while API
// clients write datasets and organizations, `datamap import` processes load slices of the real
// data.go.kr list (and are killed too) and a harvest job pages slowly through a CKAN fixture
// remote; after each kill the server is started again on the same data directory. At the end:
//   - every write that was answered 200 is there with all its fields, and every dataset and
//     organization is in one of the whole states its writes allow (tests/crash/candidates.h):
//     never a lost acknowledged write, never half of one;
//   - an imported dataset is either absent or identical to a clean import's, and a final import
//     then finds nothing to update; a harvested one is identical to the remote's;
//   - search and the map converge to the catalog (status_show's search_revision and map_revision
//     reach its revision): the same count of visible datasets as package_list, each written
//     dataset found by the word of its current title and on the map, or absent from both;
//   - a harvest job running at a kill is Failed ("interrupted") after the restart, and the next
//     job finishes.
// DATAMAP_CRASH_KILLS (default 50) sets the number of kills, DATAMAP_CRASH_SEED the seed (printed;
// give it back to replay the same choices; the kill moments still depend on the machine's speed).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "catalog/import/input_file.h"
#include "catalog/package_json.h"
#include "catalog/store.h"
#include "tests/crash/api_writer.h"
#include "tests/support/ckan_fixture.h"
#include "tests/support/fixture_http_server.h"
#include "tests/support/test_server.h"

extern char** environ;

namespace datamap::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kWriters = 2;
constexpr int kImportSlices = 3;
constexpr std::size_t kRowsPerSlice = 1000;
constexpr rapidjson::SizeType kRemovedRemote = 10;  // remote packages dropped halfway

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::stoull(v) : fallback;
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// ---------------------------------------------------------------- import slices and references

// The header and every `step`-th record of the bundled 2022 list, as `slices` CSV files of
// `rows` records each (records split on newlines outside quotes).
std::vector<std::string> write_import_slices(const TempDir& dir, int slices, std::size_t rows) {
  std::string text = catalog::importer::read_input_file(std::string(DATAMAP_SOURCE_DIR) +
                                                        "/data/sample/datago-list-2022.csv.xz");
  std::vector<std::string> records;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (text[i] == '\n' && !quoted) {
      records.push_back(text.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  std::size_t step = (records.size() - 1) / (static_cast<std::size_t>(slices) * rows);
  std::vector<std::string> files;
  std::size_t next = 1;
  for (int s = 0; s < slices; ++s) {
    std::string path = dir.file("slice-" + std::to_string(s) + ".csv");
    std::ofstream out(path, std::ios::binary);
    out << records[0];
    for (std::size_t r = 0; r < rows && next < records.size(); ++r, next += step)
      out << records[next];
    files.push_back(path);
  }
  return files;
}

// content_hash of every active dataset by name, with owner_org given by the organization's name
// (ids differ between two catalogs; names do not).
std::map<std::string, std::string> dataset_hashes(const std::string& data_dir) {
  auto store = catalog::open_sqlite_store(data_dir + "/catalog.db");
  std::map<std::string, std::string> org_names;
  for (const auto& o : store->organizations()) org_names[o.id] = o.name;
  std::map<std::string, std::string> out;
  store->for_each_dataset([&](const catalog::Dataset& d) {
    catalog::Dataset copy = d;
    copy.owner_org = org_names[d.owner_org];
    out[d.name] = catalog::content_hash(copy);
  });
  return out;
}

// ---------------------------------------------------------------- a killable `datamap import`

class ImportProcess {
 public:
  ImportProcess(const std::string& data_dir, const std::string& file, const std::string& log) {
    // --no-index: the catalog's writes are what the loop kills; the server indexes.
    std::vector<std::string> args{datamap_binary(), "import", "--no-index", "--data", data_dir,
                                  "--batch",        "25",     file};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~ImportProcess() { kill_hard(); }
  // Ended on its own (true; its exit code in `code`) or killed now (false).
  bool finish_or_kill(int& code) {
    int status = 0;
    if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return true;
    }
    kill_hard();
    return false;
  }

 private:
  void kill_hard() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  pid_t pid_ = -1;
};

// ---------------------------------------------------------------- server-side questions

rapidjson::Document result_of(const HttpReply& reply) {
  rapidjson::Document doc;
  doc.Parse(reply.body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("result")) {
    rapidjson::Document empty;
    empty.SetObject();
    return empty;
  }
  rapidjson::Document result;
  result.CopyFrom(doc["result"], result.GetAllocator());
  return result;
}

std::string job_status(const HttpClient& c, const std::string& job_id, std::string* error) {
  auto r = result_of(c.action("harvest_job_show", "{\"id\": " + json_string(job_id) + "}"));
  if (!r.IsObject() || !r.HasMember("status")) return "";
  if (error && r.HasMember("error") && r["error"].IsString()) *error = r["error"].GetString();
  return r["status"].GetString();
}

// Polls `done` every 50 ms until it holds or `limit` passes; returns whether it held.
template <typename Fn>
bool poll(milliseconds limit, Fn done) {
  auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return true;
}

std::int64_t member_int(const rapidjson::Value& v, const char* key) {
  return v.IsObject() && v.HasMember(key) && v[key].IsInt64() ? v[key].GetInt64() : -1;
}

// The last word of a title: where ApiWriter puts its search_word.
std::string last_word(const std::string& title) {
  return title.substr(title.rfind(' ') + 1);
}

struct Totals {
  int kills = 0;
  int imports_killed = 0, imports_finished = 0;
  int jobs_interrupted = 0, jobs_finished_before_kill = 0;
};

TEST(CrashLoop, KillNineNeverLosesAnAcknowledgedWriteNorHalfOfOneAndDerivedDataConverges) {
  const std::uint64_t seed = env_number("DATAMAP_CRASH_SEED", std::random_device{}());
  const int kills = static_cast<int>(env_number("DATAMAP_CRASH_KILLS", 50));
  std::cout << "crash loop: seed " << seed << ", " << kills
            << " kills (DATAMAP_CRASH_SEED / DATAMAP_CRASH_KILLS)" << std::endl;
  RecordProperty("seed", std::to_string(seed));
  std::mt19937_64 rng(seed);
  const auto started = Clock::now();

  TempDir work;
  auto slices = write_import_slices(work, kImportSlices, kRowsPerSlice);
  // The reference: the same slices imported into a catalog nobody kills.
  for (const auto& s : slices)
    ASSERT_EQ(run_datamap({"import", "--no-index", "--data", work.file("reference"), s}).exit_code,
              0);
  const auto reference = dataset_hashes(work.file("reference"));
  ASSERT_GT(reference.size(), kRowsPerSlice);

  // The remote catalog: data.gov's real CKAN package dicts, five per slow page. Halfway through
  // the first kRemovedRemote leave it, so later jobs delete their local copies.
  rapidjson::Document remote_packages;
  remote_packages.Parse(
      read_file(std::string(DATAMAP_FIXTURES) + "/datagov-harvest-sources.ckan.json").c_str());
  ASSERT_TRUE(remote_packages.IsArray());
  std::vector<std::string> remote_json;
  for (const auto& p : remote_packages.GetArray()) remote_json.push_back(to_json(p));
  FixtureHttpServer remote;
  CkanFixture ckan(remote);
  ckan.set_packages(remote_json);
  ckan.set_delay(milliseconds(100));

  // Explicit limits: no quota on the writers' token, harvest may reach the loopback remote, small
  // harvest batches so a killed job has committed some of them.
  TestServer::Options options;
  options.config_toml =
      "[quota]\nper_second = 0\nper_day = 0\n"
      "[harvest]\nallow_hosts = [\"127.0.0.1\"]\nbatch_size = 10\nmax_attempts = 1\n";
  TestServer server(options);
  const std::string token = server.add_user("crash-admin", {"--sysadmin"});
  std::vector<std::string> shared_orgs{"crash-a", "crash-b", "crash-harvest"};
  for (const auto& org : shared_orgs)
    ASSERT_EQ(
        server.client().action("organization_create", "{\"name\": \"" + org + "\"}", token).status,
        200);
  shared_orgs.pop_back();  // crash-harvest holds the harvested datasets only
  auto source = server.client().action(
      "harvest_source_create",
      "{\"name\": \"crash-remote\", \"url\": " + json_string(ckan.site_url()) +
          ", \"source_type\": \"ckan\", \"owner_org\": \"crash-harvest\", \"config\": {\"rows\": "
          "5}}",
      token);
  ASSERT_EQ(source.status, 200) << source.body;

  std::vector<std::unique_ptr<ApiWriter>> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.push_back(std::make_unique<ApiWriter>(w, rng(), shared_orgs));
  auto settle_writers = [&](const char* when) {
    for (auto& w : writers)
      for (const auto& f : w->settle(server.client(), token)) ADD_FAILURE() << when << ": " << f;
  };

  Totals totals;
  std::string interrupted_job;  // observed Running just before the last kill
  for (int round = 0; round < kills && !HasFailure(); ++round) {
    if (round > 0) server.start();
    auto c = server.client();
    if (!interrupted_job.empty()) {
      std::string error;
      std::string status = job_status(c, interrupted_job, &error);
      if (status == "Failed") {
        EXPECT_NE(error.find("interrupted"), std::string::npos) << error;
        ++totals.jobs_interrupted;
      } else {
        EXPECT_EQ(status, "Finished")
            << "round " << round << ": job " << interrupted_job << " was Running at the kill";
        ++totals.jobs_finished_before_kill;
      }
      interrupted_job.clear();
    }
    if (round > 0 && round % 10 == 0) settle_writers("after a restart");

    // This round's work: the writers always, an import every other round, a harvest every third.
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (auto& w : writers)
      threads.emplace_back([&, writer = w.get()] { writer->run(c, token, stop); });
    std::unique_ptr<ImportProcess> import;
    if (rng() % 2 == 0)
      import = std::make_unique<ImportProcess>(server.data_dir(), slices[rng() % slices.size()],
                                               work.file("import.log"));
    std::string job;
    if (round % 3 == 1) {
      auto created = c.action("harvest_job_create", "{\"source_id\": \"crash-remote\"}", token);
      if (created.status == 200) {
        job = result_of(created)["id"].GetString();
      } else {  // the job queued before the last kill runs now
        EXPECT_EQ(created.status, 409) << created.body;
        auto list = result_of(c.action("harvest_job_list", "{\"source_id\": \"crash-remote\"}"));
        if (list.IsArray() && !list.Empty()) job = list[0]["id"].GetString();
      }
      poll(milliseconds(20000), [&] { return job_status(c, job, nullptr) != "New"; });
    }
    if (round == kills / 2)
      ckan.set_packages({remote_json.begin() + kRemovedRemote, remote_json.end()});
    // One round in eight kills as soon as the server answers (its indexer and map still
    // catching up with the last round); the others at a moment within the round's work.
    std::this_thread::sleep_for(milliseconds(rng() % 8 == 0 ? 0 : 50 + rng() % 1200));

    if (!job.empty() && job_status(c, job, nullptr) == "Running") interrupted_job = job;
    stop = true;
    server.kill_hard();
    ++totals.kills;
    for (auto& t : threads) t.join();
    if (import) {
      int code = 0;
      if (import->finish_or_kill(code)) {
        EXPECT_EQ(code, 0) << "datamap import failed beside a killed server: "
                           << read_file(work.file("import.log"));
        ++totals.imports_finished;
      } else {
        ++totals.imports_killed;
      }
    }
  }
  for (auto& w : writers)
    for (const auto& f : w->failures()) ADD_FAILURE() << f;
  ASSERT_FALSE(HasFailure()) << "seed " << seed;

  // Imported datasets, read from the catalog file while no server runs: each one there is whole.
  {
    auto crashed = dataset_hashes(server.data_dir());
    std::size_t present = 0;
    for (const auto& [name, hash] : reference) {
      auto it = crashed.find(name);
      if (it == crashed.end()) continue;
      ++present;
      EXPECT_EQ(it->second, hash) << "imported dataset " << name << " differs from a clean import";
    }
    std::cout << "crash loop: " << present << " of " << reference.size()
              << " imported datasets present after the last kill" << std::endl;
  }

  server.start();
  auto c = server.client();
  if (!interrupted_job.empty()) {
    std::string error;
    std::string status = job_status(c, interrupted_job, &error);
    EXPECT_TRUE(status == "Failed" || status == "Finished") << status;
    if (status == "Failed") ++totals.jobs_interrupted;
  }
  settle_writers("after the last restart");

  // Harvested datasets: every one there is the remote's (title, tags, resources), before and
  // after a job that runs to the end; after it, those the remote dropped are deleted.
  std::size_t harvested_present = 0;
  auto check_harvested = [&](bool after_final_job) {
    harvested_present = 0;
    for (rapidjson::SizeType i = 0; i < remote_packages.Size(); ++i) {
      const auto& p = remote_packages[i];
      auto reply =
          c.action("package_show", "{\"id\": " + json_string(p["id"].GetString()) + "}", token);
      if (after_final_job && i < kRemovedRemote) {
        EXPECT_TRUE(reply.status == 404 || result_of(reply)["state"] == "deleted")
            << p["name"].GetString() << " left the remote but is still "
            << reply.body.substr(0, 200);
        continue;
      }
      if (reply.status == 404 && !after_final_job) continue;
      ASSERT_EQ(reply.status, 200) << p["id"].GetString() << ": " << reply.body.substr(0, 300);
      ++harvested_present;
      auto local = result_of(reply);
      EXPECT_EQ(std::string(local["title"].GetString()), p["title"].GetString());
      EXPECT_EQ(local["tags"].Size(), p["tags"].Size()) << p["name"].GetString();
      ASSERT_EQ(local["resources"].Size(), p["resources"].Size()) << p["name"].GetString();
      for (rapidjson::SizeType i = 0; i < p["resources"].Size(); ++i)
        EXPECT_EQ(std::string(local["resources"][i]["url"].GetString()),
                  p["resources"][i]["url"].GetString());
    }
  };
  check_harvested(false);
  std::cout << "crash loop: " << harvested_present << " of " << remote_packages.Size()
            << " harvested datasets present after the last kill" << std::endl;
  ckan.set_delay(milliseconds(0));
  std::string final_job;
  ASSERT_TRUE(poll(milliseconds(120000), [&] {
    auto created = c.action("harvest_job_create", "{\"source_id\": \"crash-remote\"}", token);
    if (created.status != 200) return false;  // one queued before the last kill is still running
    final_job = result_of(created)["id"].GetString();
    return true;
  })) << "no new harvest job could be created";
  std::string final_status;
  ASSERT_TRUE(poll(milliseconds(180000), [&] {
    final_status = job_status(c, final_job, nullptr);
    return final_status != "New" && final_status != "Running";
  })) << "the harvest job after the kills never ended";
  EXPECT_EQ(final_status, "Finished");
  check_harvested(true);
  auto jobs = result_of(c.action("harvest_job_list", "{\"source_id\": \"crash-remote\"}"));
  ASSERT_TRUE(jobs.IsArray());
  for (const auto& j : jobs.GetArray()) {
    std::string status = j["status"].GetString();
    EXPECT_TRUE(status == "Finished" || status == "Failed")
        << "job " << j["id"].GetString() << " is " << status;
  }

  // A final import finds every dataset an interrupted one wrote identical to the file.
  std::vector<std::string> args{"import", "--data", server.data_dir()};
  args.insert(args.end(), slices.begin(), slices.end());
  auto final_import = run_datamap(args);
  ASSERT_EQ(final_import.exit_code, 0) << final_import.errors;
  EXPECT_EQ(final_import.output.find("updated 0") != std::string::npos, true);
  for (std::size_t at = final_import.output.find("updated "); at != std::string::npos;
       at = final_import.output.find("updated ", at + 1))
    EXPECT_EQ(final_import.output.substr(at, 10), "updated 0,") << final_import.output;

  // Search and the map catch up with the catalog's change log ...
  std::int64_t revision = -1;
  ASSERT_TRUE(poll(milliseconds(180000),
                   [&] {
                     auto s = result_of(c.action("status_show"));
                     revision = member_int(s, "revision");
                     return member_int(s, "search_revision") == revision &&
                            member_int(s, "map_revision") == revision;
                   }))
      << "search or map never reached the catalog's revision " << revision << ": "
      << c.action("status_show").body;
  // ... and agree with it: the same visible datasets ...
  auto names = result_of(c.action("package_list"));
  auto everything = result_of(c.action("package_search", "{\"q\": \"\", \"rows\": 0}"));
  EXPECT_EQ(member_int(everything, "count"), static_cast<std::int64_t>(names.Size()));
  auto stats = result_of(c.action("datamap_stats"));
  EXPECT_EQ(member_int(stats["nodes"], "dataset"), static_cast<std::int64_t>(names.Size()));
  // ... every written dataset found by the word of its current title, on the map when public ...
  std::size_t checked = 0;
  for (const auto& w : writers) {
    for (const auto& e : w->entities()) {
      if (e.kind != Entity::Kind::dataset) continue;
      const State& s = e.candidates.states().front();  // settled: the one state it is in
      bool visible = s && s->at("state") == "active";
      std::string word = s ? last_word(s->at("title")) : "";
      if (word.empty()) continue;
      auto found = result_of(c.action(
          "package_search",
          "{\"q\": " + json_string(word) + ", \"include_private\": true, \"rows\": 5}", token));
      ASSERT_EQ(member_int(found, "count"), visible ? 1 : 0) << e.name << " by " << word;
      if (visible) {
        EXPECT_EQ(std::string(found["results"][0]["name"].GetString()), e.name);
      }
      bool on_map = visible && s->at("private") == "false";
      auto neighbors =
          c.action("datamap_neighbors", "{\"id\": " + json_string(e.name) + ", \"limit\": 1}");
      EXPECT_EQ(neighbors.status, on_map ? 200 : 404) << e.name;
      if (on_map && neighbors.status == 200) {
        EXPECT_EQ(std::string(result_of(neighbors)["center"]["title"].GetString()), s->at("title"));
      }
      ++checked;
    }
  }
  // ... each organization's public datasets counted alike by search and the map, which shows
  // the organization's current title ...
  std::map<std::string, std::int64_t> public_by_org;
  std::map<std::string, std::string> org_titles;
  for (const auto& org : shared_orgs) public_by_org[org] = 0;
  for (const auto& w : writers) {
    for (const auto& e : w->entities()) {
      const State& s = e.candidates.states().front();
      if (e.kind == Entity::Kind::organization && s) {
        public_by_org.emplace(e.name, 0);
        org_titles[e.name] = s->at("title");
      } else if (s && s->at("state") == "active" && s->at("private") == "false") {
        ++public_by_org[s->at("org")];
      }
    }
  }
  for (const auto& [org, expected] : public_by_org) {
    auto found = result_of(c.action(
        "package_search", "{\"fq\": " + json_string("organization:" + org) + ", \"rows\": 0}"));
    EXPECT_EQ(member_int(found, "count"), expected) << "search, organization " << org;
    auto agency = c.action("datamap_neighbors",
                           "{\"id\": " + json_string("agency:" + org) + ", \"limit\": 1}");
    if (expected == 0 && agency.status == 404) continue;  // no dataset: not on the map
    ASSERT_EQ(agency.status, 200) << org << ": " << agency.body.substr(0, 300);
    auto shown = result_of(agency);
    const auto& center = shown["center"];
    EXPECT_EQ(member_int(center, "count"), expected) << "map, organization " << org;
    if (org_titles.count(org)) {
      EXPECT_EQ(std::string(center["label"].GetString()), org_titles[org]);
    }
  }
  // ... and imported datasets found by their title.
  std::vector<std::string> imported;
  for (const auto& [name, hash] : reference) imported.push_back(name);
  std::shuffle(imported.begin(), imported.end(), rng);
  for (std::size_t i = 0; i < 20 && i < imported.size(); ++i) {
    auto shown = result_of(c.action("package_show", "{\"id\": " + json_string(imported[i]) + "}"));
    ASSERT_TRUE(shown.HasMember("title")) << imported[i];
    std::string title = shown["title"].GetString();
    if (title.find_first_of("\"\\") != std::string::npos) continue;  // not a plain phrase
    auto found =
        result_of(c.action("package_search", "{\"q\": " + json_string("title:\"" + title + "\"") +
                                                 ", \"rows\": 1000, \"fl\": \"name\"}"));
    bool hit = false;
    if (found.HasMember("results"))
      for (const auto& r : found["results"].GetArray())
        hit = hit || imported[i] == r["name"].GetString();
    EXPECT_TRUE(hit) << imported[i] << " not found by its title " << title;
  }

  std::size_t answered = 0, lost = 0;
  for (const auto& w : writers) answered += w->answered(), lost += w->lost();
  std::cout << "crash loop: " << totals.kills << " kills in "
            << std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()
            << " s; API writes answered " << answered << ", lost to a kill " << lost
            << "; imports killed " << totals.imports_killed << ", finished "
            << totals.imports_finished << "; harvest jobs interrupted " << totals.jobs_interrupted
            << " (" << totals.jobs_finished_before_kill << " finished just before the kill); "
            << checked << " written datasets checked in search and on the map" << std::endl;
  EXPECT_GE(totals.kills, 50 <= kills ? 50 : kills);
  EXPECT_GE(totals.jobs_interrupted, kills / 6) << "too few kills hit a running harvest job";
  EXPECT_GT(lost, 0u) << "no write was in flight at a kill";
}

}  // namespace
}  // namespace datamap::testing
