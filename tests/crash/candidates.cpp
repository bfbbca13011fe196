#include "tests/crash/candidates.h"

#include <algorithm>

namespace datamap::testing {

bool Candidates::answered(const Effect& effect, long status) {
  std::vector<State> before;
  before.swap(states_);
  for (const auto& s : before) {
    Outcome o = effect(s);
    if (o.status == status) add(std::move(o.next));
  }
  if (states_.empty()) {
    states_ = std::move(before);
    return false;
  }
  return true;
}

void Candidates::lost(const Effect& effect) {
  std::vector<State> before = states_;
  for (const auto& s : before) {
    Outcome o = effect(s);
    if (o.status == 200) add(std::move(o.next));
  }
}

void Candidates::add(State s) {
  if (!contains(s)) states_.push_back(std::move(s));
}

bool Candidates::contains(const State& s) const {
  return std::find(states_.begin(), states_.end(), s) != states_.end();
}

bool Candidates::may_be_absent() const {
  return contains(std::nullopt);
}

bool Candidates::may_have(const std::string& field, const std::string& value) const {
  return std::any_of(states_.begin(), states_.end(), [&](const State& s) {
    if (!s) return false;
    auto it = s->find(field);
    return it != s->end() && it->second == value;
  });
}

std::string Candidates::describe() const {
  std::string out;
  for (const auto& s : states_) out += "  either " + testing::describe(s) + "\n";
  return out;
}

std::string describe(const State& s) {
  if (!s) return "(absent)";
  std::string out = "{";
  for (const auto& [k, v] : *s) out += k + "=" + v + "; ";
  return out + "}";
}

}  // namespace datamap::testing
