// "jsonl": tasks read from JSON Lines files (GSM8K/MATH-style datasets), one
// object per line:
//   {"prompt": "...", "answer": "42", "solution": "...", "verifier": "exact_number",
//    "id": "gsm8k/17", "meta": {"numbers": "3,7,25"}}
// "prompt" and "answer" (a string or a number) are required; "solution" defaults
// to "", "verifier" to "exact_number", "id" to "jsonl/<split>/<index>", "meta"
// (string values) to none. The other layouts (env.jsonl.format GSM8K, MATH and
// CODE, whose tasks go to the "code" verifier) are described at JsonlFormat in
// proto/config.proto. Blank lines are skipped. train_path is required, eval_path
// optional (an empty eval split). Both files are read at construction; immutable
// and thread-safe afterwards.
#pragma once

#include <string>
#include <vector>

#include "envs/environment.h"

namespace rlvr::envs {

class JsonlEnvironment : public Environment {
 public:
  // Throws rlvr::Error naming "file:line" and the problem for a bad line, and
  // rlvr::ConfigError when train_path is unset or a file cannot be opened.
  explicit JsonlEnvironment(const config::EnvConfig& config);

  std::string name() const override { return "jsonl"; }
  size_t size(Split split) const override;
  Task task(Split split, size_t index) const override;

 private:
  std::vector<Task> train_;
  std::vector<Task> eval_;
};

}  // namespace rlvr::envs
