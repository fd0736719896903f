// Progress display for long loops: a redrawn bar with rate and ETA when stdout
// is a terminal, plain spdlog lines every `log_every` steps otherwise (logs and CI).
// Not thread-safe: drive it from the loop's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace rlvr {

class Progress {
 public:
  // `first` is the step the loop starts from (non-zero when resuming), so the
  // ETA only counts work done in this process.
  Progress(std::string label, int64_t total, int64_t first = 0, int log_every = 10);
  ~Progress();

  // `step` steps are done; `status` is a short summary ("loss 0.53 acc 41%").
  void update(int64_t step, const std::string& status);
  // Changes the expected number of steps (when it is only known once work started).
  void set_total(int64_t total) { total_ = total; }
  // Ends the bar's line (terminal) or logs the last state.
  void finish();

  static std::string format_duration(double seconds);

 private:
  std::string line(int64_t step, const std::string& status) const;

  std::string label_;
  int64_t total_;
  int64_t first_;
  int log_every_;
  bool terminal_;
  bool finished_ = false;
  int64_t last_step_ = 0;
  std::string last_status_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace rlvr
