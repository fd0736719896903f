// Helpers shared by the procedural generators (TaskGenerator subclasses in
// envs/): operand ranges, number lists as text, sampling without replacement,
// and the range check every generator's check() makes of its difficulty.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/rng.h"
#include "envs/task_generator.h"

namespace rlvr::envs {

// 10^digits - 1, the largest number of `digits` decimal digits (digits <= 18).
int64_t largest_with_digits(int64_t digits);

// The numbers in decimal, `separator` between them: {3, 9, 1} -> "3 9 1".
std::string join_numbers(const std::vector<int64_t>& numbers, std::string_view separator);

// Makes the first `count` items a uniform sample without replacement, in random
// order (the first `count` steps of a Fisher-Yates shuffle, with the
// platform-independent uniform_int); count == items.size() shuffles them all.
template <typename T>
void partial_shuffle(std::vector<T>& items, size_t count, Rng& rng) {
  const auto last = static_cast<int64_t>(items.size()) - 1;
  for (size_t i = 0; i < count; ++i) std::swap(items[i], items[uniform_int(rng, static_cast<int64_t>(i), last)]);
}

// Throws ConfigError "<generator>: difficulty attribute '<attribute>' must be in
// lo..hi, got v" unless the value is in range; the value comes from env.level
// or env.difficulty, or the generator's own sub-message at level -1.
void require_in_range(const std::string& generator, const Difficulty& difficulty, const std::string& attribute,
                      int64_t lo, int64_t hi);

}  // namespace rlvr::envs
