#include "core/progress.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace rlvr {

Progress::Progress(std::string label, int64_t total, int64_t first, int log_every)
    : label_(std::move(label)),
      total_(total),
      first_(first),
      log_every_(log_every),
      terminal_(::isatty(STDOUT_FILENO) == 1),
      last_step_(first),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() {
  if (!finished_ && terminal_) std::cout << std::endl;
}

std::string Progress::format_duration(double seconds) {
  if (seconds < 0 || seconds > 1e7) return "--:--";
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

std::string Progress::line(int64_t step, const std::string& status) const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const int64_t done = step - first_;
  const double eta = done > 0 ? elapsed / done * (total_ - step) : -1;
  const double rate = elapsed > 0 ? done / elapsed : 0;
  char head[160];
  std::snprintf(head, sizeof head, "%s %lld/%lld (%.0f%%) %s<%s %.2f it/s", label_.c_str(),
                static_cast<long long>(step), static_cast<long long>(total_),
                total_ > 0 ? 100.0 * step / total_ : 100.0, format_duration(elapsed).c_str(),
                format_duration(eta).c_str(), rate);
  return status.empty() ? head : std::string(head) + " | " + status;
}

void Progress::update(int64_t step, const std::string& status) {
  last_step_ = step;
  last_status_ = status;
  if (!terminal_) {
    if (step % log_every_ == 0 || step == total_) spdlog::info("{}", line(step, status));
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && step != total_) return;
  last_draw_ = now;
  constexpr int kWidth = 24;
  const int filled = total_ > 0 ? static_cast<int>(kWidth * step / total_) : kWidth;
  std::string bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
  std::cout << "\r\033[K" << bar << line(step, status) << std::flush;
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (terminal_) {
    std::cout << "\r\033[K" << line(last_step_, last_status_) << std::endl;
  } else if (last_step_ % log_every_ != 0 && last_step_ != total_) {
    spdlog::info("{}", line(last_step_, last_status_));
  }
}

}  // namespace rlvr
