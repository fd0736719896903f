// "radix_conversion": write a number given in one base in another, bases 2..16
// with digits 0-9 then A-F, the source base after '_', the target after "->":
//   prompt   "13_10->2=", solution and reference "1101", meta["base"] "2".
// Verified by "radix_number", which compares digit by digit from the least
// significant end for partial credit (a base-16 "1A" is no decimal number for
// "exact_number"). The bases come from a fixed list, 2 16 8 4 10 3 5 6 7 9
// 11..15, and a level uses its first `bases` entries. The powers of two come
// first because between them a digit group maps to a digit group (one hex
// digit is four bits), which a small model can learn; from base 10 on the
// conversion needs arithmetic. So level 0 is binary <-> hexadecimal.
// Difficulty: max_value (numbers are drawn from 0..max_value) and bases.
#include <algorithm>
#include <array>
#include <string>

#include "envs/generator_util.h"

namespace rlvr::envs {
namespace {

constexpr std::array<int64_t, 15> kBasesInOrder = {2, 16, 8, 4, 10, 3, 5, 6, 7, 9, 11, 12, 13, 14, 15};

std::string in_base(int64_t value, int64_t base) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string digits;
  do {
    digits += kDigits[value % base];
    value /= base;
  } while (value > 0);
  std::reverse(digits.begin(), digits.end());
  return digits;
}

class RadixConversionGenerator : public TaskGenerator {
 public:
  explicit RadixConversionGenerator(const config::EnvConfig&) {}

  std::vector<DifficultyAttribute> attributes() const override {
    return {{"max_value", "numbers are drawn from 0..max_value", {63, 255, 1023, 4095, 65535}},
            {"bases", "bases in use, the first of 2 16 8 4 10 3 5 6 7 9 11 12 13 14 15", {2, 3, 4, 6, 15}}};
  }

  void check(const Difficulty& difficulty) const override {
    require_in_range("radix_conversion", difficulty, "max_value", 1, int64_t{1} << 48);
    require_in_range("radix_conversion", difficulty, "bases", 2, static_cast<int64_t>(kBasesInOrder.size()));
  }

  Task generate(Rng& rng, const Difficulty& difficulty) const override {
    const int64_t value = uniform_int(rng, 0, difficulty["max_value"]);
    const int64_t last = difficulty["bases"] - 1;
    const int64_t from = uniform_int(rng, 0, last);
    int64_t to = uniform_int(rng, 0, last - 1);
    if (to >= from) ++to;
    Task t;
    t.prompt = in_base(value, kBasesInOrder[from]) + "_" + std::to_string(kBasesInOrder[from]) + "->" +
               std::to_string(kBasesInOrder[to]) + "=";
    t.reference = in_base(value, kBasesInOrder[to]);
    t.solution = t.reference;
    t.verifier = "radix_number";
    t.meta["base"] = std::to_string(kBasesInOrder[to]);
    return t;
  }
};

}  // namespace

RLVR_REGISTER_GENERATOR("radix_conversion", RadixConversionGenerator);

}  // namespace rlvr::envs
