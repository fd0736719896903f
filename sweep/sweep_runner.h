// Runs a sweep's points as `rlvr train` (and `rlvr eval` for the test-time
// analysis) child processes, several at once, resumably: a finished point is
// skipped, an interrupted one resumes from its newest checkpoint, a failed one
// is recorded with its error and does not stop the others.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "sweep/sweep_plan.h"

namespace rlvr::sweep {

struct RunOptions {
  std::string rlvr_binary;           // the executable that runs each step
  int workers = 1;                   // points at once
  int cores = 0;                     // split between the workers; 0: this machine's
  std::optional<size_t> only_index;  // run just this point (schedulers' entry point)
  int ranks_per_point = 1;           // > 1: each point trains data-parallel (rlvr train --nproc)
};

struct RunOutcome {
  size_t done = 0;     // finished in this run
  size_t skipped = 0;  // already finished before
  size_t failed = 0;
};

// Writes SWEEP_DIR/sweep.json (the points, for the summary and schedulers).
void write_manifest(const SweepPlan& plan);

RunOutcome run_sweep(const SweepPlan& plan, const RunOptions& options);

// Whether the point finished every step (its sweep_status.json says done).
bool point_done(const SweepPoint& point);

}  // namespace rlvr::sweep
