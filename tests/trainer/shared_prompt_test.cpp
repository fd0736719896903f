// Shared-prompt scoring (each prompt's forward once, its samples' completions
// attending to its cached keys and values) against the unshared reference:
// the same log-probs and the same gradients, to float32 rounding.
#include <gtest/gtest.h>

#include "tiny_config.h"
#include "trainer/scoring.h"
#include "trainer/shared_prompt_batch.h"

namespace rlvr::trainer {
namespace {

models::Policy toy_policy() { return models::Policy(tiny_experiment("unused").config.model(), 17); }

// Three prompts of different lengths with 3, 1 and 2 samples of different
// lengths; the second sample of the first prompt trains on nothing.
SharedPromptBatch toy_batch(const models::Policy& policy) {
  SharedPromptRows rows;
  for (const char* p : {"3+4=", "12+345=", "9="}) rows.prompts.push_back(policy.encode_prompt(p));
  const std::vector<std::pair<int64_t, std::string>> samples = {
      {0, "7"}, {0, "8 or 9"}, {0, "70"}, {1, "357"}, {2, "9"}, {2, "nine!"}};
  for (const auto& [prompt, text] : samples) {
    rows.row_prompt.push_back(prompt);
    auto ids = policy.tokenizer().encode(text);
    ids.push_back(policy.end_id());
    rows.completions.push_back(ids);
    rows.trained.push_back(rows.trained.size() == 1 ? 0 : 1);
  }
  return make_shared_prompt_batch(rows, policy.pad_id(), policy.device());
}

double max_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

TEST(SharedPrompt, LogProbsEqualTheUnsharedPass) {
  models::Policy policy = toy_policy();
  const SharedPromptBatch batch = toy_batch(policy);
  torch::NoGradGuard no_grad;
  const auto shared = score_responses(policy, batch).logp;
  const auto unshared = to_completion_layout(batch, score_responses(policy, unshared_token_batch(batch)).logp);
  ASSERT_EQ(shared.sizes(), batch.loss_mask.sizes());
  EXPECT_LT(max_difference(shared, unshared), 1e-5);
  EXPECT_EQ(shared[1].abs().sum().item<float>(), 0.0f) << "an untrained row scores nothing";
  EXPECT_LT(shared.sum().item<double>(), 0.0);
  // Micro-batches that split a prompt's samples give the same log-probs.
  EXPECT_LT(max_difference(response_log_probs(policy, batch, 2), shared), 1e-5);
}

TEST(SharedPrompt, GradientsEqualTheUnsharedPass) {
  const auto gradients = [](bool shared) {
    models::Policy policy = toy_policy();
    const SharedPromptBatch batch = toy_batch(policy);
    // A weighted sum, so every token's gradient counts with its own sign and size.
    torch::manual_seed(3);
    const auto weights = torch::randn(batch.loss_mask.sizes());
    const auto logp = shared ? score_responses(policy, batch).logp
                             : to_completion_layout(batch, score_responses(policy, unshared_token_batch(batch)).logp);
    (logp * weights).sum().backward();
    std::vector<torch::Tensor> grads;
    for (const auto& p : policy.model()->parameters()) grads.push_back(p.grad().clone());
    return grads;
  };
  const auto shared = gradients(true);
  const auto unshared = gradients(false);
  ASSERT_EQ(shared.size(), unshared.size());
  double largest = 0;
  for (size_t i = 0; i < shared.size(); ++i) {
    EXPECT_LT(max_difference(shared[i], unshared[i]), 1e-5) << "parameter " << i;
    largest = std::max(largest, unshared[i].abs().max().item<double>());
  }
  EXPECT_GT(largest, 1e-3) << "the gradients compared are not all zero";
}

TEST(SharedPrompt, SelectedRowsKeepOnlyTheirPrompts) {
  models::Policy policy = toy_policy();
  const SharedPromptBatch batch = toy_batch(policy);
  const SharedPromptBatch part = select_rows(batch, {4, 2});
  ASSERT_EQ(part.rows(), 2);
  EXPECT_EQ(part.prompts.size(0), 2);
  EXPECT_EQ(part.host.prompts[0], batch.host.prompts[2]);
  EXPECT_EQ(part.host.completions[1], batch.host.completions[2]);
  EXPECT_EQ(part.completions.size(1), 3) << "trimmed to the longest completion of the part";
  EXPECT_EQ(part.lengths[0], batch.lengths[4]);
}

}  // namespace
}  // namespace rlvr::trainer
