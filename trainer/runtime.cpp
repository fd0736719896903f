#include "trainer/runtime.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <thread>

namespace rlvr::trainer {

int apply_runtime(const config::RuntimeConfig& runtime) {
  const int threads = runtime.threads() > 0
                          ? runtime.threads()
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  torch::set_num_threads(threads);
  spdlog::debug("torch intra-op threads: {}", threads);
  return threads;
}

}  // namespace rlvr::trainer
