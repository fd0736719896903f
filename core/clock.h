// Wall-clock helpers for the timings rlvr reports.
#pragma once

#include <chrono>

namespace rlvr {

// Seconds elapsed on the steady clock since `start`.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace rlvr
