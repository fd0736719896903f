#include "models/hf_config.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"

namespace rlvr::models {
namespace {

using nlohmann::json;

// Typed access to config.json fields, failing with file and field named.
class ConfigReader {
 public:
  ConfigReader(std::string path, const json& root) : path_(std::move(path)), root_(root) {}

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw Error(path_ + ": " + field + ": " + problem);
  }

  int64_t positive_int(const json& obj, const std::string& key, const std::string& where) const {
    const auto it = obj.find(key);
    if (it == obj.end()) fail(where + key, "is required");
    if (!it->is_number_integer() || it->get<int64_t>() <= 0) {
      fail(where + key, "must be a positive integer, got " + it->dump());
    }
    return it->get<int64_t>();
  }
  int64_t positive_int(const std::string& key) const { return positive_int(root_, key, ""); }

  double number(const json& obj, const std::string& key, double fallback,
                const std::string& where) const {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return fallback;
    if (!it->is_number()) fail(where + key, "must be a number, got " + it->dump());
    return it->get<double>();
  }
  double number(const std::string& key, double fallback) const {
    return number(root_, key, fallback, "");
  }

  bool boolean(const std::string& key, bool fallback) const {
    const auto it = root_.find(key);
    if (it == root_.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) fail(key, "must be true or false, got " + it->dump());
    return it->get<bool>();
  }

  std::string string(const std::string& key) const {
    const auto it = root_.find(key);
    if (it == root_.end() || it->is_null()) return "";
    if (!it->is_string()) fail(key, "must be a string, got " + it->dump());
    return it->get<std::string>();
  }

  // A token id, or a list of them (eos in Llama 3), or null.
  std::vector<int64_t> ids(const std::string& key) const {
    const auto it = root_.find(key);
    if (it == root_.end() || it->is_null()) return {};
    const json list = it->is_array() ? *it : json::array({*it});
    std::vector<int64_t> out;
    for (const auto& v : list) {
      if (!v.is_number_integer() || v.get<int64_t>() < 0) {
        fail(key, "must be a token id or a list of them, got " + it->dump());
      }
      out.push_back(v.get<int64_t>());
    }
    return out;
  }

  const json& root() const { return root_; }

 private:
  std::string path_;
  const json& root_;
};

// rope_parameters (transformers 5) or rope_theta + rope_scaling (4).
void read_rope(const ConfigReader& r, ModelShape* shape) {
  const json& root = r.root();
  const bool v5 = root.contains("rope_parameters") && root["rope_parameters"].is_object();
  const std::string where = v5 ? "rope_parameters." : "rope_scaling.";
  const json empty = json::object();
  const json& params = v5 ? root["rope_parameters"]
                          : (root.contains("rope_scaling") && root["rope_scaling"].is_object()
                                 ? root["rope_scaling"]
                                 : empty);
  shape->rope_theta = v5 ? r.number(params, "rope_theta", 10000, where) : r.number("rope_theta", 10000);
  if (shape->rope_theta <= 0) r.fail(v5 ? where + "rope_theta" : "rope_theta", "must be positive");
  std::string type;
  for (const char* key : {"rope_type", "type"}) {
    if (params.contains(key) && params[key].is_string()) type = params[key].get<std::string>();
  }
  if (type.empty() || type == "default") return;
  RopeScaling& s = shape->rope_scaling;
  if (type != "linear" && type != "llama3") {
    r.fail(where + "rope_type", "'" + type + "' is not supported (supported: default, linear, llama3)");
  }
  s.type = type;
  s.factor = r.number(params, "factor", 1, where);
  if (s.factor <= 0) r.fail(where + "factor", "must be positive");
  if (type == "llama3") {
    s.low_freq_factor = r.number(params, "low_freq_factor", 1, where);
    s.high_freq_factor = r.number(params, "high_freq_factor", 4, where);
    s.original_max_position_embeddings =
        r.positive_int(params, "original_max_position_embeddings", where);
    if (s.high_freq_factor <= s.low_freq_factor) {
      r.fail(where + "high_freq_factor", "must exceed low_freq_factor");
    }
  }
}

void require_full_attention(const ConfigReader& r) {
  if (r.boolean("use_sliding_window", false)) {
    r.fail("use_sliding_window", "sliding-window attention is not supported");
  }
  const json& root = r.root();
  if (!root.contains("layer_types") || !root["layer_types"].is_array()) return;
  for (size_t i = 0; i < root["layer_types"].size(); ++i) {
    const json& t = root["layer_types"][i];
    if (t != "full_attention") {
      r.fail("layer_types[" + std::to_string(i) + "]",
             "only full_attention layers are supported, got " + t.dump());
    }
  }
}

}  // namespace

HfModelConfig read_hf_config(const std::string& path) {
  json root;
  try {
    root = json::parse(read_file(path));
  } catch (const json::exception& e) {
    throw Error(path + ": not valid JSON: " + e.what());
  }
  if (!root.is_object()) throw Error(path + ": expected a JSON object");
  const ConfigReader r(path, root);

  HfModelConfig out;
  const std::string model_type = r.string("model_type");
  out.family = find_hf_family(model_type);
  if (out.family == nullptr) {
    std::string known;
    for (const auto& f : hf_families()) known += (known.empty() ? "" : ", ") + std::string(f.model_type);
    r.fail("model_type", "'" + model_type + "' is not supported (supported: " + known + ")");
  }
  const std::string act = r.string("hidden_act");
  if (!act.empty() && act != "silu") r.fail("hidden_act", "'" + act + "' is not supported (silu only)");
  if (out.family->has_sliding_window) require_full_attention(r);

  ModelShape& s = out.shape;
  s.vocab_size = r.positive_int("vocab_size");
  s.d_model = r.positive_int("hidden_size");
  s.n_layers = r.positive_int("num_hidden_layers");
  s.n_heads = r.positive_int("num_attention_heads");
  s.n_kv_heads = root.contains("num_key_value_heads") && !root["num_key_value_heads"].is_null()
                     ? r.positive_int("num_key_value_heads")
                     : s.n_heads;
  if (s.n_heads % s.n_kv_heads != 0) {
    r.fail("num_key_value_heads", "must divide num_attention_heads (" + std::to_string(s.n_heads) + ")");
  }
  s.d_ff = r.positive_int("intermediate_size");
  if (root.contains("max_position_embeddings")) {
    out.max_position_embeddings = r.positive_int("max_position_embeddings");
  }
  s.max_seq_len = out.max_position_embeddings;
  s.norm_eps = r.number("rms_norm_eps", 1e-6);
  s.init_std = r.number("initializer_range", 0.02);
  s.tie_embeddings = r.boolean("tie_word_embeddings", false);
  s.explicit_head_dim = root.contains("head_dim") && !root["head_dim"].is_null()
                            ? r.positive_int("head_dim")
                            : out.family->head_dim_default;
  if (s.explicit_head_dim == 0 && s.d_model % s.n_heads != 0) {
    r.fail("num_attention_heads", "must divide hidden_size when head_dim is not given");
  }
  if (s.head_dim() % 2 != 0) r.fail("head_dim", "must be even for rotary embeddings");
  s.attention_bias = out.family->attention_bias_always ||
                     (out.family->reads_attention_bias && r.boolean("attention_bias", false));
  s.mlp_bias = out.family->reads_mlp_bias && r.boolean("mlp_bias", false);
  s.qk_norm = out.family->qk_norm;
  read_rope(r, &s);

  const auto bos = r.ids("bos_token_id");
  out.bos_token_id = bos.empty() ? -1 : bos.front();
  out.eos_token_ids = r.ids("eos_token_id");
  out.dtype = !r.string("dtype").empty() ? r.string("dtype") : r.string("torch_dtype");
  return out;
}

std::string hf_config_json(const HfModelConfig& config) {
  const ModelShape& s = config.shape;
  const HfFamily& f = *config.family;
  json j;
  j["architectures"] = {std::string(f.architecture)};
  j["model_type"] = std::string(f.model_type);
  j["vocab_size"] = s.vocab_size;
  j["hidden_size"] = s.d_model;
  j["intermediate_size"] = s.d_ff;
  j["num_hidden_layers"] = s.n_layers;
  j["num_attention_heads"] = s.n_heads;
  j["num_key_value_heads"] = s.n_kv_heads;
  j["head_dim"] = s.head_dim();
  j["hidden_act"] = "silu";
  j["max_position_embeddings"] = config.max_position_embeddings;
  j["rms_norm_eps"] = s.norm_eps;
  j["initializer_range"] = s.init_std;
  j["tie_word_embeddings"] = s.tie_embeddings;
  if (f.reads_attention_bias) j["attention_bias"] = s.attention_bias;
  if (f.reads_mlp_bias) j["mlp_bias"] = s.mlp_bias;
  if (f.has_sliding_window) j["use_sliding_window"] = false;
  // Legacy keys, which transformers 4 reads and 5 converts.
  j["rope_theta"] = s.rope_theta;
  if (!s.rope_scaling.type.empty()) {
    const RopeScaling& r = s.rope_scaling;
    json scaling = {{"rope_type", r.type}, {"factor", r.factor}};
    if (r.type == "llama3") {
      scaling["low_freq_factor"] = r.low_freq_factor;
      scaling["high_freq_factor"] = r.high_freq_factor;
      scaling["original_max_position_embeddings"] = r.original_max_position_embeddings;
    }
    j["rope_scaling"] = scaling;
  }
  j["bos_token_id"] = config.bos_token_id >= 0 ? json(config.bos_token_id) : json(nullptr);
  if (config.eos_token_ids.empty()) {
    j["eos_token_id"] = nullptr;
  } else if (config.eos_token_ids.size() == 1) {
    j["eos_token_id"] = config.eos_token_ids.front();
  } else {
    j["eos_token_id"] = config.eos_token_ids;
  }
  j["torch_dtype"] = config.dtype.empty() ? "float32" : config.dtype;
  return j.dump(2) + "\n";
}

}  // namespace rlvr::models
