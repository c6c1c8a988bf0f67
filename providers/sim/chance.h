// Deterministic pseudo-randomness for the simulation: a stable 64-bit hash of a few strings and a
// number in [0, 1) from it. The same inputs give the same result in every run, on every machine
// and on every thread, so a seed reproduces pod placement and injected failures exactly.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace kc::sim {

// FNV-1a over the parts (each followed by a 0 byte, so ("ab", "c") differs from ("a", "bc")),
// finished with a mixing step so that nearby inputs give unrelated outputs.
inline uint64_t stable_hash(std::initializer_list<std::string_view> parts) {
  uint64_t h = 14695981039346656037ull;
  for (std::string_view part : parts) {
    for (unsigned char c : part) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0;
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

// A number in [0, 1) drawn from the hash of `parts`.
inline double stable_chance(std::initializer_list<std::string_view> parts) {
  return static_cast<double>(stable_hash(parts) >> 11) / static_cast<double>(uint64_t{1} << 53);
}

}  // namespace kc::sim
