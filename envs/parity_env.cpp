// "parity": the parity of a fixed-width bit string (env.parity; the task family
// is described at ParityConfig in proto/config.proto). Prompt "0100100000000000=",
// reference "0" or "1"; the SFT solution is the reference alone or, for a
// worked_fraction of tasks, "#" followed by the running parity after each bit.
// Verified by "parity". A TaskGenerator whose difficulty attributes are width
// and max_ones (env.parity's at env.level -1); min_ones and worked_fraction
// stay settings. Thread-safe (see ProceduralEnvironment).
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"
#include "envs/generator_util.h"

namespace rlvr::envs {
namespace {

class ParityGenerator : public TaskGenerator {
 public:
  explicit ParityGenerator(const config::EnvConfig& config) : config_(config.parity()) {}

  std::vector<DifficultyAttribute> attributes() const override {
    // More set bits among more bits: an answer-only model counts the ones, and
    // counting further is harder. max_ones is even at every level so that, from
    // the default min_ones 1, odd and even counts are equally likely and the
    // answers split evenly: no level can be passed by always giving one bit.
    return {{"width", "bits per prompt", {8, 12, 16, 24, 32, 48}},
            {"max_ones", "most bits set (at least env.parity.min_ones)", {2, 4, 6, 10, 16, 24}}};
  }

  Difficulty configured_difficulty(const config::EnvConfig& config) const override {
    return Difficulty({{"width", config.parity().width()}, {"max_ones", config.parity().max_ones()}});
  }

  void check(const Difficulty& difficulty) const override {
    const int64_t width = difficulty["width"], max_ones = difficulty["max_ones"];
    if (config_.min_ones() > max_ones || max_ones > width) {
      throw ConfigError("env.parity needs min_ones <= max_ones <= width, got " + std::to_string(config_.min_ones()) +
                        ", " + std::to_string(max_ones) + " and " + std::to_string(width) +
                        "; lower max_ones or raise width");
    }
  }

  Task generate(Rng& rng, const Difficulty& difficulty) const override {
    const auto width = static_cast<size_t>(difficulty["width"]);
    const auto ones = static_cast<size_t>(uniform_int(rng, config_.min_ones(), difficulty["max_ones"]));
    std::vector<size_t> positions(width);
    std::iota(positions.begin(), positions.end(), 0);
    partial_shuffle(positions, ones, rng);
    std::string bits(width, '0');
    for (size_t i = 0; i < ones; ++i) bits[positions[i]] = '1';

    std::string steps = "#";
    char running = '0';
    for (const char bit : bits) {
      if (bit == '1') running = running == '0' ? '1' : '0';
      steps += running;
    }
    Task t;
    t.prompt = bits + "=";
    t.reference = std::string(1, running);
    t.solution = uniform_unit(rng) < config_.worked_fraction() ? steps : t.reference;
    t.verifier = "parity";
    return t;
  }

 private:
  config::ParityConfig config_;
};

}  // namespace

RLVR_REGISTER_GENERATOR("parity", ParityGenerator);

}  // namespace rlvr::envs
