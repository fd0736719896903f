#include "models/hf_tokenizer.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"

namespace rlvr::models {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// tokenizer_config.json writes a token as a string, {"content": ...} or null
// (none: ""); an absent key leaves the role to BpeTokenizer's name rules.
std::optional<std::string> token_content(const json& config, const std::string& key,
                                         const std::string& path) {
  const auto it = config.find(key);
  if (it == config.end()) return std::nullopt;
  if (it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("content") && (*it)["content"].is_string()) {
    return (*it)["content"].get<std::string>();
  }
  throw Error(path + ": " + key + ": expected a string, {\"content\": ...} or null, got " +
              it->dump());
}

// The Jinja source: tokenizer_config.json's chat_template (a string, or a list
// of {name, template} of which "default" is used), else chat_template.jinja.
std::string chat_template_source(const json& config, const fs::path& dir, const std::string& path) {
  const auto it = config.find("chat_template");
  if (it != config.end() && it->is_string()) return it->get<std::string>();
  if (it != config.end() && it->is_array()) {
    for (const auto& entry : *it) {
      if (entry.is_object() && entry.value("name", "") == "default" && entry.contains("template") &&
          entry["template"].is_string()) {
        return entry["template"].get<std::string>();
      }
    }
    throw Error(path + ": chat_template: a list of templates without a \"default\" one");
  }
  const fs::path jinja = dir / "chat_template.jinja";
  return fs::exists(jinja) ? read_file(jinja.string()) : "";
}

ChatTemplate choose_template(const std::string& chat_setting, const std::string& jinja) {
  if (chat_setting == "auto") return ChatTemplate::detect(jinja);
  const ChatFormat format = ChatTemplate::parse_format(chat_setting);
  const ChatTemplate detected = ChatTemplate::detect(jinja);
  // Keep the checkpoint's default system message when it is the same layout.
  return ChatTemplate(format, detected.format() == format ? detected.default_system() : "");
}

}  // namespace

HfTokenizer load_hf_tokenizer(const std::string& dir, const std::string& chat_setting) {
  const fs::path root(dir);
  const std::string tokenizer_json = (root / "tokenizer.json").string();
  if (!fs::exists(tokenizer_json)) {
    throw Error(dir + ": no tokenizer.json (only fast byte-level BPE tokenizers are supported; "
                      "re-save the tokenizer with transformers' PreTrainedTokenizerFast)");
  }
  const std::string config_path = (root / "tokenizer_config.json").string();
  json config = json::object();
  if (fs::exists(config_path)) {
    try {
      config = json::parse(read_file(config_path));
    } catch (const json::exception& e) {
      throw Error(config_path + ": not valid JSON: " + e.what());
    }
    if (!config.is_object()) throw Error(config_path + ": expected a JSON object");
  }
  HfTokenizer out;
  out.chat_template = choose_template(chat_setting, chat_template_source(config, root, config_path));
  BpeTokenizer::SpecialRoles roles;
  roles.bos = token_content(config, "bos_token", config_path);
  roles.eos = out.chat_template.format() != ChatFormat::kNone
                  ? std::string(out.chat_template.end_of_turn())
                  : token_content(config, "eos_token", config_path);
  roles.pad = token_content(config, "pad_token", config_path);
  if (roles.pad && roles.pad->empty()) roles.pad = roles.eos;
  out.tokenizer = BpeTokenizer::from_file(tokenizer_json, roles);
  return out;
}

HfTokenizer load_bpe_tokenizer(const std::string& tokenizer_json, const std::string& chat_setting) {
  HfTokenizer out;
  if (chat_setting != "auto") out.chat_template = ChatTemplate(ChatTemplate::parse_format(chat_setting), "");
  BpeTokenizer::SpecialRoles roles;
  if (out.chat_template.format() != ChatFormat::kNone) {
    roles.eos = std::string(out.chat_template.end_of_turn());
  }
  out.tokenizer = BpeTokenizer::from_file(tokenizer_json, roles);
  return out;
}

}  // namespace rlvr::models
