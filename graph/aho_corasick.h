// A byte-level Aho–Corasick automaton: finds every occurrence of thousands of patterns in one
// pass over a text, in time linear in the text plus the matches. Patterns and text are UTF-8;
// since a valid UTF-8 pattern can only match at character boundaries, bytes are enough.
// Build once (add… then build), then match from any number of threads (matching is const).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace datamap::graph {

class AhoCorasick {
 public:
  // Adds a pattern with a caller-chosen id; the same string may be added with several ids.
  // Empty patterns are ignored. Must be called before build().
  void add(std::string_view pattern, std::uint32_t id);
  void build();

  struct Match {
    std::size_t begin;  // byte offset of the first byte
    std::size_t end;    // one past the last byte
    std::uint32_t id;
  };
  // Calls on_match for every occurrence (overlapping ones included), ordered by `end`.
  void for_each_match(std::string_view text,
                      const std::function<void(const Match&)>& on_match) const;
  std::vector<Match> matches(std::string_view text) const;

  std::size_t pattern_count() const { return pattern_count_; }
  std::size_t state_count() const { return states_.size(); }

 private:
  struct Edge {
    unsigned char byte;
    std::uint32_t target;
  };
  struct State {
    std::uint32_t first_edge = 0;  // into edges_, sorted by byte
    std::uint32_t edge_count = 0;
    std::uint32_t fail = 0;
    std::uint32_t output_link = 0;   // nearest state on the fail chain that has outputs; 0 = none
    std::uint32_t first_output = 0;  // into outputs_
    std::uint32_t output_count = 0;
    std::uint32_t depth = 0;  // pattern length in bytes if this state ends a pattern
  };
  std::uint32_t child(std::uint32_t state,
                      unsigned char byte) const;  // 0 = none (root has no parent)
  std::uint32_t step(std::uint32_t state, unsigned char byte) const;

  // Construction-time trie: children kept sorted per node.
  struct Pending {
    std::vector<std::pair<unsigned char, std::uint32_t>> children;
    std::vector<std::uint32_t> ids;
    std::uint32_t depth = 0;
  };
  std::vector<Pending> pending_{Pending{}};
  std::vector<State> states_;
  std::vector<Edge> edges_;
  std::vector<std::uint32_t> outputs_;
  std::uint32_t root_table_[256] = {};  // the root's full transition table: the hottest state
  std::size_t pattern_count_ = 0;
  bool built_ = false;
};

}  // namespace datamap::graph
