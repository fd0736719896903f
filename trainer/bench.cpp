#include "trainer/bench.h"

#include <algorithm>
#include <chrono>

#include "trainer/run_setup.h"
#include "trainer/sft_batch.h"
#include "trainer/sft_phase.h"

namespace rlvr::trainer {
namespace {

constexpr uint64_t kBenchStream = 0xBE7C;

// Times `iterations` calls of `run` after one warm-up call; `run` returns the
// tokens it processed.
template <typename Run>
void measure(BenchResult& result, int iterations, Run run) {
  run();
  for (int i = 0; i < iterations; ++i) {
    const auto start = std::chrono::steady_clock::now();
    result.tokens = run();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.tokens_per_second.push_back(result.tokens / s);
  }
  auto sorted = result.tokens_per_second;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  result.median_tokens_per_second =
      n == 0 ? 0 : (n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]));
}

BenchResult header(const std::string& name, const RunResources& res,
                   const config::LoadedConfig& loaded, int64_t batch) {
  BenchResult r;
  r.name = name;
  r.device = loaded.config.model().device();
  r.threads = res.threads;
  r.parameters = res.policy.shape().parameter_count();
  r.batch = batch;
  return r;
}

}  // namespace

BenchResult bench_generate(const config::LoadedConfig& loaded, int iterations) {
  RunResources res(loaded);
  const auto& cfg = loaded.config;
  const int64_t batch = cfg.eval().batch_size();
  std::vector<std::vector<int64_t>> prompts;
  for (int64_t i = 0; i < batch; ++i) {
    const auto& task = res.eval_tasks[static_cast<size_t>(i) % res.eval_tasks.size()];
    prompts.push_back(res.policy.encode_prompt(task.prompt));
  }
  auto params = models::SamplingParams::from_config(cfg.eval().sampling(), cfg.runtime().seed());
  params.temperature = 1.0;
  BenchResult result = header("generate", res, loaded, batch);
  measure(result, iterations, [&] {
    const auto g = models::generate(res.policy.model(), prompts, params, /*eos_id=*/-1,
                                    res.policy.tokenizer().pad_id());
    int64_t tokens = 0;
    for (const auto& t : g.tokens) tokens += static_cast<int64_t>(t.size());
    return tokens;
  });
  return result;
}

BenchResult bench_train(const config::LoadedConfig& loaded, int iterations) {
  RunResources res(loaded);
  const auto& cfg = loaded.config;
  const auto batch = make_sft_batch(
      res.policy, sample_train_tasks(*res.env, cfg.runtime().seed(), kBenchStream, 0,
                                     cfg.sft().batch_size()));
  torch::optim::AdamW optimizer(res.policy.model()->parameters(),
                                torch::optim::AdamWOptions(cfg.sft().lr()));
  res.policy.model()->train();
  BenchResult result = header("train", res, loaded, cfg.sft().batch_size());
  measure(result, iterations, [&] {
    const auto loss = sft_loss(res.policy.model()->forward(batch.inputs, batch.valid), batch);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    loss.item<double>();  // waits for the device, so the timing covers the whole step
    return batch.tokens;
  });
  return result;
}

}  // namespace rlvr::trainer
