// `rlvr sweep FILE --emit slurm`: an sbatch array script whose task i runs
// `rlvr sweep FILE --only-index i`, so a cluster runs the points in parallel
// with the same resume logic as a local sweep.
#pragma once

#include <string>

#include "sweep/sweep_plan.h"

namespace rlvr::sweep {

struct SlurmOptions {
  std::string rlvr_binary;   // absolute
  std::string sweep_file;    // absolute
  std::string working_dir;   // where relative paths of the configs resolve
  int cpus_per_task = 2;
  int ranks_per_point = 1;   // > 1: each array task trains its point as this many ranks on its node
};

std::string slurm_script(const SweepPlan& plan, const SlurmOptions& options);

}  // namespace rlvr::sweep
