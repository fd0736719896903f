#include "trainer/run_setup.h"

#include "core/error.h"
#include "core/text_util.h"
#include "envs/task_generator.h"
#include "trainer/runtime.h"

namespace rlvr::trainer {
namespace {

// Difficulty settings need a procedural generator (docs/task-types.md).
void check_difficulty_fields(const config::LoadedConfig& loaded) {
  const config::EnvConfig& env = loaded.config.env();
  if (envs::make_generator(env.name(), env) != nullptr) return;
  const std::string why = "env '" + env.name() + "' has no difficulty levels; the procedural generators (" +
                          join(envs::generator_names(), ", ") + ") do";
  if (env.has_curriculum()) config::fail(loaded, "env.curriculum", why);
  if (env.level() >= 0) config::fail(loaded, "env.level", why);
  if (env.difficulty_size() > 0) config::fail(loaded, "env.difficulty", why);
}

std::unique_ptr<envs::Environment> make_env(const config::LoadedConfig& loaded) {
  try {
    auto env = envs::make_environment(loaded.config.env());
    check_difficulty_fields(loaded);
    return env;
  } catch (const ConfigError& e) {
    if (std::string(e.what()).rfind("invalid config:", 0) == 0) throw;
    config::fail_located(loaded, "env", e.what());
  } catch (const Error& e) {
    config::fail_located(loaded, "env.name", e.what());
  }
}

// Errors name the config field they come from: the device, else the
// checkpoint or tokenizer file.
models::Policy make_policy(const config::LoadedConfig& loaded) {
  const config::ModelConfig& model = loaded.config.model();
  try {
    models::parse_device(model.device());
  } catch (const Error& e) {
    config::fail(loaded, "model.device", e.what());
  }
  try {
    return models::Policy(model, loaded.config.runtime().seed());
  } catch (const Error& e) {
    config::fail(loaded, model.hf_path().empty() ? "model.tokenizer" : "model.hf_path", e.what());
  }
}

std::vector<Task> first_eval_tasks(const envs::Environment& env, int64_t limit) {
  const size_t size = env.size(envs::Split::kEval);
  const size_t n = limit > 0 ? std::min(size, static_cast<size_t>(limit)) : size;
  std::vector<Task> tasks;
  tasks.reserve(n);
  for (size_t i = 0; i < n; ++i) tasks.push_back(env.task(envs::Split::kEval, i));
  return tasks;
}

// The eval tasks of env with eval.extrapolation's fields in place of its own;
// none without it. Its eval split must be the run's hash region (same seed
// and eval_fraction), so none of its prompts is a training prompt.
std::vector<Task> harder_eval_tasks(const config::LoadedConfig& loaded) {
  const auto& eval = loaded.config.eval();
  if (!eval.has_extrapolation()) return {};
  const config::EnvConfig& harder = eval.extrapolation();
  const bool renamed = harder.has_name() && harder.name() != loaded.config.env().name();
  if (harder.has_seed() || harder.has_eval_fraction() || renamed) {
    config::fail(loaded, "eval.extrapolation",
                 "the harder split changes only the task fields of env (e.g. parity { max_ones: 14 }); its name, "
                 "seed and eval_fraction are env's, so its tasks stay out of the training split");
  }
  config::EnvConfig env = loaded.config.env();
  env.MergeFrom(harder);
  try {
    return first_eval_tasks(*envs::make_environment(env), eval.num_tasks());
  } catch (const Error& e) {
    config::fail(loaded, "eval.extrapolation", e.what());
  }
}

}  // namespace

RunResources::RunResources(const config::LoadedConfig& loaded)
    : threads(apply_runtime(loaded.config.runtime())),
      env(make_env(loaded)),
      verifiers(loaded.config.verifier()),
      policy(make_policy(loaded)),
      eval_tasks(first_eval_tasks(*env, loaded.config.eval().num_tasks())),
      harder_tasks(harder_eval_tasks(loaded)) {
  if (!loaded.config.verifier().name().empty()) {
    try {
      verifiers::make_verifier(loaded.config.verifier().name(), loaded.config.verifier());
    } catch (const Error& e) {
      config::fail_located(loaded, "verifier.name", e.what());
    }
  }
}

}  // namespace rlvr::trainer
