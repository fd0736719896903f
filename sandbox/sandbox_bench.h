// `rlvr bench sandbox`: sandboxed Python executions per second through the
// worker pool, side by side with a baseline that starts python3 per run with
// plain fork/exec and no isolation, on the same workloads and concurrency.
#pragma once

#include <string>
#include <vector>

#include "config.pb.h"

namespace rlvr::sandbox {

struct BenchRow {
  std::string workload;     // "hello world", "10-test task"
  std::string system;       // "rlvr pool", "fork/exec python3"
  int executions = 0;       // program runs measured
  double seconds = 0;
  double executions_per_second = 0;
  double p50_ms = 0;        // latency of one request (one run, or one task's 10 runs)
  double p99_ms = 0;
  int failures = 0;         // runs that were not OK with the expected output
};

struct BenchReport {
  int clients = 0;
  int workers = 0;
  std::string python;
  std::vector<BenchRow> rows;
};

// `requests` per workload and system, from `clients` threads at once.
BenchReport bench_sandbox(const config::SandboxConfig& config, int clients, int requests);

}  // namespace rlvr::sandbox
