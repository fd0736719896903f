#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/error.h"
#include "models/generation.h"
#include "models/policy.h"

namespace rlvr::models {
namespace {

config::ModelConfig tiny_config() {
  config::ModelConfig c;
  c.set_d_model(32);
  c.set_n_layers(2);
  c.set_n_heads(4);
  c.set_n_kv_heads(2);
  c.set_max_seq_len(40);
  c.set_init_std(0.2);
  return c;
}

TEST(Sampling, TemperatureZeroIsArgmax) {
  torch::manual_seed(0);
  const auto logits = torch::randn({8, 50});
  auto gen = at::globalContext().defaultGenerator(torch::kCPU).clone();
  SamplingParams p;
  p.temperature = 0;
  EXPECT_TRUE(torch::equal(sample_next(logits, p, gen), logits.argmax(-1)));
}

TEST(Sampling, TopKOneIsArgmaxAtAnyTemperature) {
  torch::manual_seed(0);
  const auto logits = torch::randn({8, 50});
  auto gen = at::globalContext().defaultGenerator(torch::kCPU).clone();
  SamplingParams p;
  p.temperature = 5;
  p.top_k = 1;
  EXPECT_TRUE(torch::equal(sample_next(logits, p, gen), logits.argmax(-1)));
}

TEST(Sampling, TopPKeepsOnlyTheNucleus) {
  // Probabilities 0.6, 0.3, 0.1: top_p 0.5 keeps only the first token.
  const auto logits = torch::tensor({std::log(0.6), std::log(0.3), std::log(0.1)}).unsqueeze(0)
                          .expand({1000, 3}).contiguous().to(torch::kFloat);
  auto gen = at::globalContext().defaultGenerator(torch::kCPU).clone();
  gen.set_current_seed(3);
  SamplingParams p;
  p.top_p = 0.5;
  EXPECT_EQ(sample_next(logits, p, gen).eq(0).all().item<bool>(), true);
  p.top_p = 0.8;  // keeps the first two, never the third
  const auto picks = sample_next(logits, p, gen);
  EXPECT_EQ(picks.eq(2).sum().item<int64_t>(), 0);
  EXPECT_GT(picks.eq(1).sum().item<int64_t>(), 200);
}

TEST(Sampling, FrequenciesFollowTheProbabilitiesAndZeroMassIsNeverPicked) {
  constexpr float kNegInf = -std::numeric_limits<float>::infinity();
  const std::vector<double> probs = {0.5, 0.0, 0.3, 0.2, 0.0};
  std::vector<float> logits_row;
  for (double q : probs) logits_row.push_back(q > 0 ? static_cast<float>(std::log(q)) : kNegInf);
  const int64_t rows = 20000;
  const auto logits = torch::tensor(logits_row).unsqueeze(0).expand({rows, 5}).contiguous();
  auto gen = at::globalContext().defaultGenerator(torch::kCPU).clone();
  gen.set_current_seed(11);
  const auto picks = sample_next(logits, SamplingParams{}, gen);
  for (size_t t = 0; t < probs.size(); ++t) {
    const double share = picks.eq(static_cast<int64_t>(t)).sum().item<int64_t>() / static_cast<double>(rows);
    if (probs[t] == 0) {
      EXPECT_EQ(share, 0.0) << "token " << t;
    } else {
      EXPECT_NEAR(share, probs[t], 0.015) << "token " << t;  // > 4 standard errors at 20000 draws
    }
  }
}

TEST(Generation, GreedyMatchesStepwiseArgmaxOfFullForward) {
  Policy policy(tiny_config(), 7);
  SamplingParams p;
  p.temperature = 0;
  p.max_new_tokens = 10;
  const auto prompt = policy.encode_prompt("12+34=");
  const auto g = generate(policy.model(), {prompt}, p, /*eos_id=*/-1, policy.tokenizer().pad_id());
  ASSERT_EQ(g.tokens[0].size(), 10u);
  // Rebuild the sequence token by token with full forward passes (no cache).
  torch::NoGradGuard no_grad;
  std::vector<int64_t> seq = prompt;
  for (size_t i = 0; i < g.tokens[0].size(); ++i) {
    const auto tokens = torch::tensor(seq).unsqueeze(0);
    const auto logits = policy.model()->forward(tokens, torch::ones_like(tokens, torch::kBool));
    const auto last = logits.select(1, -1).squeeze(0);
    EXPECT_EQ(last.argmax().item<int64_t>(), g.tokens[0][i]) << "step " << i;
    EXPECT_NEAR(last.log_softmax(-1)[g.tokens[0][i]].item<float>(), g.logprobs[0][i], 1e-4);
    seq.push_back(g.tokens[0][i]);
  }
}

TEST(Generation, BatchedEqualsOneByOneWithMixedPromptLengths) {
  Policy policy(tiny_config(), 3);
  SamplingParams p;
  p.temperature = 0;
  p.max_new_tokens = 8;
  const std::vector<std::string> prompts{"1+1=", "123+456=", "7="};
  const auto batched = policy.generate(prompts, p);
  for (size_t i = 0; i < prompts.size(); ++i) {
    EXPECT_EQ(policy.generate({prompts[i]}, p)[0].tokens, batched[i].tokens) << prompts[i];
  }
}

TEST(Generation, SamplingIsReproducibleFromTheSeed) {
  Policy policy(tiny_config(), 3);
  SamplingParams p;
  p.temperature = 1;
  p.max_new_tokens = 12;
  p.seed = 42;
  const std::vector<std::string> prompts(6, "5+5=");
  const auto a = policy.generate(prompts, p);
  const auto b = policy.generate(prompts, p);
  p.seed = 43;
  const auto c = policy.generate(prompts, p);
  bool differs = false;
  for (size_t i = 0; i < prompts.size(); ++i) {
    EXPECT_EQ(a[i].tokens, b[i].tokens);
    differs |= a[i].tokens != c[i].tokens;
  }
  EXPECT_TRUE(differs);
}

TEST(Generation, StopsAtEndTokenAndRespectsLengthCap) {
  Policy policy(tiny_config(), 3);
  SamplingParams p;
  p.temperature = 1;
  p.max_new_tokens = 30;
  // max_seq_len 40 and a 21-token prompt ([bos] + 20) leave room for 19 tokens.
  const auto out = policy.generate(std::vector<std::string>(16, std::string(20, '9')), p);
  for (const auto& c : out) {
    ASSERT_FALSE(c.tokens.empty());
    EXPECT_LE(c.tokens.size(), 19u);
    const bool ends_with_eos = c.tokens.back() == policy.tokenizer().eos_id();
    EXPECT_EQ(ends_with_eos, c.finished);
    for (size_t i = 0; i + 1 < c.tokens.size(); ++i) {
      EXPECT_NE(c.tokens[i], policy.tokenizer().eos_id());  // nothing after the end token
    }
  }
}

// Prompts as rollouts lay them out: each repeated for its samples, of mixed lengths.
std::vector<std::vector<int64_t>> grouped_prompts(const Policy& policy, int64_t samples) {
  std::vector<std::vector<int64_t>> prompts;
  for (const char* p : {"1+1=", "123+456=", "7=", "98-9="}) {
    prompts.insert(prompts.end(), samples, policy.encode_prompt(p));
  }
  return prompts;
}

// The token a policy samples most often from `prompts`: as the end token it
// makes rows finish at different steps.
int64_t most_sampled_token(Policy& policy, const std::vector<std::vector<int64_t>>& prompts,
                           const SamplingParams& p) {
  std::map<int64_t, int> counts;
  for (const auto& row : generate(policy.model(), prompts, p, /*eos_id=*/-1, policy.pad_id()).tokens) {
    for (int64_t t : row) ++counts[t];
  }
  return std::max_element(counts.begin(), counts.end(),
                          [](const auto& a, const auto& b) { return a.second < b.second; })->first;
}

// The fast path (shared prompts, finished rows dropped) against the reference
// path, greedy and sampled: equal tokens, the same draws, log-probs to rounding.
TEST(Generation, FastPathEqualsReferencePathTokenForToken) {
  Policy policy(tiny_config(), 5);
  const auto prompts = grouped_prompts(policy, 5);
  for (double temperature : {0.0, 1.0}) {
    SamplingParams p;
    p.temperature = temperature;
    p.max_new_tokens = 16;
    p.seed = 9;
    const int64_t eos = most_sampled_token(policy, prompts, p);
    const auto fast = generate(policy.model(), prompts, p, eos, policy.pad_id());
    const auto reference =
        generate(policy.model(), prompts, p, eos, policy.pad_id(), GenerationOptions{false, false});
    std::set<size_t> lengths;
    for (size_t i = 0; i < prompts.size(); ++i) {
      ASSERT_EQ(fast.tokens[i], reference.tokens[i]) << "row " << i << " at temperature " << temperature;
      EXPECT_EQ(fast.finished[i], reference.finished[i]);
      for (size_t t = 0; t < fast.logprobs[i].size(); ++t) {
        EXPECT_NEAR(fast.logprobs[i][t], reference.logprobs[i][t], 1e-4);
      }
      lengths.insert(fast.tokens[i].size());
    }
    // Rows ended at different steps, so rows left the decode batch.
    if (temperature > 0) {
      EXPECT_GE(lengths.size(), 3u);
    }
  }
}

TEST(Generation, NoCompletionEndsBeforeMinNewTokens) {
  Policy policy(tiny_config(), 5);
  const auto prompts = grouped_prompts(policy, 4);
  SamplingParams p;
  p.temperature = 1;
  p.max_new_tokens = 12;
  p.seed = 4;
  const int64_t eos = most_sampled_token(policy, prompts, p);
  size_t early = 0;
  for (const auto& row : generate(policy.model(), prompts, p, eos, policy.pad_id()).tokens) {
    early += row.size() < 7 ? 1 : 0;
  }
  ASSERT_GT(early, 0u) << "without a minimum some completions end early";
  p.min_new_tokens = 7;
  const auto g = generate(policy.model(), prompts, p, eos, policy.pad_id());
  for (const auto& row : g.tokens) {
    ASSERT_GE(row.size(), 7u);
    for (size_t t = 0; t < 6; ++t) EXPECT_NE(row[t], eos) << "the end token at step " << t;
  }
}

TEST(Policy, RejectsUnavailableDevices) {
  auto c = tiny_config();
  c.set_device("tpu");
  EXPECT_THROW(Policy(c, 0), Error);
  if (!torch::cuda::is_available()) {
    c.set_device("cuda:0");
    try {
      Policy policy(c, 0);
      FAIL() << "expected an error for a missing CUDA device";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("no CUDA device"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace rlvr::models

namespace rlvr::models {
namespace {

// The reduced-precision path runs end to end (on CPU here; CUDA uses the same code).
TEST(Policy, Bfloat16GeneratesAndTrains) {
  auto c = tiny_config();
  c.set_dtype(config::BFLOAT16);
  Policy policy(c, 3);
  EXPECT_EQ(policy.model()->parameters().front().scalar_type(), torch::kBFloat16);
  SamplingParams p;
  p.temperature = 1;
  p.max_new_tokens = 5;
  const auto out = policy.generate({"1+2=", "30+4="}, p);
  ASSERT_EQ(out.size(), 2u);
  for (const auto& completion : out) {
    for (float lp : completion.logprobs) EXPECT_TRUE(std::isfinite(lp) && lp <= 0);
  }
  const auto tokens = torch::tensor(policy.encode_prompt("12+3=")).unsqueeze(0);
  const auto logits = policy.model()->forward(tokens, torch::ones_like(tokens, torch::kBool));
  EXPECT_EQ(logits.scalar_type(), torch::kFloat);  // logits come back in float32
  logits.log_softmax(-1).mean().backward();
  EXPECT_TRUE(policy.model()->parameters().front().grad().defined());
}

}  // namespace
}  // namespace rlvr::models
