// What a client may know about one entity (a dataset, an organization) after writes some of whose
// answers were lost to a kill: the set of states it can be in. An answer narrows the set to the
// states in which the write answers that status (and moves them on); a lost answer widens it to
// "applied or not". The crash assertion is that the state the server shows is in the set: an
// acknowledged write is never lost (the states without it were dropped) and a write is never
// half-applied (every state in the set is a whole one).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace datamap::testing {

// An entity's fields, flattened to strings; nullopt: it does not exist.
using State = std::optional<std::map<std::string, std::string>>;

// What a write does to one possible state: the status it answers and the state after.
struct Outcome {
  long status = 200;
  State next;
};
using Effect = std::function<Outcome(const State&)>;

class Candidates {
 public:
  Candidates() : states_{std::nullopt} {}  // a fresh name: surely absent
  static Candidates known(State s) {
    Candidates c;
    c.states_ = {std::move(s)};
    return c;
  }

  // The write answered `status`: keeps the states that answer so, moved on. False when no state
  // would have answered so (the set is then left as it was, for the failure message).
  bool answered(const Effect& effect, long status);
  // The answer was lost (the server died): the write may or may not have been applied.
  void lost(const Effect& effect);

  bool contains(const State& s) const;
  bool may_be_absent() const;
  // True when some state has field == value.
  bool may_have(const std::string& field, const std::string& value) const;
  bool certain() const { return states_.size() == 1; }
  const std::vector<State>& states() const { return states_; }
  std::string describe() const;

 private:
  void add(State s);
  std::vector<State> states_;
};

std::string describe(const State& s);

}  // namespace datamap::testing
