// rlvr's side of one request in flight: starts each stage once its init
// reports, sets the stage's cgroup limits, enforces time and output limits,
// collects the streams and turns what happened into an ExecResult.
#pragma once

#include <functional>
#include <vector>

#include "sandbox/sandbox.h"
#include "sandbox/worker.h"

namespace rlvr::sandbox {

class WorkerCgroup;

struct RequestChannels {
  int status_fd = -1;  // records from the run's helpers (read end)
  int go_fd = -1;      // go bytes to each stage's init (socket, our end)
  std::vector<int> stdout_fds;  // per stage, read ends
  std::vector<int> stderr_fds;
};

struct SupervisedRequest {
  std::vector<ExecResult> results;  // one per stage that ran
  bool worker_broken = false;       // the worker must be restarted
};

SupervisedRequest supervise_request(const RunRequest& request, const RequestChannels& channels,
                                    const WorkerCgroup* cgroup,
                                    const std::function<bool(const ExecResult&)>& keep_going);

}  // namespace rlvr::sandbox
