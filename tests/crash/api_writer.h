// One API client of the crash loop: it owns some datasets and organizations and writes them
// through the CKAN Action API with a sysadmin token (package_create / update / patch / delete,
// organization_create / update), one request at a time, until told to stop. Every write's answer,
// or its loss to a kill, is applied to that entity's Candidates, so that after any number of
// kills the writer knows which states each entity may be in.
//
// Dataset titles carry a word unique to (dataset, version) (search_word), so a search for it
// tells whether the index holds the current version and has dropped the old ones.
#pragma once

#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tests/crash/candidates.h"
#include "tests/support/http_client.h"

namespace datamap::testing {

struct Entity {
  enum class Kind { dataset, organization };
  Kind kind;
  std::string name;
  Candidates candidates;
  bool retired = false;  // a dataset surely deleted: no more writes
};

class ApiWriter {
 public:
  // Writer `number` (0-15) names its entities crash-wNUMBER-*. `shared_orgs` exist for sure
  // (created before the loop); datasets move between them and the writer's own organizations.
  ApiWriter(int number, std::uint64_t seed, std::vector<std::string> shared_orgs);

  // Writes until `stop` is set (or the server stops answering). Thread: one writer per thread.
  void run(const HttpClient& client, const std::string& token, const std::atomic<bool>& stop);

  // Reads every entity back (package_show / organization_show with `token`, between rounds):
  // a state outside its Candidates is a failure (returned, one message each); then the state
  // read is the only candidate, so later checks start from what is known.
  std::vector<std::string> settle(const HttpClient& client, const std::string& token);

  const std::vector<Entity>& entities() const { return entities_; }
  // Answers no candidate state explains, and 5xx: each one a failure of the server.
  const std::vector<std::string>& failures() const { return failures_; }
  std::size_t answered() const { return answered_; }
  std::size_t lost() const { return lost_; }

 private:
  struct Write {
    std::string action;
    std::string body;
    Effect effect;
  };
  Write next_write(Entity*& target);
  Write create_dataset(const std::string& name);
  Write update_dataset(const Entity& e);
  Write patch_dataset(const Entity& e);
  Write delete_dataset(const Entity& e);
  Write create_organization(const std::string& name);
  Write update_organization(const Entity& e);
  std::map<std::string, std::string> new_dataset_fields(const std::string& name);
  std::string pick_org();

  std::string prefix_;
  int number_base_;  // search_word's dataset numbers: writer << 12 | dataset
  std::mt19937_64 rng_;
  std::vector<std::string> shared_orgs_;
  std::vector<Entity> entities_;
  std::vector<std::string> failures_;
  int next_id_ = 0;
  int version_ = 0;
  std::size_t answered_ = 0, lost_ = 0;
};

// The word in the title of version `version` (16 bits) of dataset number `dataset` (16 bits):
// letters no stemmer shortens (consonants), all of one length, so no two versions share a term.
std::string search_word(int dataset, int version);

// A package_show / organization_show result flattened to the fields the writer sets.
State dataset_state(const rapidjson::Value& package);
State organization_state(const rapidjson::Value& organization);

// package_show (or organization_show) as the token's user: the state, nullopt for 404.
// Throws std::runtime_error on any other answer.
State fetch_state(const HttpClient& client, const Entity& e, const std::string& token);

}  // namespace datamap::testing
