// The code verifier's verdict on one program from its sandboxed batch of test
// runs (Sandbox::run_batch): per-test verdicts (test_judge.h), status and
// reward, as documented at CodeVerifier. Pure apart from the spdlog warning a
// sandbox error raises; thread-safe.
#pragma once

#include <string>

#include "core/code_task.h"
#include "sandbox/sandbox.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {

// `batch` ran `program` on spec.tests (call tests reading results after
// `marker`); `task` names the task in the sandbox-error warning. kUnjudged when
// the sandbox failed, before or during the tests; kInvalid on a compile error;
// else kCorrect / kWrong with `reward` (all-pass or fraction passed).
Verdict batch_verdict(const Task& task, const CodeTaskSpec& spec, const sandbox::BatchResult& batch,
                      const std::string& marker, config::CodeReward reward, std::string program);

}  // namespace rlvr::verifiers
