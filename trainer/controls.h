// The controls a verifier's gain is measured against. Each starts from the SFT
// result, spends (about) the compute RL spent, is charged in FLOPs on a
// counter of its own and becomes a row of the summary:
//   sft-control             more epochs over the same labelled demonstrations;
//   answer-only-control     SFT on RL's prompts with their reference answers
//                           as targets (the verifier's answer key as labels);
//   random-reward-control   the same RL run with coin-flip rewards of the
//                           same mean: what the update does without the verifier.
// None is checkpointed; a resumed run reruns them (they are deterministic).
#pragma once

#include <string>
#include <vector>

#include "trainer/run_context.h"
#include "trainer/train.h"

namespace rlvr::trainer {

// A summary row of `e`, the phase's evaluation.
PhaseSummary phase_summary(const std::string& name, int64_t steps, double flops, double seconds,
                           const PolicyEval& e);

// Runs the controls the config asks for (rl.sft_control,
// rl.answer_only_control, rl.random_reward_control), in that order, from the
// policy saved at `sft_final`; `rl_flops` is what RL's training spent.
std::vector<PhaseSummary> run_controls(const RunContext& ctx, const std::string& sft_final, double rl_flops);

}  // namespace rlvr::trainer
