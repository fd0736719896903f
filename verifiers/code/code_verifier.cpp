#include "verifiers/code/code_verifier.h"

#include <cstdio>
#include <random>

#include "core/code_task.h"
#include "verifiers/code/batch_verdict.h"
#include "verifiers/code/call_harness.h"
#include "verifiers/code/code_extract.h"
#include "verifiers/code/test_judge.h"

namespace rlvr::verifiers {
namespace {

// Unpredictable to the program, so its own output cannot forge a call result.
std::string fresh_marker() {
  std::random_device device;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%08x%08x", device(), device());
  return std::string("@rlvr-result-") + hex + "@";
}

}  // namespace

CodeVerifier::CodeVerifier(const config::CodeVerifierConfig& config)
    : config_(config), sandbox_(std::make_unique<sandbox::Sandbox>(config.sandbox())) {}

CodeVerifier::~CodeVerifier() = default;

Verdict CodeVerifier::verify(const Task& task, std::string_view completion) const {
  const CodeTaskSpec spec = read_code_task(task);
  const sandbox::Language language = sandbox::parse_language(spec.language);
  sandbox_->require_language(language);
  ExtractedProgram program = extract_program(completion, spec.language);
  if (!program.found) return make_verdict(VerdictStatus::kNoAnswer, program.detail);

  const bool calls = spec.tests.front().is_call();
  const std::string marker = calls ? fresh_marker() : "";
  std::vector<std::string> stdins;
  for (const CodeTest& test : spec.tests) stdins.push_back(calls ? call_stdin(test) : test.stdin_text);
  sandbox::Limits limits = sandbox_->default_limits();
  if (spec.time_limit_s) limits.time_limit_s = *spec.time_limit_s;
  if (spec.memory_limit_mb) limits.memory_limit_mb = *spec.memory_limit_mb;
  // Stopping at the first failure needs the verdict, not just the exit status: a WA stops too.
  sandbox::KeepGoing keep_going;
  if (config_.stop_on_first_failure()) {
    keep_going = [&](size_t i, const sandbox::ExecResult& run) {
      return judge_test(run, spec.tests[i], marker) == TestVerdict::kAccepted;
    };
  }
  const sandbox::BatchResult batch = sandbox_->run_batch(
      language, calls ? call_harness(program.source, marker) : program.source, stdins, limits, keep_going);
  return batch_verdict(task, spec, batch, marker, config_.reward(), std::move(program.source));
}

RLVR_REGISTER_VERIFIER("code", [](const config::VerifierConfig& c) {
  return std::make_unique<CodeVerifier>(c.code());
});

}  // namespace rlvr::verifiers
