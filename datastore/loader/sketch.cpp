#include "datastore/loader/sketch.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace datamap::datastore::loader {

namespace {

constexpr std::uint64_t kFnvBasis = 1469598103934665603ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

// splitmix64's finaliser: every bit of the result depends on every bit of FNV's state.
std::uint64_t finish(std::uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

}  // namespace

std::uint64_t hash64(std::string_view s) {
  std::uint64_t h = kFnvBasis;
  for (unsigned char c : s) h = (h ^ c) * kFnvPrime;
  return finish(h);
}

void HyperLogLog::add(std::uint64_t hash) {
  std::size_t index = hash >> (64 - kBits);
  std::uint64_t rest = (hash << kBits) | (std::uint64_t{1} << (kBits - 1));
  auto rank = static_cast<std::uint8_t>(std::countl_zero(rest) + 1);
  registers_[index] = std::max(registers_[index], rank);
}

double HyperLogLog::estimate() const {
  constexpr double m = 1 << kBits;
  double sum = 0;
  int zeros = 0;
  for (auto r : registers_) {
    sum += std::ldexp(1.0, -r);
    zeros += r == 0;
  }
  double e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
  if (e <= 2.5 * m && zeros > 0) e = m * std::log(m / zeros);  // small-range correction
  return e;
}

std::string BottomK::normalise(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '-' || c == '\r' || c == '\n') continue;
    if (out.empty() && c == '0') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

std::uint64_t BottomK::normalised_hash(std::string_view value) {
  std::uint64_t h = kFnvBasis;
  bool leading = true;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '-' || c == '\r' || c == '\n') continue;
    if (leading && c == '0') continue;
    leading = false;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    h = (h ^ static_cast<unsigned char>(c)) * kFnvPrime;
  }
  return finish(h);
}

void BottomK::add_hash(std::uint64_t h) {
  if (heap_.size() == k && h >= heap_.front()) return;
  if (std::find(heap_.begin(), heap_.end(), h) != heap_.end()) return;
  heap_.push_back(h);
  std::push_heap(heap_.begin(), heap_.end());
  if (heap_.size() > k) {
    std::pop_heap(heap_.begin(), heap_.end());
    heap_.pop_back();
  }
}

std::vector<std::uint64_t> BottomK::sorted() const {
  std::vector<std::uint64_t> out = heap_;
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace datamap::datastore::loader
