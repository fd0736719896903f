// Hugging Face checkpoint files without Python: config.json parsing and its
// errors, and weights saved and loaded back bit for bit (tests/python/
// hf_parity_test.py checks the same files against transformers).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "models/hf_checkpoint.h"
#include "models/hf_config.h"
#include "models/rope.h"
#include "tests/scratch_dir.h"

namespace rlvr::models {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  return test_support::fresh_scratch_dir("rlvr_hf", name);
}

std::string write_config(const std::string& name, const std::string& json) {
  const fs::path path = fresh_dir(name) / "config.json";
  std::ofstream(path) << json;
  return path.string();
}

constexpr const char* kQwen3 = R"({"model_type": "qwen3", "vocab_size": 50, "hidden_size": 32,
  "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
  "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-6, "tie_word_embeddings": true,
  "rope_parameters": {"rope_type": "default", "rope_theta": 1000000.0},
  "bos_token_id": null, "eos_token_id": [3, 4], "dtype": "bfloat16",
  "use_sliding_window": false, "layer_types": ["full_attention", "full_attention"]})";

TEST(HfConfig, ReadsQwen3WithTransformers5Keys) {
  const HfModelConfig c = read_hf_config(write_config("qwen3", kQwen3));
  EXPECT_EQ(c.family->model_type, "qwen3");
  EXPECT_TRUE(c.shape.qk_norm);
  EXPECT_FALSE(c.shape.attention_bias);
  EXPECT_EQ(c.shape.head_dim(), 16);
  EXPECT_EQ(c.shape.rope_theta, 1e6);
  EXPECT_TRUE(c.shape.tie_embeddings);
  EXPECT_EQ(c.bos_token_id, -1);
  EXPECT_EQ(c.eos_token_ids, (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(c.dtype, "bfloat16");
}

TEST(HfConfig, ReadsLlamaWithLegacyRopeScaling) {
  const HfModelConfig c = read_hf_config(write_config("llama", R"({"model_type": "llama",
    "vocab_size": 50, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "rope_theta": 500000.0, "bos_token_id": 1, "eos_token_id": 2,
    "rope_scaling": {"type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                     "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}})"));
  EXPECT_EQ(c.shape.n_kv_heads, 4);
  EXPECT_EQ(c.shape.head_dim(), 8);
  EXPECT_EQ(c.shape.rope_scaling.type, "llama3");
  EXPECT_EQ(c.shape.rope_scaling.original_max_position_embeddings, 8192);
  EXPECT_EQ(c.shape.rope_theta, 500000.0);
  // Written back and read again, nothing is lost.
  const HfModelConfig again = read_hf_config(write_config("llama_again", hf_config_json(c)));
  EXPECT_EQ(again.shape.rope_scaling.factor, 8.0);
  EXPECT_EQ(again.shape.rope_theta, 500000.0);
  EXPECT_EQ(again.bos_token_id, 1);
  EXPECT_EQ(again.family->model_type, "llama");
}

TEST(HfConfig, Qwen2AlwaysHasAttentionBias) {
  const HfModelConfig c = read_hf_config(write_config("qwen2", R"({"model_type": "qwen2",
    "vocab_size": 50, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "num_key_value_heads": 2})"));
  EXPECT_TRUE(c.shape.attention_bias);
  EXPECT_FALSE(c.shape.qk_norm);
}

void expect_error(const std::string& name, const std::string& json, const std::string& field) {
  const std::string path = write_config(name, json);
  try {
    read_hf_config(path);
    FAIL() << "no error for " << name;
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find(field), std::string::npos) << msg;
  }
}

TEST(HfConfig, ErrorsNameTheFileAndField) {
  const std::string base = R"("vocab_size": 50, "hidden_size": 32, "intermediate_size": 64,
    "num_hidden_layers": 1, "num_attention_heads": 4)";
  expect_error("gpt2", R"({"model_type": "gpt2", )" + base + "}", "model_type");
  expect_error("sliding", R"({"model_type": "qwen2", "use_sliding_window": true, )" + base + "}",
               "use_sliding_window");
  expect_error("gelu", R"({"model_type": "llama", "hidden_act": "gelu", )" + base + "}", "hidden_act");
  expect_error("yarn", R"({"model_type": "llama", "rope_scaling": {"rope_type": "yarn"}, )" + base + "}",
               "rope_scaling.rope_type");
  expect_error("kv", R"({"model_type": "llama", "num_key_value_heads": 3, )" + base + "}",
               "num_key_value_heads");
  expect_error("missing", R"({"model_type": "llama", "hidden_size": 32})", "vocab_size");
  expect_error("not_json", "{", "not valid JSON");
}

TEST(Rope, Llama3ScalingKeepsHighAndDividesLowFrequencies) {
  ModelShape s;
  s.d_model = 128;
  s.n_heads = 1;
  s.rope_theta = 500000;
  const auto plain = rope_inv_freq(s);
  s.rope_scaling = RopeScaling{"llama3", 8, 1, 4, 8192};
  const auto scaled = rope_inv_freq(s);
  EXPECT_FLOAT_EQ(scaled[0].item<float>(), plain[0].item<float>());  // wavelength 2π: kept
  EXPECT_FLOAT_EQ(scaled[-1].item<float>(), plain[-1].item<float>() / 8);  // longest: divided
  s.rope_scaling.type = "yarn";
  EXPECT_THROW(rope_inv_freq(s), Error);
}

ModelShape small_shape(int64_t layers, int64_t kv_heads) {
  ModelShape s;
  s.vocab_size = 40;
  s.d_model = 32;
  s.n_layers = layers;
  s.n_heads = 4;
  s.n_kv_heads = kv_heads;
  s.d_ff = 48;
  return s;
}

TEST(HfCheckpoint, WeightsSurviveSaveAndLoadBitForBit) {
  ModelShape s = small_shape(2, 2);
  s.attention_bias = true;
  s.qk_norm = true;
  s.tie_embeddings = false;
  s.init_std = 0.3;
  torch::manual_seed(1);
  Transformer a(s);
  torch::manual_seed(2);
  Transformer b(s);
  const fs::path dir = fresh_dir("weights");
  save_hf_weights(*a, dir.string(), torch::kFloat, /*max_shard_bytes=*/20000);  // several shards
  EXPECT_TRUE(fs::exists(dir / "model.safetensors.index.json"));
  load_hf_weights(*b, dir.string());
  const auto pa = a->named_parameters();
  for (const auto& p : b->named_parameters()) {
    EXPECT_TRUE(torch::equal(p.value(), pa[p.key()])) << p.key();
  }
}

TEST(HfCheckpoint, MismatchedShapeOrMissingTensorIsAnError) {
  ModelShape s = small_shape(1, 4);
  Transformer small(s);
  const fs::path dir = fresh_dir("mismatch");
  save_hf_weights(*small, dir.string(), torch::kBFloat16, 1'000'000'000);
  s.d_ff = 64;
  Transformer wider(s);
  try {
    load_hf_weights(*wider, dir.string());
    FAIL() << "loaded a checkpoint of another shape";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("mlp.gate_proj.weight"), std::string::npos) << e.what();
  }
  s.d_ff = 48;
  s.attention_bias = true;
  Transformer biased(s);
  try {
    load_hf_weights(*biased, dir.string());
    FAIL() << "loaded a checkpoint without the biases the config asks for";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("q_proj.bias' is missing"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rlvr::models
