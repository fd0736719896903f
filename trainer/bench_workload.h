// A fixed benchmark workload shared with peer frameworks (bench/peers/): the
// exact prompt ids, samples per prompt and completion length both sides run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rlvr::trainer {

struct BenchWorkload {
  std::string name;
  std::vector<std::vector<int64_t>> prompts;  // token ids, used as they are (template included)
  std::vector<std::string> answers;           // one per prompt: the reference the verifier checks
  int64_t group_size = 1;                     // samples per prompt
  int64_t max_new_tokens = 1;
};

// Reads {"name", "prompts": [[ids]], "answers": [..], "group_size", "max_new_tokens"};
// throws rlvr::Error naming the file and the field that is missing or wrong.
BenchWorkload read_bench_workload(const std::string& path);

}  // namespace rlvr::trainer
