// Starts a worker's zygote: a clone of rlvr in new user, mount, network, UTS,
// IPC and cgroup namespaces that builds the worker's root file system,
// pivots into it and executes the Python zygote (child/zygote.py).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "sandbox/root_plan.h"

namespace rlvr::sandbox {

class WorkerCgroup;

struct ZygoteLaunch {
  std::string python;             // interpreter path (inside and outside: /usr is shared)
  std::vector<RootEntry> root;    // plan_root()
  int control_fd = -1;            // the zygote's end of the control socket (becomes fd 3)
  int stderr_fd = -1;             // where the zygote's own errors go (becomes fd 2)
};

// Returns the zygote's pid once it runs Python; throws rlvr::Error naming the
// step that failed (e.g. user namespaces disabled) otherwise. The caller waits
// for the zygote's "ready".
pid_t launch_zygote(const ZygoteLaunch& launch, const WorkerCgroup* cgroup);

}  // namespace rlvr::sandbox
