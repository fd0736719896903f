#include "bounded_batch.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <spdlog/fmt/fmt.h>

#include "core/error.h"

namespace rlvr::python {
namespace {

using Clock = std::chrono::steady_clock;

// What a worker is doing: the item it runs (-1: none) and since when.
struct Slot {
  std::atomic<int64_t> item{-1};
  std::atomic<int64_t> started_ns{0};
  std::atomic<bool> abandoned{false};
};

struct Batch {
  std::shared_ptr<const verifiers::Verifier> verifier;
  std::vector<Task> tasks;
  std::vector<std::string> completions;
  std::vector<verifiers::Verdict> verdicts;
  std::unique_ptr<std::atomic<bool>[]> decided;  // whoever flips it writes verdicts[i]
  std::atomic<int64_t> next{0};
  std::mutex mutex;
  std::condition_variable changed;
  int64_t done = 0;  // under mutex

  int64_t size() const { return static_cast<int64_t>(tasks.size()); }

  // Stores verdict i unless it was decided already (a time-out); returns whether it did.
  bool decide(int64_t i, verifiers::Verdict verdict) {
    bool expected = false;
    if (!decided[i].compare_exchange_strong(expected, true)) return false;
    verdicts[static_cast<size_t>(i)] = std::move(verdict);
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++done;
    }
    changed.notify_all();
    return true;
  }
};

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

void work(const std::shared_ptr<Batch>& batch, const std::shared_ptr<Slot>& slot) {
  while (!slot->abandoned.load()) {
    const int64_t i = batch->next.fetch_add(1);
    if (i >= batch->size()) break;
    slot->started_ns.store(now_ns());
    slot->item.store(i);
    const size_t k = static_cast<size_t>(i);
    batch->decide(i, verifiers::unjudged_on_failure(
                         [&] { return batch->verifier->verify(batch->tasks[k], batch->completions[k]); }));
    slot->item.store(-1);
  }
}

}  // namespace

std::vector<verifiers::Verdict> verify_bounded(std::shared_ptr<const verifiers::Verifier> verifier,
                                               std::vector<Task> tasks, std::vector<std::string> completions,
                                               int threads, double timeout_s) {
  if (tasks.size() != completions.size()) {
    throw Error("verify_batch: " + std::to_string(tasks.size()) + " golds but " +
                std::to_string(completions.size()) + " completions");
  }
  if (!(timeout_s > 0)) throw Error("verify_batch: timeout must be a positive number of seconds");
  auto batch = std::make_shared<Batch>();
  batch->verifier = std::move(verifier);
  batch->tasks = std::move(tasks);
  batch->completions = std::move(completions);
  batch->verdicts.resize(batch->tasks.size());
  batch->decided.reset(new std::atomic<bool>[batch->tasks.size()]());
  const int64_t n = batch->size();
  if (n == 0) return {};
  const int workers = std::max(1, std::min<int>(threads, static_cast<int>(n)));
  std::vector<std::shared_ptr<Slot>> slots;
  const auto start_worker = [&] {
    auto slot = std::make_shared<Slot>();
    std::thread([batch, slot] { work(batch, slot); }).detach();
    slots.push_back(std::move(slot));
  };
  for (int w = 0; w < workers; ++w) start_worker();

  const auto bound_ns = static_cast<int64_t>(timeout_s * 1e9);
  // Checks often enough that an item is cut within 10% of its bound (at least every 50 ms).
  const auto tick = std::chrono::nanoseconds(std::clamp<int64_t>(bound_ns / 10, 100'000, 50'000'000));
  std::unique_lock<std::mutex> lock(batch->mutex);
  while (batch->done < n) {
    batch->changed.wait_for(lock, tick);
    lock.unlock();
    const int64_t now = now_ns();
    for (size_t s = 0; s < slots.size(); ++s) {
      Slot& slot = *slots[s];
      const int64_t item = slot.item.load();
      if (slot.abandoned.load() || item < 0 || now - slot.started_ns.load() <= bound_ns) continue;
      // Fails when the worker finished the item meanwhile: then it goes on.
      if (!batch->decide(item, verifiers::make_verdict(verifiers::VerdictStatus::kUnjudged,
                                                       fmt::format("timed out after {:g} s (verify_batch timeout)",
                                                                   timeout_s)))) {
        continue;
      }
      slot.abandoned.store(true);
      start_worker();  // keeps `workers` threads on the remaining items
    }
    lock.lock();
  }
  // Workers still running hold `batch`; results are complete, so copy them out.
  return batch->verdicts;
}

}  // namespace rlvr::python
