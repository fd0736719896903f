// A worker's control group: bounds the memory and processes of everything the
// worker runs and measures their CPU time, peak memory and OOM kills. Uses
// cgroup v1 (memory, pids, cpuacct) or v2 (memory, pids, cpu), whichever
// rlvr's own cgroup allows it to create children in.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rlvr::sandbox {

class WorkerCgroup {
 public:
  // Creates `name` under rlvr's own cgroup; nullptr with the reason in
  // `why_not` when cgroups cannot be used here (not root, no controllers).
  static std::unique_ptr<WorkerCgroup> create(const std::string& name, std::string* why_not);
  ~WorkerCgroup();  // removes the cgroup (its processes must be gone)

  void add_process(pid_t pid) const;
  // Absolute limits, for everything in the group.
  void set_memory_limit(int64_t bytes) const;
  void set_process_limit(int64_t count) const;
  int64_t memory_usage() const;
  // Peak usage since the last reset_memory_peak(); -1 when the kernel lacks it.
  void reset_memory_peak() const;
  int64_t memory_peak() const;
  int64_t cpu_usage_ns() const;
  int64_t oom_kills() const;

 private:
  struct Files;
  explicit WorkerCgroup(std::unique_ptr<Files> files);
  std::unique_ptr<Files> files_;
};

}  // namespace rlvr::sandbox
