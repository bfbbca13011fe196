#include "graph/aho_corasick.h"

#include <algorithm>
#include <deque>
#include <stdexcept>

namespace datamap::graph {

void AhoCorasick::add(std::string_view pattern, std::uint32_t id) {
  if (built_) throw std::logic_error("AhoCorasick::add after build");
  if (pattern.empty()) return;
  std::uint32_t node = 0;
  for (unsigned char b : pattern) {
    auto& kids = pending_[node].children;
    auto it = std::lower_bound(kids.begin(), kids.end(), b,
                               [](const auto& kid, unsigned char v) { return kid.first < v; });
    if (it != kids.end() && it->first == b) {
      node = it->second;
      continue;
    }
    auto next = static_cast<std::uint32_t>(pending_.size());
    std::uint32_t depth = pending_[node].depth + 1;
    kids.insert(it, {b, next});  // invalidates `kids` only after use
    pending_.push_back(Pending{});
    pending_.back().depth = depth;
    node = next;
  }
  pending_[node].ids.push_back(id);
  ++pattern_count_;
}

std::uint32_t AhoCorasick::child(std::uint32_t state, unsigned char byte) const {
  const State& s = states_[state];
  const Edge* first = edges_.data() + s.first_edge;
  const Edge* last = first + s.edge_count;
  if (s.edge_count <= 8) {  // most trie nodes have one or two children: scanning beats bisecting
    for (const Edge* e = first; e != last; ++e)
      if (e->byte == byte) return e->target;
    return 0;
  }
  const Edge* it = std::lower_bound(first, last, byte,
                                    [](const Edge& e, unsigned char v) { return e.byte < v; });
  return (it != last && it->byte == byte) ? it->target : 0;
}

void AhoCorasick::build() {
  if (built_) return;
  built_ = true;
  const auto n = static_cast<std::uint32_t>(pending_.size());
  states_.assign(n, State{});
  for (std::uint32_t i = 0; i < n; ++i) {
    State& s = states_[i];
    s.first_edge = static_cast<std::uint32_t>(edges_.size());
    s.edge_count = static_cast<std::uint32_t>(pending_[i].children.size());
    for (auto [b, t] : pending_[i].children) edges_.push_back(Edge{b, t});
    s.first_output = static_cast<std::uint32_t>(outputs_.size());
    s.output_count = static_cast<std::uint32_t>(pending_[i].ids.size());
    outputs_.insert(outputs_.end(), pending_[i].ids.begin(), pending_[i].ids.end());
    s.depth = pending_[i].depth;
  }
  // Fail links breadth first: a state's fail is the longest proper suffix that is a trie state.
  std::deque<std::uint32_t> queue;
  for (auto [b, t] : pending_[0].children) {
    states_[t].fail = 0;
    queue.push_back(t);
  }
  while (!queue.empty()) {
    std::uint32_t u = queue.front();
    queue.pop_front();
    for (auto [b, v] : pending_[u].children) {
      std::uint32_t f = states_[u].fail;
      std::uint32_t next = 0;
      for (;;) {
        next = child(f, b);
        if (next != 0 || f == 0) break;
        f = states_[f].fail;
      }
      states_[v].fail = (next == v) ? 0 : next;
      std::uint32_t fv = states_[v].fail;
      states_[v].output_link = states_[fv].output_count > 0 ? fv : states_[fv].output_link;
      queue.push_back(v);
    }
  }
  for (int b = 0; b < 256; ++b) root_table_[b] = child(0, static_cast<unsigned char>(b));
  pending_.clear();
  pending_.shrink_to_fit();
}

std::uint32_t AhoCorasick::step(std::uint32_t state, unsigned char byte) const {
  while (state != 0) {
    if (std::uint32_t next = child(state, byte)) return next;
    state = states_[state].fail;
  }
  return root_table_[byte];
}

void AhoCorasick::for_each_match(std::string_view text,
                                 const std::function<void(const Match&)>& on_match) const {
  if (!built_) throw std::logic_error("AhoCorasick::for_each_match before build");
  std::uint32_t state = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    state = step(state, static_cast<unsigned char>(text[i]));
    for (std::uint32_t s = states_[state].output_count ? state : states_[state].output_link; s != 0;
         s = states_[s].output_link) {
      const State& hit = states_[s];
      for (std::uint32_t k = 0; k < hit.output_count; ++k)
        on_match(Match{i + 1 - hit.depth, i + 1, outputs_[hit.first_output + k]});
    }
  }
}

std::vector<AhoCorasick::Match> AhoCorasick::matches(std::string_view text) const {
  std::vector<Match> out;
  for_each_match(text, [&](const Match& m) { out.push_back(m); });
  return out;
}

}  // namespace datamap::graph
