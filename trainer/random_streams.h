// Every random stream of the trainer in one list, so no two purposes share
// one: a draw is derive_seed(runtime.seed, stream, index) (core/rng.h), which
// makes it independent of call order and identical after a resume.
#pragma once

#include <cstdint>

namespace rlvr::trainer::streams {

constexpr uint64_t kSftBatch = 0x5F7B;      // SFT batches, by step
constexpr uint64_t kSftCheck = 0x5F7C;      // the SFT training-accuracy check set
constexpr uint64_t kControlBatch = 0x5F7D;  // the SFT-only control's batches, by step
constexpr uint64_t kAnswerOnlyBatch = 0x5F7E;  // the answer-only control's draws among RL's prompts, by step
constexpr uint64_t kRlPrompt = 0x71A1;      // RL prompts, by step
constexpr uint64_t kRlSample = 0x71A2;      // RL rollout sampling, by step
constexpr uint64_t kRlShuffle = 0x71A3;     // RL minibatch order, by step then epoch
constexpr uint64_t kCoinReward = 0x71A4;    // the random-reward control's coin flips, by step
constexpr uint64_t kEvalBatch = 0xE7A0;     // sampling of each evaluation batch, by first task
constexpr uint64_t kPassSample = 0xE7A3;    // sampled pass@1 evaluation
constexpr uint64_t kTrainEval = 0xE7A1;     // fresh training tasks of `rlvr eval --split train`
constexpr uint64_t kTestTime = 0xE7A2;      // test-time sampling, by first task
constexpr uint64_t kBench = 0xBE7C;         // benchmark batches

}  // namespace rlvr::trainer::streams
