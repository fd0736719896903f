#include "trainer/shared_prompt_batch.h"

#include <map>

#include "core/error.h"
#include "models/generation.h"

namespace rlvr::trainer {
namespace {

size_t longest(const std::vector<std::vector<int64_t>>& lists) {
  size_t n = 1;
  for (const auto& l : lists) n = std::max(n, l.size());
  return n;
}

}  // namespace

SharedPromptBatch make_shared_prompt_batch(SharedPromptRows rows, int64_t pad_id, torch::Device device) {
  SharedPromptBatch b;
  b.pad_id = pad_id;
  const auto B = static_cast<int64_t>(rows.row_prompt.size());
  const auto Tc = static_cast<int64_t>(longest(rows.completions));
  const auto [prompts, prompt_valid] = models::left_pad(rows.prompts, pad_id);
  auto completions = torch::full({B, Tc}, pad_id, torch::kLong);
  auto completion_valid = torch::zeros({B, Tc}, torch::kBool);
  auto mask = torch::zeros({B, Tc}, torch::kFloat);
  auto ca = completions.accessor<int64_t, 2>();
  auto cva = completion_valid.accessor<bool, 2>();
  auto ma = mask.accessor<float, 2>();
  for (int64_t r = 0; r < B; ++r) {
    const auto& ids = rows.completions[r];
    if (ids.empty()) throw Error("shared-prompt batch: row " + std::to_string(r) + " has an empty completion");
    for (size_t t = 0; t < ids.size(); ++t) {
      ca[r][t] = ids[t];
      cva[r][t] = true;
      ma[r][t] = rows.trained[r] != 0 ? 1.0f : 0.0f;
    }
    b.lengths.push_back(static_cast<int64_t>(rows.prompts[rows.row_prompt[r]].size() + ids.size()) - 1);
  }
  b.prompts = prompts.to(device);
  b.prompt_valid = prompt_valid.to(device);
  b.row_prompt = torch::tensor(rows.row_prompt, torch::kLong).to(device);
  b.completions = completions.to(device);
  b.completion_valid = completion_valid.to(device);
  b.loss_mask = mask.to(device);
  b.host = std::move(rows);
  return b;
}

SharedPromptBatch select_rows(const SharedPromptBatch& batch, const std::vector<int64_t>& index) {
  SharedPromptRows rows;
  std::map<int64_t, int64_t> renumbered;
  for (int64_t i : index) {
    const int64_t p = batch.host.row_prompt[i];
    const auto [it, added] = renumbered.emplace(p, static_cast<int64_t>(rows.prompts.size()));
    if (added) rows.prompts.push_back(batch.host.prompts[p]);
    rows.row_prompt.push_back(it->second);
    rows.completions.push_back(batch.host.completions[i]);
    rows.trained.push_back(batch.host.trained[i]);
  }
  return make_shared_prompt_batch(std::move(rows), batch.pad_id, batch.prompts.device());
}

TokenBatch unshared_token_batch(const SharedPromptBatch& batch) {
  std::vector<std::vector<int64_t>> sequences;
  std::vector<size_t> prompt_lengths;
  for (int64_t r = 0; r < batch.rows(); ++r) {
    auto seq = batch.host.prompts[batch.host.row_prompt[r]];
    const auto& completion = batch.host.completions[r];
    seq.insert(seq.end(), completion.begin(), completion.end());
    prompt_lengths.push_back(batch.host.trained[r] != 0 ? seq.size() - completion.size() : seq.size());
    sequences.push_back(std::move(seq));
  }
  return make_token_batch(sequences, prompt_lengths, batch.pad_id, batch.prompts.device());
}

torch::Tensor to_completion_layout(const SharedPromptBatch& batch, const torch::Tensor& unshared) {
  std::vector<torch::Tensor> rows;
  const int64_t Tc = batch.completions.size(1);
  for (int64_t r = 0; r < batch.rows(); ++r) {
    // Completion token j is the target of unshared position prompt_length - 1 + j.
    const auto start = static_cast<int64_t>(batch.host.prompts[batch.host.row_prompt[r]].size()) - 1;
    const auto n = static_cast<int64_t>(batch.host.completions[r].size());
    rows.push_back(torch::constant_pad_nd(unshared[r].narrow(0, start, n), {0, Tc - n}));
  }
  return torch::stack(rows);
}

}  // namespace rlvr::trainer
