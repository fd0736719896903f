#include "models/generation.h"

#include <limits>

#include "core/error.h"

namespace rlvr::models {

SamplingParams SamplingParams::from_config(const config::SamplingConfig& config, uint64_t seed) {
  SamplingParams p;
  p.temperature = config.temperature();
  p.top_p = config.top_p();
  p.top_k = config.top_k();
  p.max_new_tokens = config.max_new_tokens();
  p.seed = seed;
  return p;
}

torch::Tensor sample_next(const torch::Tensor& logits, const SamplingParams& params,
                          torch::Generator& generator) {
  if (params.temperature <= 0) return logits.argmax(-1);
  constexpr float kNegInf = -std::numeric_limits<float>::infinity();
  auto scaled = logits / params.temperature;
  const int64_t vocab = scaled.size(-1);
  if (params.top_k > 0 && params.top_k < vocab) {
    const auto kth = std::get<0>(scaled.topk(params.top_k, -1)).narrow(-1, params.top_k - 1, 1);
    scaled = scaled.masked_fill(scaled < kth, kNegInf);
  }
  if (params.top_p < 1.0) {
    const auto [sorted, order] = scaled.sort(-1, /*descending=*/true);
    const auto probs = sorted.softmax(-1);
    // Drop a token once the mass before it already reaches top_p; the most
    // likely token always survives.
    const auto drop = (probs.cumsum(-1) - probs) >= params.top_p;
    scaled = torch::full_like(scaled, kNegInf).scatter(-1, order, sorted.masked_fill(drop, kNegInf));
  }
  // Inverse-CDF sampling: one uniform draw per row against the running sum of
  // the probabilities. ATen's multinomial draws an exponential per vocabulary
  // entry: 12x slower at a 378-token vocabulary and 150,000 tokens (450 ms vs
  // 36 ms per step of 128 rows, 2 threads). The draw is scaled by the row's
  // total, so float rounding in the sum can neither select past the end nor a
  // zero-probability token (its running sum equals its predecessor's).
  const auto cdf = scaled.softmax(-1).cumsum(-1);
  const auto draw = at::rand({cdf.size(0), 1}, generator, cdf.options()) * cdf.narrow(-1, vocab - 1, 1);
  return torch::searchsorted(cdf, draw, /*out_int32=*/false, /*right=*/true).squeeze(-1);
}

namespace {

// Row r of the batch continues prompt group[r]; groups are runs of equal
// consecutive prompts when sharing, else one row each.
std::vector<int64_t> prompt_groups(const std::vector<std::vector<int64_t>>& prompts, bool share) {
  std::vector<int64_t> group(prompts.size());
  for (size_t r = 1; r < prompts.size(); ++r) {
    group[r] = group[r - 1] + (share && prompts[r] == prompts[r - 1] ? 0 : 1);
  }
  return group;
}

// The first prompt of each group.
std::vector<std::vector<int64_t>> distinct_prompts(const std::vector<std::vector<int64_t>>& prompts,
                                                   const std::vector<int64_t>& group) {
  std::vector<std::vector<int64_t>> distinct;
  for (size_t r = 0; r < prompts.size(); ++r) {
    if (r == 0 || group[r] != group[r - 1]) distinct.push_back(prompts[r]);
  }
  return distinct;
}

}  // namespace

std::pair<torch::Tensor, torch::Tensor> left_pad(const std::vector<std::vector<int64_t>>& prompts, int64_t pad_id) {
  size_t longest = 0;
  for (const auto& p : prompts) longest = std::max(longest, p.size());
  const auto N = static_cast<int64_t>(prompts.size());
  const auto T = static_cast<int64_t>(longest);
  auto tokens = torch::full({N, T}, pad_id, torch::kLong);
  auto valid = torch::zeros({N, T}, torch::kBool);
  auto tokens_a = tokens.accessor<int64_t, 2>();
  auto valid_a = valid.accessor<bool, 2>();
  for (int64_t n = 0; n < N; ++n) {
    const auto& p = prompts[n];
    const int64_t offset = T - static_cast<int64_t>(p.size());
    for (size_t t = 0; t < p.size(); ++t) {
      tokens_a[n][offset + static_cast<int64_t>(t)] = p[t];
      valid_a[n][offset + static_cast<int64_t>(t)] = true;
    }
  }
  return {tokens, valid};
}

Generation generate(Transformer& model, const std::vector<std::vector<int64_t>>& prompts,
                    const SamplingParams& params, int64_t eos_id, int64_t pad_id,
                    const GenerationOptions& options) {
  const auto& shape = model->shape();
  const int64_t batch = static_cast<int64_t>(prompts.size());
  Generation out;
  if (batch == 0) return out;
  int64_t prompt_len = 0;
  for (const auto& p : prompts) prompt_len = std::max<int64_t>(prompt_len, p.size());
  const int64_t max_new = std::min(params.max_new_tokens, shape.max_seq_len - prompt_len);
  if (max_new <= 0) {
    throw Error("prompt of " + std::to_string(prompt_len) + " tokens leaves no room to generate "
                "within model.max_seq_len=" + std::to_string(shape.max_seq_len));
  }
  const auto param = model->parameters().front();
  const auto device = param.device();
  torch::InferenceMode inference;
  const auto long_opts = torch::TensorOptions().dtype(torch::kLong).device(device);

  const auto group = prompt_groups(prompts, options.share_prompts);
  auto [tokens, valid] = left_pad(distinct_prompts(prompts, group), pad_id);
  tokens = tokens.to(device);
  valid = valid.to(device);

  // A private generator per call: sampling is reproducible from params.seed
  // and independent of anything else drawing random numbers.
  auto generator = at::globalContext().defaultGenerator(device).clone();
  generator.set_current_seed(params.seed);

  KvCache cache(shape.n_layers, tokens.size(0), shape.n_kv_heads, prompt_len + max_new, shape.head_dim(),
                param.options());
  // Only the last prompt position's logits are needed (prompts are left-padded).
  auto logits = model->project(model->hidden_states(tokens, valid, &cache).select(1, -1));
  if (tokens.size(0) < batch) {
    const auto expand = torch::tensor(group, torch::kLong).to(device);
    cache = cache.select_rows(expand);
    logits = logits.index_select(0, expand);
  }
  // active[i]: the batch row that row i of the decode batch (and cache) continues.
  auto active = torch::arange(batch, long_opts);
  auto alive = torch::ones({batch}, torch::TensorOptions().dtype(torch::kBool).device(device));
  std::vector<torch::Tensor> step_tokens, step_logprobs, step_alive;
  const auto eos_index = torch::full({1}, std::max<int64_t>(eos_id, 0), long_opts);
  constexpr float kNoChoice = -std::numeric_limits<float>::infinity();
  for (int64_t step = 0; step < max_new; ++step) {
    // Finished rows are sampled too (from flat logits), so the draws match the reference path.
    const auto full = active.size(0) == batch
                          ? logits
                          : torch::zeros({batch, logits.size(1)}, logits.options()).index_copy_(0, active, logits);
    // Before min_new_tokens the end token is no choice (its log-prob stays the model's).
    const bool may_end = step >= params.min_new_tokens || eos_id < 0;
    auto next = sample_next(may_end ? full : full.index_fill(1, eos_index, kNoChoice), params, generator);
    step_tokens.push_back(next);
    step_logprobs.push_back(full.log_softmax(-1).gather(-1, next.unsqueeze(-1)).squeeze(-1));
    step_alive.push_back(alive);
    alive = alive & (next != eos_id);
    if (step + 1 == max_new) break;
    auto active_alive = alive.index_select(0, active);
    const int64_t still = active_alive.sum().item<int64_t>();
    if (still == 0) break;
    if (options.drop_finished && 4 * still <= 3 * active.size(0)) {
      const auto keep = active_alive.nonzero().squeeze(1);
      cache = cache.select_rows(keep);
      active = active.index_select(0, keep);
      active_alive = active_alive.index_select(0, keep);
    }
    next = next.index_select(0, active).masked_fill(~active_alive, pad_id);
    const auto step_valid = torch::ones({active.size(0), 1}, valid.options());
    logits = model->forward(next.unsqueeze(1), step_valid, &cache).select(1, -1);
  }

  const auto all_tokens = torch::stack(step_tokens, 1).cpu();
  const auto all_logprobs = torch::stack(step_logprobs, 1).to(torch::kFloat).cpu();
  const auto all_alive = torch::stack(step_alive, 1).cpu();
  const auto lengths = all_alive.sum(1);
  const auto finished = (~alive).cpu();
  out.tokens.resize(batch);
  out.logprobs.resize(batch);
  out.finished.resize(batch);
  for (int64_t b = 0; b < batch; ++b) {
    const int64_t n = lengths[b].item<int64_t>();
    const int64_t* t = all_tokens[b].data_ptr<int64_t>();
    const float* lp = all_logprobs[b].data_ptr<float>();
    out.tokens[b].assign(t, t + n);
    out.logprobs[b].assign(lp, lp + n);
    out.finished[b] = finished[b].item<bool>();
  }
  return out;
}

}  // namespace rlvr::models
