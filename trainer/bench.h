// `rlvr bench`: throughput of generation and training for a config's model,
// reported as the median over repeated runs with the thread count used. With a
// workload (bench_workload.h) generation and RL steps run exactly the prompt
// ids, samples and lengths a peer framework runs (bench/peers/).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"
#include "trainer/bench_workload.h"

namespace rlvr::trainer {

struct BenchOptions {
  int iterations = 5;                      // measured runs, after one warm-up
  const BenchWorkload* workload = nullptr; // null: the config's own prompts
  bool greedy = false;                     // generate: argmax instead of sampling at temperature 1
  std::string init;                        // run directory or checkpoint whose weights to load ("": fresh)
  std::string profile;                     // write a Chrome trace of the measured runs here ("": none)
};

struct BenchResult {
  std::string name;        // "generate" or "train"
  std::string device;
  int threads = 0;         // torch intra-op threads
  int64_t parameters = 0;
  int64_t batch = 0;       // sequences per iteration
  int64_t tokens = 0;      // tokens counted per iteration
  std::vector<double> tokens_per_second;  // one per measured iteration
  double median_tokens_per_second = 0;
  double median_seconds = 0;
  // FLOPs the work of one iteration needs: each distinct prompt's prefill once,
  // then each sample's decode (see ModelShape::forward_flops).
  double flops_needed = 0;
  // generate: the last run's completion ids per row.
  std::vector<std::vector<int64_t>> completions;
};

// Batched KV-cached generation: eval.batch_size prompts from the eval split, or
// the workload's prompts each group_size times; eval.sampling.max_new_tokens (or
// the workload's) new tokens each. The end token does not stop it, so every
// iteration does the same work. Counts completion tokens.
BenchResult bench_generate(const config::LoadedConfig& loaded, const BenchOptions& options);

// SFT steps (forward, backward, AdamW) on sft.batch_size sequences. Counts input tokens.
BenchResult bench_train(const config::LoadedConfig& loaded, const BenchOptions& options);

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
  double completion_tokens = 0;    // sampled tokens per step (median)
  int ranks = 1;                   // data-parallel ranks (rlvr bench rl-step --nproc)
  double all_reduce_seconds = 0;   // per step (median, rank 0): gradients and loss sums
  double all_gather_seconds = 0;   // per step (median, rank 0): the rollouts
  // FLOPs a step's work needs (median): rollouts as bench_generate counts them,
  // plus one training pass over each distinct prompt and each completion.
  double flops_needed = 0;
};

// Runs RL steps of the config's RL settings after a short SFT warm-up (so
// rewards vary and updates happen), or, with a workload or init weights, on
// those weights as they are: the workload's prompts every step, its
// group_size and max_new_tokens (every completion that long). Started as
// several ranks (the torchrun environment), each step is data-parallel.
RlStepBench bench_rl_step(const config::LoadedConfig& loaded, const BenchOptions& options);

}  // namespace rlvr::trainer
