#include "trainer/bench.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <unistd.h>

#include "core/clock.h"
#include "trainer/random_streams.h"
#include "trainer/rl_phase.h"
#include "trainer/run_setup.h"
#include "trainer/sft_batch.h"
#include "trainer/sft_phase.h"
#include "trainer/task_sampling.h"

namespace rlvr::trainer {
namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Times `iterations` calls of `run` after one warm-up call; `run` returns the
// tokens it processed.
template <typename Run>
void measure(BenchResult& result, int iterations, Run run) {
  run();
  for (int i = 0; i < iterations; ++i) {
    const auto start = std::chrono::steady_clock::now();
    result.tokens = run();
    const double s = seconds_since(start);
    result.tokens_per_second.push_back(result.tokens / s);
  }
  result.median_tokens_per_second = median(result.tokens_per_second);
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
                                    res.policy.pad_id());
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
      res.policy, sample_train_tasks(*res.env, cfg.runtime().seed(), streams::kBench, 0,
                                     cfg.sft().batch_size()));
  torch::optim::AdamW optimizer(res.policy.model()->parameters(),
                                torch::optim::AdamWOptions(cfg.sft().lr()));
  res.policy.model()->train();
  BenchResult result = header("train", res, loaded, cfg.sft().batch_size());
  measure(result, iterations, [&] {
    const auto loss = sft_loss(res.policy, batch, batch.loss_mask.sum().item<double>());
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    loss.item<double>();  // waits for the device, so the timing covers the whole step
    return batch.tokens;
  });
  return result;
}

RlStepBench bench_rl_step(const config::LoadedConfig& loaded, int iterations) {
  RunResources res(loaded);
  const auto& cfg = loaded.config;
  const std::string dir = std::filesystem::temp_directory_path() / ("rlvr_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto sink = scaling::make_jsonl_sink(dir + "/metrics.jsonl");
  RunContext ctx{cfg, dir, res.policy, *res.env, res.verifiers, *sink, {}, {}};
  LoopState state;
  SftSpec warmup;
  warmup.steps = std::min(cfg.sft().steps(), 200);
  warmup.checkpoints = false;
  run_sft(ctx, state, warmup, nullptr);
  RlLoop loop(ctx, state, "");
  RlStepBench b;
  b.device = cfg.model().device();
  b.threads = res.threads;
  b.prompts = cfg.rl().prompts_per_step();
  b.group_size = cfg.rl().group_size();
  b.steps = iterations;
  std::vector<double> gen, verify, wait, train, total;
  loop.step(1);  // warm-up
  for (int i = 0; i < iterations; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto r = loop.step(i + 2);
    total.push_back(seconds_since(start));
    gen.push_back(r.get("time/generate"));
    verify.push_back(r.get("time/verify"));
    wait.push_back(r.get("time/verify_wait"));
    train.push_back(r.get("time/train"));
  }
  std::filesystem::remove_all(dir);
  b.generate_seconds = median(gen);
  b.verify_seconds = median(verify);
  b.verify_wait_seconds = median(wait);
  b.train_seconds = median(train);
  b.total_seconds = median(total);
  return b;
}

}  // namespace rlvr::trainer
