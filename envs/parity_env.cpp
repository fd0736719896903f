// "parity": the parity of a fixed-width bit string (env.parity; the task family
// is described at ParityConfig in proto/config.proto). Prompt "0100100000000000=",
// reference "0" or "1"; the SFT solution is the reference alone or, for a
// worked_fraction of tasks, "#" followed by the running parity after each bit.
// Verified by "parity". Thread-safe (see ProceduralEnvironment).
#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"
#include "envs/procedural_environment.h"

namespace rlvr::envs {
namespace {

class ParityEnvironment : public ProceduralEnvironment {
 public:
  explicit ParityEnvironment(const config::EnvConfig& config)
      : ProceduralEnvironment("parity", config), config_(config.parity()) {
    if (config_.min_ones() > config_.max_ones() || config_.max_ones() > config_.width()) {
      throw ConfigError("env.parity needs min_ones <= max_ones <= width, got " + std::to_string(config_.min_ones()) +
                        ", " + std::to_string(config_.max_ones()) + " and " + std::to_string(config_.width()) +
                        "; lower max_ones or raise width");
    }
  }

 protected:
  Task generate(Rng& rng) const override {
    const int width = config_.width();
    const int ones = static_cast<int>(uniform_int(rng, config_.min_ones(), config_.max_ones()));
    // A uniform set of `ones` positions: the first `ones` of a Fisher-Yates
    // shuffle, with the platform-independent uniform_int.
    std::vector<int> positions(width);
    std::iota(positions.begin(), positions.end(), 0);
    for (int i = 0; i < ones; ++i) std::swap(positions[i], positions[uniform_int(rng, i, width - 1)]);
    std::string bits(width, '0');
    for (int i = 0; i < ones; ++i) bits[positions[i]] = '1';

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

RLVR_REGISTER_ENVIRONMENT("parity", ParityEnvironment);

}  // namespace rlvr::envs
