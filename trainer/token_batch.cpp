#include "trainer/token_batch.h"

#include <numeric>

namespace rlvr::trainer {

TokenBatch make_token_batch(const std::vector<std::vector<int64_t>>& sequences,
                            const std::vector<size_t>& prompt_lengths, int64_t pad_id,
                            torch::Device device) {
  size_t longest = 2;
  for (const auto& s : sequences) longest = std::max(longest, s.size());
  const int64_t B = static_cast<int64_t>(sequences.size());
  const int64_t T = static_cast<int64_t>(longest) - 1;
  auto inputs = torch::full({B, T}, pad_id, torch::kLong);
  auto targets = torch::full({B, T}, pad_id, torch::kLong);
  auto valid = torch::zeros({B, T}, torch::kBool);
  auto mask = torch::zeros({B, T}, torch::kFloat);
  auto in_a = inputs.accessor<int64_t, 2>();
  auto tg_a = targets.accessor<int64_t, 2>();
  auto va_a = valid.accessor<bool, 2>();
  auto ma_a = mask.accessor<float, 2>();
  TokenBatch batch;
  for (int64_t b = 0; b < B; ++b) {
    const auto& seq = sequences[b];
    for (size_t t = 0; t + 1 < seq.size(); ++t) {
      in_a[b][t] = seq[t];
      tg_a[b][t] = seq[t + 1];
      va_a[b][t] = true;
      // Position t predicts token t+1; train only where that token is response.
      ma_a[b][t] = t + 1 >= prompt_lengths[b] ? 1.0f : 0.0f;
    }
    const int64_t n = std::max<int64_t>(0, static_cast<int64_t>(seq.size()) - 1);
    batch.lengths.push_back(n);
    batch.tokens += n;
  }
  batch.inputs = inputs.to(device);
  batch.targets = targets.to(device);
  batch.valid = valid.to(device);
  batch.loss_mask = mask.to(device);
  return batch;
}

std::vector<int64_t> row_indices(int64_t rows) {
  std::vector<int64_t> index(rows);
  std::iota(index.begin(), index.end(), 0);
  return index;
}

TokenBatch select_rows(const TokenBatch& batch, const std::vector<int64_t>& index) {
  TokenBatch out;
  int64_t longest = 1;
  for (int64_t i : index) {
    out.lengths.push_back(batch.lengths[i]);
    out.tokens += batch.lengths[i];
    longest = std::max(longest, batch.lengths[i]);
  }
  const auto rows = torch::tensor(index, torch::kLong).to(batch.inputs.device());
  const auto take = [&](const torch::Tensor& t) { return t.index_select(0, rows).narrow(1, 0, longest); };
  out.inputs = take(batch.inputs);
  out.targets = take(batch.targets);
  out.valid = take(batch.valid);
  out.loss_mask = take(batch.loss_mask);
  return out;
}

double batch_forward_flops(const models::ModelShape& shape, const std::vector<int64_t>& lengths) {
  double flops = 0;
  for (int64_t n : lengths) flops += shape.forward_flops(0, n);
  return flops;
}

double batch_training_flops(const models::ModelShape& shape, const std::vector<int64_t>& lengths) {
  double flops = 0;
  for (int64_t n : lengths) flops += shape.training_flops(n);
  return flops;
}

}  // namespace rlvr::trainer
