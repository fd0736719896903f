// "code": runs the program in a completion against the task's tests in the
// sandbox. The task carries its tests, language and limits in meta (layout in
// core/code_task.h; limits default to the SandboxConfig's).
//
// The program is the last fenced code block tagged with the task's language or
// untagged (code_extract.h); none is kNoAnswer. It runs once per test through
// one Sandbox::run_batch call (C++ compiles once); each test gets a verdict,
// AC WA RE TLE MLE OLE SE, or "-" when stop_on_first_failure skipped it (the
// batch stops at the first test that is not AC, a WA included; skipped tests
// count as failed). The detail lists them: "3/5 passed: AC AC WA - -". Status: kCorrect when all
// pass, kInvalid when the program does not compile (detail "CE: ..."), kUnjudged
// when the sandbox failed (SE, before or during the tests, whatever the other
// tests did: logged with spdlog warn, named in the detail, reward 0), kWrong
// otherwise. Reward: CodeVerifierConfig.reward, all-pass (1/0) or the fraction
// passed. Verdict::answer is the program.
//
// Owns one Sandbox (a pool of workers); verify() is thread-safe.
#pragma once

#include <memory>

#include "sandbox/sandbox.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {

class CodeVerifier : public Verifier {
 public:
  // Throws rlvr::ConfigError when the sandbox config is unusable.
  explicit CodeVerifier(const config::CodeVerifierConfig& config);
  ~CodeVerifier() override;

  std::string name() const override { return "code"; }
  // Throws rlvr::Error when the task is malformed (no meta "tests", bad limits)
  // or its language cannot run here: bugs in the environment or the setup,
  // not in the completion.
  Verdict verify(const Task& task, std::string_view completion) const override;

 private:
  config::CodeVerifierConfig config_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
};

}  // namespace rlvr::verifiers
