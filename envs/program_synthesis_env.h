// "program_synthesis": small stdin/stdout programming tasks that a char-level
// policy can learn on a CPU. A task reads one integer x, two integers "a b" or a
// list v (one line of integers) and prints an expression of them with random
// constants, drawn from templates (ProgramSynthesisConfig in proto/config.proto):
//
//   prompt    "Read x; print 3*x+4.\n"
//   solution  "```python\nx=int(input())\nprint(3*x+4)\n```"   (the fenced reference)
//   reference "x=int(input())\nprint(3*x+4)\n"
//
// num_tests tests with random inputs, their expected outputs computed here in
// C++ with Python's semantics (x%k is never negative), go to meta in the layout
// of core/code_task.h; verified by "code". Prompt plus solution stay within 120
// characters with the defaults. Every template has a constant, since the split
// is by prompt (tests vary per draw): the eval split holds ~10% of ~690 prompts
// with the defaults; raise max_constant for more. Thread-safe (see ProceduralEnvironment).
#pragma once

#include <vector>

#include "envs/procedural_environment.h"

namespace rlvr::envs {

struct ProgramTemplate;

class ProgramSynthesisEnvironment : public ProceduralEnvironment {
 public:
  // Throws rlvr::ConfigError naming the known templates for an unknown one, and
  // for sizes outside the ranges of ProgramSynthesisConfig.
  explicit ProgramSynthesisEnvironment(const config::EnvConfig& config);

  // Every template name, in the order of proto/config.proto.
  static std::vector<std::string> template_names();

 protected:
  Task generate(Rng& rng) const override;

 private:
  config::ProgramSynthesisConfig config_;
  std::vector<const ProgramTemplate*> templates_;
};

}  // namespace rlvr::envs
