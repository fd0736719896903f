// The tokenizer of a Hugging Face checkpoint directory: tokenizer.json, with
// the special-token roles and chat template of tokenizer_config.json (or
// chat_template.jinja, where transformers 5 writes it). Torch-free.
#pragma once

#include <memory>
#include <string>

#include "models/bpe_tokenizer.h"
#include "models/chat_template.h"

namespace rlvr::models {

struct HfTokenizer {
  std::unique_ptr<BpeTokenizer> tokenizer;
  ChatTemplate chat_template;
};

// `chat_setting` is model.chat_template: "auto" uses the checkpoint's template
// when it is a known one. Roles: bos as tokenizer_config.json's bos_token
// (Qwen has none); eos the template's end-of-turn token when a template is used,
// else eos_token; pad as pad_token, else eos. Keys the file lacks (or a missing
// file) leave the role to BpeTokenizer's name rules. Throws rlvr::Error naming the file
// and field for unreadable files or a template whose tokens the vocabulary lacks.
HfTokenizer load_hf_tokenizer(const std::string& dir, const std::string& chat_setting);

// A tokenizer.json path on its own (model.tokenizer), with roles chosen by name
// and a template forced by `chat_setting` ("auto" means none).
HfTokenizer load_bpe_tokenizer(const std::string& tokenizer_json, const std::string& chat_setting);

}  // namespace rlvr::models
