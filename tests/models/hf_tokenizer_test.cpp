// Special-token roles and chat templates of a checkpoint directory
// (tokenizer.json + tokenizer_config.json / chat_template.jinja). The ids that
// result are compared with transformers in tests/python/hf_parity_test.py.
#include "models/hf_tokenizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/error.h"
#include "tests/scratch_dir.h"

namespace rlvr::models {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTokenizerJson = R"({
  "added_tokens": [{"id": 3, "content": "<|endoftext|>", "special": true},
                   {"id": 4, "content": "<|im_start|>", "special": true},
                   {"id": 5, "content": "<|im_end|>", "special": true}],
  "normalizer": null,
  "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
  "decoder": {"type": "ByteLevel"},
  "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}
})";

constexpr const char* kChatMl =
    R"({%- for m in messages %}{{- '<|im_start|>' + m.role + '\n' + m.content + '<|im_end|>\n' }}{%- endfor %})";

// A checkpoint directory with tokenizer.json and the given extra files.
std::string checkpoint(const std::string& name, const std::map<std::string, std::string>& files) {
  const fs::path dir = test_support::fresh_scratch_dir("rlvr_hf_tokenizer", name);
  std::ofstream(dir / "tokenizer.json") << kTokenizerJson;
  for (const auto& [file, text] : files) std::ofstream(dir / file) << text;
  return dir.string();
}

std::string config_with_template() {
  return std::string(R"({"bos_token": null, "eos_token": "<|endoftext|>",
    "pad_token": {"content": "<|endoftext|>", "special": true}, "chat_template": ")") +
         std::string(kChatMl) + "\"}";
}

TEST(HfTokenizer, TemplateEndOfTurnBecomesTheEndToken) {
  const HfTokenizer t = load_hf_tokenizer(
      checkpoint("chatml", {{"tokenizer_config.json", config_with_template()}}), "auto");
  EXPECT_EQ(t.chat_template.format(), ChatFormat::kChatMl);
  EXPECT_EQ(t.tokenizer->eos_id(), 5);  // <|im_end|>, not eos_token
  EXPECT_EQ(t.tokenizer->bos_id(), -1);
  EXPECT_EQ(t.tokenizer->pad_id(), 3);
}

TEST(HfTokenizer, WithoutTemplateTheConfigsEosEnds) {
  const HfTokenizer t = load_hf_tokenizer(
      checkpoint("none", {{"tokenizer_config.json", config_with_template()}}), "none");
  EXPECT_EQ(t.chat_template.format(), ChatFormat::kNone);
  EXPECT_EQ(t.tokenizer->eos_id(), 3);
}

TEST(HfTokenizer, ReadsChatTemplateJinjaAndTemplateLists) {
  const HfTokenizer from_file = load_hf_tokenizer(
      checkpoint("jinja", {{"tokenizer_config.json", R"({"eos_token": "<|endoftext|>"})"},
                           {"chat_template.jinja", kChatMl}}),
      "auto");
  EXPECT_EQ(from_file.chat_template.format(), ChatFormat::kChatMl);
  const std::string list = std::string(R"({"chat_template": [{"name": "tool_use", "template": "x"},
    {"name": "default", "template": ")") + kChatMl + "\"}]}";
  EXPECT_EQ(load_hf_tokenizer(checkpoint("list", {{"tokenizer_config.json", list}}), "auto")
                .chat_template.format(),
            ChatFormat::kChatMl);
}

TEST(HfTokenizer, ErrorsNameTheFileAndToken) {
  try {
    load_hf_tokenizer(checkpoint("llama3", {}), "llama3");
    FAIL() << "a llama3 template without <|eot_id|> loaded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'<|eot_id|>'"), std::string::npos) << e.what();
  }
  try {
    load_hf_tokenizer(checkpoint("bad_eos", {{"tokenizer_config.json", R"({"eos_token": 5})"}}), "auto");
    FAIL() << "eos_token 5 accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("tokenizer_config.json: eos_token"), std::string::npos)
        << e.what();
  }
  const fs::path empty = test_support::fresh_scratch_dir("rlvr_hf_tokenizer", "empty");
  EXPECT_THROW(load_hf_tokenizer(empty.string(), "auto"), Error);
}

}  // namespace
}  // namespace rlvr::models
