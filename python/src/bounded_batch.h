// Verifying many completions on a thread pool with a hard bound on each one's
// wall-clock time, and no signals: what Python trainers need from a reward
// function that runs in threads, Ray workers or anywhere off the main thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/task.h"
#include "verifiers/verifier.h"

namespace rlvr::python {

// One verdict per (tasks[i], completions[i]), computed by `threads` workers.
// An item still running after `timeout_s` seconds gets kUnjudged ("timed
// out") at once; its worker is abandoned (C++ cannot stop a thread: it runs
// the item to its end, which the verifiers' own step budgets bound, then
// exits) and a fresh worker takes its place, so one slow item never holds up
// the rest. Everything the workers read is shared, so an abandoned worker
// outlives this call safely.
std::vector<verifiers::Verdict> verify_bounded(std::shared_ptr<const verifiers::Verifier> verifier,
                                               std::vector<Task> tasks, std::vector<std::string> completions,
                                               int threads, double timeout_s);

}  // namespace rlvr::python
