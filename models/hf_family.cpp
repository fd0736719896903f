#include "models/hf_family.h"

namespace rlvr::models {

const std::vector<HfFamily>& hf_families() {
  static const std::vector<HfFamily> families = {
      // model_type, architecture, bias always, reads bias, reads mlp bias, qk norm,
      // head_dim default, sliding window
      {"llama", "LlamaForCausalLM", false, true, true, false, 0, false},
      {"qwen2", "Qwen2ForCausalLM", true, false, false, false, 0, true},
      {"qwen3", "Qwen3ForCausalLM", false, true, false, true, 128, true},
  };
  return families;
}

const HfFamily* find_hf_family(std::string_view model_type) {
  for (const auto& f : hf_families()) {
    if (f.model_type == model_type) return &f;
  }
  return nullptr;
}

const HfFamily& hf_family_of(const ModelShape& shape) {
  if (shape.qk_norm) return *find_hf_family("qwen3");
  if (shape.attention_bias && !shape.mlp_bias) return *find_hf_family("qwen2");
  return *find_hf_family("llama");
}

std::string hf_tensor_name(const std::string& parameter_name) {
  static constexpr std::string_view kHead = "lm_head.";
  if (parameter_name.compare(0, kHead.size(), kHead) == 0) return parameter_name;
  return "model." + parameter_name;
}

}  // namespace rlvr::models
