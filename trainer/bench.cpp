#include "trainer/bench.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <torch/csrc/autograd/profiler_kineto.h>
#include <unistd.h>

#include <set>

#include "core/clock.h"
#include "core/error.h"
#include "trainer/checkpoint.h"
#include "trainer/data_parallel.h"
#include "trainer/random_streams.h"
#include "trainer/rl_phase.h"
#include "trainer/run_setup.h"
#include "trainer/sft_batch.h"
#include "trainer/sft_phase.h"
#include "trainer/task_sampling.h"
#include "trainer/train.h"

namespace rlvr::trainer {
namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Records every torch op from construction to destruction into a Chrome trace
// at `path` (chrome://tracing, or bench/profile_top.py for the top ops).
class Profile {
 public:
  explicit Profile(std::string path) : path_(std::move(path)) {
    if (path_.empty()) return;
    const torch::profiler::impl::ProfilerConfig config(torch::profiler::impl::ProfilerState::KINETO);
    const std::set<torch::profiler::impl::ActivityType> cpu{torch::profiler::impl::ActivityType::CPU};
    torch::autograd::profiler::prepareProfiler(config, cpu);
    torch::autograd::profiler::enableProfiler(config, cpu);
  }
  ~Profile() {
    if (!path_.empty()) torch::autograd::profiler::disableProfiler()->save(path_);
  }
  Profile(const Profile&) = delete;
  Profile& operator=(const Profile&) = delete;

 private:
  std::string path_;
};

// Times `iterations` calls of `run` after one warm-up call; `run` returns the
// tokens it processed.
template <typename Run>
void measure(BenchResult& result, const BenchOptions& options, Run run) {
  run();
  const Profile profile(options.profile);
  const int iterations = options.iterations;
  std::vector<double> seconds;
  for (int i = 0; i < iterations; ++i) {
    const auto start = std::chrono::steady_clock::now();
    result.tokens = run();
    seconds.push_back(seconds_since(start));
    result.tokens_per_second.push_back(result.tokens / seconds.back());
  }
  result.median_tokens_per_second = median(result.tokens_per_second);
  result.median_seconds = median(seconds);
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

// Loads the weights of `init` (a run directory or checkpoint), if any.
void load_init(const std::string& init, models::Policy& policy) {
  if (init.empty()) return;
  load_checkpoint(resolve_checkpoint(init).checkpoint, policy);
}

// The workload's tasks: its prompt ids and answers, judged by the verifier of
// the config's environment.
std::vector<Task> workload_tasks(const BenchWorkload& w, const RunResources& res) {
  const int64_t vocab = res.policy.shape().vocab_size;
  std::vector<Task> tasks;
  for (size_t i = 0; i < w.prompts.size(); ++i) {
    for (int64_t id : w.prompts[i]) {
      if (id < 0 || id >= vocab) {
        throw Error("workload '" + w.name + "': prompt " + std::to_string(i) + " has token id " +
                    std::to_string(id) + " outside the model's vocabulary of " + std::to_string(vocab));
      }
    }
    Task t = res.eval_tasks.front();
    t.id = w.name + "/" + std::to_string(i);
    t.prompt = res.policy.tokenizer().decode(w.prompts[i]);
    t.prompt_ids = w.prompts[i];
    t.reference = w.answers[i];
    tasks.push_back(std::move(t));
  }
  return tasks;
}

// FLOPs of a forward pass over `prompts` (rows, equal consecutive prompts
// shared) continued by `new_tokens` tokens each, the last of which is not fed back.
double needed_forward_flops(const models::ModelShape& shape, const std::vector<std::vector<int64_t>>& prompts,
                            double new_tokens) {
  double flops = 0;
  for (size_t r = 0; r < prompts.size(); ++r) {
    const auto prompt = static_cast<int64_t>(prompts[r].size());
    if (r == 0 || prompts[r] != prompts[r - 1]) flops += shape.forward_flops(0, prompt);
    flops += shape.forward_flops(prompt, static_cast<int64_t>(std::max(0.0, new_tokens - 1)));
  }
  return flops;
}

}  // namespace

BenchResult bench_generate(const config::LoadedConfig& loaded, const BenchOptions& options) {
  RunResources res(loaded);
  load_init(options.init, res.policy);
  const auto& cfg = loaded.config;
  auto params = models::SamplingParams::from_config(cfg.eval().sampling(), cfg.runtime().seed());
  params.temperature = options.greedy ? 0.0 : 1.0;
  std::vector<std::vector<int64_t>> prompts;
  if (options.workload != nullptr) {
    for (const Task& t : workload_tasks(*options.workload, res)) {
      prompts.insert(prompts.end(), options.workload->group_size, t.prompt_ids);
    }
    params.max_new_tokens = options.workload->max_new_tokens;
  } else {
    for (int64_t i = 0; i < cfg.eval().batch_size(); ++i) {
      const auto& task = res.eval_tasks[static_cast<size_t>(i) % res.eval_tasks.size()];
      prompts.push_back(res.policy.encode_prompt(task.prompt));
    }
  }
  BenchResult result = header("generate", res, loaded, static_cast<int64_t>(prompts.size()));
  measure(result, options, [&] {
    auto g = models::generate(res.policy.model(), prompts, params, /*eos_id=*/-1, res.policy.pad_id());
    int64_t tokens = 0;
    for (const auto& t : g.tokens) tokens += static_cast<int64_t>(t.size());
    result.completions = std::move(g.tokens);
    return tokens;
  });
  result.flops_needed = needed_forward_flops(res.policy.shape(), prompts,
                                             static_cast<double>(result.tokens) / prompts.size());
  return result;
}

BenchResult bench_train(const config::LoadedConfig& loaded, const BenchOptions& options) {
  RunResources res(loaded);
  load_init(options.init, res.policy);
  const auto& cfg = loaded.config;
  const auto batch = make_sft_batch(
      res.policy, sample_train_tasks(*res.env, cfg.runtime().seed(), streams::kBench, 0,
                                     cfg.sft().batch_size()));
  torch::optim::AdamW optimizer(res.policy.model()->parameters(),
                                torch::optim::AdamWOptions(cfg.sft().lr()));
  res.policy.model()->train();
  BenchResult result = header("train", res, loaded, cfg.sft().batch_size());
  measure(result, options, [&] {
    const auto loss = sft_loss(res.policy, batch, batch.loss_mask.sum().item<double>());
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    loss.item<double>();  // waits for the device, so the timing covers the whole step
    return batch.tokens;
  });
  result.flops_needed = batch_training_flops(res.policy.shape(), batch.lengths);
  return result;
}

RlStepBench bench_rl_step(const config::LoadedConfig& loaded, const BenchOptions& options) {
  config::LoadedConfig adjusted = loaded;
  auto& rl = *adjusted.config.mutable_rl();
  if (options.workload != nullptr) {
    rl.set_prompts_per_step(static_cast<int32_t>(options.workload->prompts.size()));
    rl.set_group_size(static_cast<int32_t>(options.workload->group_size));
    rl.set_max_new_tokens(static_cast<int32_t>(options.workload->max_new_tokens));
    // Every completion runs to the cap, as the peers' do (bench/peers/trl_step.py).
    rl.set_min_new_tokens(rl.max_new_tokens());
  }
  const auto& cfg = adjusted.config;
  const auto comm =
      Communicator::connect(world_from_environment(), cfg.runtime().distributed(), torch::Device(cfg.model().device()));
  RunResources res(adjusted);
  load_init(options.init, res.policy);
  broadcast_weights(res.policy, *comm);
  const std::vector<Task> tasks =
      options.workload != nullptr ? workload_tasks(*options.workload, res) : std::vector<Task>{};
  const std::string dir = std::filesystem::temp_directory_path() / ("rlvr_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto sink = scaling::make_jsonl_sink(dir + "/metrics.jsonl");
  RunContext ctx{cfg, dir, res.policy, *res.env, res.verifiers, *sink, {}, {}, *comm};
  LoopState state;
  if (options.workload == nullptr && options.init.empty()) {
    SftSpec warmup;
    warmup.steps = std::min(cfg.sft().steps(), 200);
    warmup.checkpoints = false;
    run_sft(ctx, state, warmup, nullptr);
  }
  RlLoop loop(ctx, state, "");
  const auto run_step = [&](int64_t step) { return tasks.empty() ? loop.step(step) : loop.step(step, tasks); };
  RlStepBench b;
  b.device = cfg.model().device();
  b.threads = res.threads;
  b.prompts = cfg.rl().prompts_per_step();
  b.group_size = cfg.rl().group_size();
  b.steps = options.iterations;
  b.ranks = comm->world_size();
  std::vector<double> gen, verify, wait, train, total, tokens, all_reduce, all_gather;
  run_step(1);  // warm-up
  const Profile profile(options.profile);
  for (int i = 0; i < options.iterations; ++i) {
    const int64_t tokens_before = state.tokens;
    const double reduce_before = comm->seconds_in("all-reduce"), gather_before = comm->seconds_in("all-gather");
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_step(i + 2);
    total.push_back(seconds_since(start));
    all_reduce.push_back(comm->seconds_in("all-reduce") - reduce_before);
    all_gather.push_back(comm->seconds_in("all-gather") - gather_before);
    gen.push_back(r.get("time/generate"));
    verify.push_back(r.get("time/verify"));
    wait.push_back(r.get("time/verify_wait"));
    train.push_back(r.get("time/train"));
    tokens.push_back(static_cast<double>(state.tokens - tokens_before));
  }
  std::filesystem::remove_all(dir);
  b.generate_seconds = median(gen);
  b.verify_seconds = median(verify);
  b.verify_wait_seconds = median(wait);
  b.train_seconds = median(train);
  b.total_seconds = median(total);
  b.completion_tokens = median(tokens);
  b.all_reduce_seconds = median(all_reduce);
  b.all_gather_seconds = median(all_gather);
  if (!tasks.empty()) {
    std::vector<std::vector<int64_t>> rows;
    for (const Task& t : tasks) rows.insert(rows.end(), b.group_size, t.prompt_ids);
    const double mean_length = b.completion_tokens / static_cast<double>(rows.size());
    // Sampling, then a training pass (3x a forward) over the prompts and completions.
    b.flops_needed = 4 * needed_forward_flops(res.policy.shape(), rows, mean_length);
  }
  return b;
}

}  // namespace rlvr::trainer
