// "arithmetic": integer problems "a<op>b=" (e.g. "07+42="), operands uniform in
// [0, 10^digits - 1], the operator uniform over config.arithmetic().operators.
// The reference (and the SFT solution) is the result in decimal; with
// reverse_answer it is |result| zero-padded to the widest result of the operator
// (digits+1 for '+', digits for '-', 2*digits for '*'), written least-significant
// digit first, with a leading '-' when negative: 07+95= -> "201" (102 reversed).
// Verified by "exact_number". Thread-safe (see ProceduralEnvironment).
#pragma once

#include "envs/procedural_environment.h"

namespace rlvr::envs {

class ArithmeticEnvironment : public ProceduralEnvironment {
 public:
  // Throws rlvr::ConfigError for operators outside "+-*" or digits outside 1..9.
  explicit ArithmeticEnvironment(const config::EnvConfig& config);

 protected:
  Task generate(Rng& rng) const override;

 private:
  config::ArithmeticConfig config_;
  int64_t max_operand_;  // 10^digits - 1
};

}  // namespace rlvr::envs
