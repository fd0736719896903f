#include "models/hf_export.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "models/bpe_tokenizer.h"
#include "models/hf_checkpoint.h"

namespace rlvr::models {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The dtype names of config.json's torch_dtype, which --dtype also takes.
std::string dtype_name(torch::ScalarType type) {
  switch (type) {
    case torch::kBFloat16: return "bfloat16";
    case torch::kHalf: return "float16";
    default: return "float32";
  }
}

torch::ScalarType dtype_by_name(const std::string& name) {
  if (name == "float32") return torch::kFloat;
  if (name == "bfloat16") return torch::kBFloat16;
  if (name == "float16") return torch::kHalf;
  throw Error("export dtype '" + name + "' is not supported (float32, bfloat16, float16)");
}

json token_or_null(const Tokenizer& tok, int64_t id) {
  const auto* bpe = dynamic_cast<const BpeTokenizer*>(&tok);
  if (id < 0 || bpe == nullptr) return nullptr;
  return bpe->decode({id}, /*keep_special=*/true);
}

// config.json: the source checkpoint's settings, or the shape of a fresh model.
HfModelConfig export_config(const Policy& policy, const std::string& dtype) {
  HfModelConfig out;
  if (policy.hf_config()) {
    out = *policy.hf_config();
  } else {
    out.shape = policy.shape();
    out.family = &hf_family_of(out.shape);
    out.max_position_embeddings = out.shape.max_seq_len;
    out.bos_token_id = policy.tokenizer().bos_id();
    out.eos_token_ids = {policy.end_id()};
  }
  out.dtype = dtype;
  return out;
}

void write_tokenizer_files(const Policy& policy, const fs::path& dir) {
  if (!policy.hf_path().empty()) {
    for (const char* name : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                             "chat_template.jinja", "generation_config.json"}) {
      const fs::path from = fs::path(policy.hf_path()) / name;
      if (fs::exists(from)) fs::copy_file(from, dir / name, fs::copy_options::overwrite_existing);
    }
    return;
  }
  json generation = {{"bos_token_id", policy.tokenizer().bos_id() >= 0 ? json(policy.tokenizer().bos_id())
                                                                       : json(nullptr)},
                     {"eos_token_id", policy.end_id()}};
  atomic_write((dir / "generation_config.json").string(), generation.dump(2) + "\n");
  if (policy.tokenizer_json().empty()) {
    spdlog::warn("export: the char tokenizer has no Hugging Face equivalent; {} holds the model "
                 "only (tokenize with rlvr)", dir.string());
    return;
  }
  fs::copy_file(policy.tokenizer_json(), dir / "tokenizer.json", fs::copy_options::overwrite_existing);
  const Tokenizer& tok = policy.tokenizer();
  json config = {{"tokenizer_class", "PreTrainedTokenizerFast"},
                 {"bos_token", token_or_null(tok, tok.bos_id())},
                 {"eos_token", token_or_null(tok, policy.end_id())},
                 {"pad_token", token_or_null(tok, policy.pad_id())}};
  const std::string jinja = policy.chat_template().jinja();
  if (!jinja.empty()) config["chat_template"] = jinja;
  atomic_write((dir / "tokenizer_config.json").string(), config.dump(2) + "\n");
}

}  // namespace

void export_hf_checkpoint(Policy& policy, const std::string& dir, const std::string& dtype,
                          size_t max_shard_bytes) {
  const torch::ScalarType type =
      dtype.empty() ? policy.model()->parameters().front().scalar_type() : dtype_by_name(dtype);
  save_hf_weights(*policy.model(), dir, type, max_shard_bytes);  // creates dir
  atomic_write((fs::path(dir) / "config.json").string(),
               hf_config_json(export_config(policy, dtype_name(type))));
  write_tokenizer_files(policy, dir);
  spdlog::info("exported {} parameters to {} ({})", policy.shape().parameter_count(), dir,
               dtype_name(type));
}

}  // namespace rlvr::models
