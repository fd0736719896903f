// One long-lived thread that starts every zygote of a sandbox. A zygote dies
// with the thread that started it (its parent-death signal is per thread), so
// it must not be started from a caller's thread, which may end at any time.
#pragma once

#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <queue>
#include <thread>

namespace rlvr::sandbox {

class LauncherThread {
 public:
  LauncherThread() : thread_([this] { loop(); }) {}
  ~LauncherThread() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  LauncherThread(const LauncherThread&) = delete;
  LauncherThread& operator=(const LauncherThread&) = delete;

  // Runs `task` on the launcher thread and returns once it has, rethrowing
  // what it threw.
  void run(const std::function<void()>& task) {
    std::packaged_task<void()> job(task);
    std::future<void> done = job.get_future();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push(std::move(job));
    }
    wake_.notify_one();
    done.get();
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      std::packaged_task<void()> job = std::move(jobs_.front());
      jobs_.pop();
      lock.unlock();
      job();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::queue<std::packaged_task<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest exists
};

}  // namespace rlvr::sandbox
