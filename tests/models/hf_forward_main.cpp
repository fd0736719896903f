// Runs a Hugging Face checkpoint through rlvr's Policy for
// tests/python/hf_parity_test.py. Usage: hf_forward REQUEST.json; the request
// names the checkpoint and what to compute:
//   {"hf_path": DIR, "device": "cpu", "dtype": "float32", "chat_template": "auto",
//    "model": "d_model: 32 qk_norm: true",  // instead of hf_path: a fresh model (text proto)
//    "export": DIR,                     // export_hf_checkpoint there before computing
//    "logits": [[ids...], ...],       // equal-length rows: logits of each position
//    "greedy": [[ids...], ...], "new_tokens": 32,  // greedy continuations (no early stop)
//    "prompts": ["text", ...]}        // encode_prompt of each (template applied)
// Prints one JSON object with "logits", "greedy", "prompt_ids", "end_id", "pad_id".
#include <google/protobuf/text_format.h>

#include <nlohmann/json.hpp>

#include <iostream>

#include "core/files.h"
#include "core/logging.h"
#include "models/hf_export.h"
#include "models/policy.h"

namespace {

using nlohmann::json;
using rlvr::models::Policy;

rlvr::config::DType dtype_of(const std::string& name) {
  if (name == "bfloat16") return rlvr::config::BFLOAT16;
  if (name == "float16") return rlvr::config::FLOAT16;
  return rlvr::config::FLOAT32;
}

json logits_of(Policy& policy, const json& rows) {
  std::vector<int64_t> flat;
  for (const auto& row : rows) {
    for (const auto& id : row) flat.push_back(id.get<int64_t>());
  }
  const int64_t B = static_cast<int64_t>(rows.size());
  const auto tokens = torch::tensor(flat).view({B, -1}).to(policy.device());
  torch::NoGradGuard no_grad;
  const auto logits =
      policy.model()->forward(tokens, torch::ones_like(tokens, torch::kBool)).to(torch::kCPU);
  json out = json::array();
  for (int64_t b = 0; b < B; ++b) {
    json positions = json::array();
    for (int64_t t = 0; t < logits.size(1); ++t) {
      const auto row = logits[b][t].contiguous();
      positions.push_back(std::vector<float>(row.data_ptr<float>(), row.data_ptr<float>() + row.numel()));
    }
    out.push_back(positions);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: hf_forward REQUEST.json\n";
    return 2;
  }
  rlvr::setup_logging("warn");  // logs to stderr; stdout is the JSON answer
  try {
    const json req = json::parse(rlvr::read_file(argv[1]));
    rlvr::config::ModelConfig config;
    config.set_max_seq_len(256);
    if (req.contains("model") &&
        !google::protobuf::TextFormat::MergeFromString(req["model"].get<std::string>(), &config)) {
      throw std::runtime_error("cannot parse \"model\" as a ModelConfig");
    }
    if (req.contains("hf_path")) config.set_hf_path(req["hf_path"].get<std::string>());
    if (req.contains("device")) config.set_device(req["device"].get<std::string>());
    if (req.contains("dtype")) config.set_dtype(dtype_of(req["dtype"].get<std::string>()));
    if (req.contains("chat_template")) config.set_chat_template(req["chat_template"].get<std::string>());
    torch::set_num_threads(1);
    Policy policy(config, /*seed=*/0);
    if (req.contains("export")) rlvr::models::export_hf_checkpoint(policy, req["export"].get<std::string>());
    json out = {{"end_id", policy.end_id()}, {"pad_id", policy.pad_id()}};
    if (req.contains("logits")) out["logits"] = logits_of(policy, req["logits"]);
    if (req.contains("greedy")) {
      rlvr::models::SamplingParams params;
      params.temperature = 0;
      params.max_new_tokens = req.value("new_tokens", 32);
      const auto g = rlvr::models::generate(policy.model(), req["greedy"].get<std::vector<std::vector<int64_t>>>(),
                                            params, /*eos_id=*/-1, policy.pad_id());
      out["greedy"] = g.tokens;
    }
    if (req.contains("prompts")) {
      json ids = json::array();
      for (const auto& p : req["prompts"]) ids.push_back(policy.encode_prompt(p.get<std::string>()));
      out["prompt_ids"] = ids;
    }
    std::cout << out.dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "hf_forward: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
