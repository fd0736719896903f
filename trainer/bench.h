// `rlvr bench`: throughput of generation and training for a config's model,
// reported as the median over repeated runs with the thread count used.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"

namespace rlvr::trainer {

struct BenchResult {
  std::string name;        // "generate" or "train"
  std::string device;
  int threads = 0;         // torch intra-op threads
  int64_t parameters = 0;
  int64_t batch = 0;       // sequences per iteration
  int64_t tokens = 0;      // tokens counted per iteration
  std::vector<double> tokens_per_second;  // one per measured iteration
  double median_tokens_per_second = 0;
};

// Batched KV-cached generation: eval.batch_size prompts from the eval split,
// eval.sampling.max_new_tokens new tokens each (the end token does not stop it,
// so every iteration does the same work). Counts completion tokens.
BenchResult bench_generate(const config::LoadedConfig& loaded, int iterations);

// SFT steps (forward, backward, AdamW) on sft.batch_size sequences. Counts input tokens.
BenchResult bench_train(const config::LoadedConfig& loaded, int iterations);

// Where one RL step's time goes, as medians over measured steps.
struct RlStepBench {
  std::string device;
  int threads = 0;
  int64_t prompts = 0, group_size = 0;
  int steps = 0;
  double generate_seconds = 0;     // rollout sampling
  double verify_seconds = 0;       // verifier jobs (run overlapped with generation)
  double verify_wait_seconds = 0;  // generation waiting for the last verification
  double train_seconds = 0;        // scoring passes and optimizer updates
  double total_seconds = 0;        // whole step
};

// Runs RL steps of the config's RL settings on a freshly initialised policy
// after a short SFT warm-up (so rewards vary and updates happen).
RlStepBench bench_rl_step(const config::LoadedConfig& loaded, int iterations);

}  // namespace rlvr::trainer
