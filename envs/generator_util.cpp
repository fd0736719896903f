#include "envs/generator_util.h"

#include "core/error.h"
#include "core/text_util.h"

namespace rlvr::envs {

int64_t largest_with_digits(int64_t digits) {
  int64_t power = 1;
  for (int64_t i = 0; i < digits; ++i) power *= 10;
  return power - 1;
}

std::string join_numbers(const std::vector<int64_t>& numbers, std::string_view separator) {
  std::vector<std::string> texts;
  for (const int64_t n : numbers) texts.push_back(std::to_string(n));
  return join(texts, separator);
}

void require_in_range(const std::string& generator, const Difficulty& difficulty, const std::string& attribute,
                      int64_t lo, int64_t hi) {
  const int64_t value = difficulty[attribute];
  if (value < lo || value > hi) {
    throw ConfigError(generator + ": difficulty attribute '" + attribute + "' must be in " + std::to_string(lo) +
                      ".." + std::to_string(hi) + ", got " + std::to_string(value) +
                      " (from env.level, env.difficulty or the generator's own settings)");
  }
}

}  // namespace rlvr::envs
