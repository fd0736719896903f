// Chat templates: how a prompt becomes the text an instruction-tuned model was
// trained on. rlvr does not run Jinja; it recognises the two layouts the
// supported families use (ChatML for Qwen, Llama 3's header format) and
// renders them natively. Torch-free.
#pragma once

#include <string>
#include <string_view>

namespace rlvr::models {

enum class ChatFormat { kNone, kChatMl, kLlama3 };

class ChatTemplate {
 public:
  ChatTemplate() = default;
  ChatTemplate(ChatFormat format, std::string default_system);

  // Recognises a Jinja chat_template from tokenizer_config.json by its markers;
  // kNone when it is neither ChatML nor Llama 3's. A ChatML template that writes
  // a fixed system message when the conversation has none (Qwen2.5's "You are
  // Qwen, ...") keeps it as default_system.
  static ChatTemplate detect(std::string_view jinja);
  // "none", "chatml", "llama3"; throws rlvr::Error for other names.
  static ChatFormat parse_format(const std::string& name);

  ChatFormat format() const { return format_; }
  const std::string& default_system() const { return default_system_; }
  std::string_view name() const;
  // One user turn followed by the opening of the assistant's turn, i.e.
  // apply_chat_template([{"role": "user", "content": prompt}],
  // add_generation_prompt=True). The prompt unchanged for kNone.
  std::string render(std::string_view prompt) const;
  // Jinja source that makes transformers' apply_chat_template render as
  // render() does (for tokenizer_config.json on export); "" for kNone.
  std::string jinja() const;
  // The token that closes an assistant turn ("<|im_end|>", "<|eot_id|>"); ""
  // for kNone.
  std::string_view end_of_turn() const;

 private:
  ChatFormat format_ = ChatFormat::kNone;
  std::string default_system_;
};

}  // namespace rlvr::models
