#include <map>

#include "core/error.h"
#include "trainer/algorithm.h"

namespace rlvr::trainer {

using AlgorithmFactory = std::unique_ptr<Algorithm> (*)(const config::RlConfig&);

// One line per algorithm: its rl.algorithm value and the factory its file in
// trainer/algorithms/ defines. The GRPO family shares one implementation.
#define RLVR_ALGORITHMS(X)                  \
  X(config::GRPO, make_policy_gradient)     \
  X(config::RLOO, make_policy_gradient)     \
  X(config::REINFORCE_PP, make_policy_gradient) \
  X(config::RFT, make_rejection_sampling)

#define RLVR_DECLARE_FACTORY(value, factory) std::unique_ptr<Algorithm> factory(const config::RlConfig&);
RLVR_ALGORITHMS(RLVR_DECLARE_FACTORY)
#undef RLVR_DECLARE_FACTORY

std::unique_ptr<Algorithm> make_algorithm(const config::RlConfig& rl) {
#define RLVR_TABLE_ENTRY(value, factory) {value, &factory},
  static const std::map<config::Algorithm, AlgorithmFactory> factories{RLVR_ALGORITHMS(RLVR_TABLE_ENTRY)};
#undef RLVR_TABLE_ENTRY
  const auto it = factories.find(rl.algorithm());
  if (it == factories.end()) {
    throw Error("rl.algorithm: " + config::Algorithm_Name(rl.algorithm()) +
                " has no implementation in trainer/algorithm_registry.cpp");
  }
  return it->second(rl);
}

}  // namespace rlvr::trainer
