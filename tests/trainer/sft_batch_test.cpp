#include <gtest/gtest.h>

#include "core/error.h"
#include "trainer/sft_batch.h"

namespace rlvr::trainer {
namespace {

config::ModelConfig small_model() {
  config::ModelConfig c;
  c.set_d_model(16);
  c.set_n_layers(1);
  c.set_n_heads(2);
  c.set_max_seq_len(12);
  return c;
}

TEST(SftBatch, MasksPromptAndPaddingAndShiftsTargets) {
  models::Policy policy(small_model(), 0);
  Task a{"a", "1+2=", "3", "3", "exact_number", {}};
  Task b{"b", "10+20=", "30", "30", "exact_number", {}};
  const TokenBatch batch = make_sft_batch(policy, {a, b});
  const auto& tok = policy.tokenizer();
  // b: [bos] 1 0 + 2 0 = 3 0 [eos] -> 10 tokens, 9 inputs.
  ASSERT_EQ(batch.inputs.sizes(), (std::vector<int64_t>{2, 9}));
  EXPECT_EQ(batch.tokens, 6 + 9);
  const auto mask_b = batch.loss_mask[1];
  // Targets of positions 6, 7, 8 are "3", "0", eos: the only trained ones.
  for (int t = 0; t < 9; ++t) EXPECT_EQ(mask_b[t].item<float>(), t >= 6 ? 1.0f : 0.0f) << t;
  EXPECT_EQ(batch.targets[1][8].item<int64_t>(), tok.eos_id());
  EXPECT_EQ(batch.inputs[1][0].item<int64_t>(), tok.bos_id());
  // a is shorter: padded positions are invalid and untrained.
  EXPECT_FALSE(batch.valid[0][7].item<bool>());
  EXPECT_EQ(batch.loss_mask[0].sum().item<float>(), 2.0f);  // "3", eos
}

TEST(SftBatch, RejectsTooLongOrUnsolvedTasks) {
  models::Policy policy(small_model(), 0);
  EXPECT_THROW(make_sft_batch(policy, {Task{"long", "123456789+1=", "x", "123456790", "", {}}}),
               Error);
  EXPECT_THROW(make_sft_batch(policy, {Task{"nosol", "1+1=", "2", "", "", {}}}), Error);
}

TEST(SftBatch, LossIsMeanCrossEntropyOverMaskedTargets) {
  models::Policy policy(small_model(), 0);
  const TokenBatch batch = make_sft_batch(policy, {Task{"a", "1+2=", "3", "3", "", {}}});
  const int64_t vocab = policy.tokenizer().vocab_size();
  // Zero (tied) embeddings give uniform logits: every target costs log(vocab).
  {
    torch::NoGradGuard no_grad;
    for (auto& p : policy.model()->named_parameters()) {
      if (p.key() == "embed_tokens.weight") p.value().zero_();
    }
  }
  const double tokens = batch.loss_mask.sum().item<double>();
  EXPECT_NEAR(sft_loss(policy, batch, tokens).item<float>(), std::log(static_cast<float>(vocab)), 1e-5);
  // Divided by a larger batch's token count (a micro-batch), the loss scales down.
  EXPECT_NEAR(sft_loss(policy, batch, 2 * tokens).item<float>(), std::log(static_cast<float>(vocab)) / 2, 1e-5);
}

}  // namespace
}  // namespace rlvr::trainer
