// Deterministic seeding helpers. Everything random in rlvr derives its stream
// from (seed, purpose, index) so results do not depend on call order, and a
// resumed run draws exactly what an uninterrupted one would.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

namespace rlvr {

// SplitMix64 finaliser: a well-mixed 64-bit function of its input.
inline uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline uint64_t derive_seed(uint64_t seed, uint64_t stream, uint64_t index = 0) {
  return mix64(mix64(mix64(seed) ^ stream) ^ index);
}

// FNV-1a: a stable (platform-independent) hash of text.
inline uint64_t fnv1a(std::string_view text, uint64_t seed = 0) {
  uint64_t h = 0xcbf29ce484222325ULL ^ mix64(seed);
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

using Rng = std::mt19937_64;

// Uniform integer in [lo, hi], identical on every platform (std's distributions
// are implementation-defined, which would make splits differ between compilers).
inline int64_t uniform_int(Rng& rng, int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  return lo + static_cast<int64_t>(rng() % span);
}

// Uniform double in [0, 1), platform-independent.
inline double uniform_unit(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace rlvr
