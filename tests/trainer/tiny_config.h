// A tiny experiment (1-digit addition, a 2-layer model) that trains in seconds.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"

namespace rlvr::trainer {

inline config::LoadedConfig tiny_experiment(const std::string& run_dir,
                                            std::vector<std::string> overrides = {}) {
  const std::string text = R"(
    model { d_model: 64 n_layers: 2 n_heads: 4 max_seq_len: 16 }
    env { name: "arithmetic" eval_size: 20 eval_fraction: 0.2
          arithmetic { digits: 1 operators: "+" } }
    sft { steps: 300 batch_size: 32 lr: 3e-3 warmup_steps: 10 check_every: 0 }
    eval { batch_size: 64 sampling { temperature: 0 max_new_tokens: 4 } }
    output { checkpoint_every: 0 log_every: 10 }
    runtime { threads: 1 seed: 5 })";
  overrides.push_back("output.run_dir=" + run_dir);
  return config::parse(text, "tiny.pbtxt", overrides);
}

}  // namespace rlvr::trainer
