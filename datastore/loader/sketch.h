// Bounded-memory summaries of a column's values: a HyperLogLog distinct-count estimate (for when
// exact counting passes its cap) and a bottom-k MinHash of normalised values (for estimating how
// well two code columns join, e.g. 법정동코드 in two datasets, without reading either table).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace datamap::datastore::loader {

std::uint64_t hash64(std::string_view s);

class HyperLogLog {
 public:
  void add(std::uint64_t hash);
  double estimate() const;

 private:
  static constexpr int kBits = 12;
  std::array<std::uint8_t, 1 << kBits> registers_{};
};

// The k smallest distinct hashes of normalised values (ASCII upper-cased; white space, hyphens
// and leading zeros removed: "01234", "1234" and "12-34" are one value).
class BottomK {
 public:
  static constexpr std::size_t k = 256;  // ~1/sqrt(k) relative error on Jaccard
  static std::string normalise(std::string_view value);
  // hash64(normalise(value)), without building the normalised string; "" normalised -> 0.
  static std::uint64_t normalised_hash(std::string_view value);
  void add(std::string_view value) { add_hash(normalised_hash(value)); }
  void add_hash(std::uint64_t h);
  std::vector<std::uint64_t> sorted() const;

 private:
  std::vector<std::uint64_t> heap_;  // max-heap of the k smallest
};

}  // namespace datamap::datastore::loader
