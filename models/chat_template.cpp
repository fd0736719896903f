#include "models/chat_template.h"

#include <regex>

#include "core/error.h"

namespace rlvr::models {
namespace {

// Jinja string literals in tokenizer_config.json spell newlines as "\n".
std::string unescape_jinja(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Llama 3's template trims message content.
std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\n\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\n\r");
  return s.substr(first, last - first + 1);
}

// Llama 3.1 and later always open with a system turn carrying a knowledge
// cutoff and a date: the template's fallback date, where it has one (3.2 asks
// for today's date when transformers provides strftime_now; a fixed one keeps
// prompts reproducible).
std::string llama3_dated_system(std::string_view jinja) {
  if (jinja.find("Cutting Knowledge Date:") == std::string_view::npos) return "";
  static const std::regex kCutoff(R"(Cutting Knowledge Date: ([^"'\\{}]+)\\n)");
  static const std::regex kDate(R"re(set date_string = "([^"]+)")re");
  std::cmatch cutoff, date;
  const char* begin = jinja.data();
  const char* end = jinja.data() + jinja.size();
  return "Cutting Knowledge Date: " +
         (std::regex_search(begin, end, cutoff, kCutoff) ? cutoff[1].str() : "December 2023") +
         "\nToday Date: " + (std::regex_search(begin, end, date, kDate) ? date[1].str() : "26 Jul 2024") +
         "\n\n";
}

// A Jinja single-quoted string literal holding `text`.
std::string jinja_literal(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

ChatTemplate::ChatTemplate(ChatFormat format, std::string default_system)
    : format_(format), default_system_(std::move(default_system)) {}

ChatTemplate ChatTemplate::detect(std::string_view jinja) {
  if (jinja.find("<|start_header_id|>") != std::string_view::npos) {
    return ChatTemplate(ChatFormat::kLlama3, llama3_dated_system(jinja));
  }
  if (jinja.find("<|im_start|>") == std::string_view::npos) return ChatTemplate();
  // A literal system turn: "<|im_start|>system\n<text without quotes or braces><|im_end|>".
  static const std::regex kFixedSystem(R"(<\|im_start\|>system\\n([^'"{}]+)<\|im_end\|>)");
  std::cmatch m;
  const bool found = std::regex_search(jinja.data(), jinja.data() + jinja.size(), m, kFixedSystem);
  return ChatTemplate(ChatFormat::kChatMl, found ? unescape_jinja(m[1].str()) : "");
}

ChatFormat ChatTemplate::parse_format(const std::string& name) {
  if (name == "none") return ChatFormat::kNone;
  if (name == "chatml") return ChatFormat::kChatMl;
  if (name == "llama3") return ChatFormat::kLlama3;
  throw Error("unknown chat template '" + name + "' (known: auto, none, chatml, llama3)");
}

std::string_view ChatTemplate::name() const {
  switch (format_) {
    case ChatFormat::kChatMl: return "chatml";
    case ChatFormat::kLlama3: return "llama3";
    default: return "none";
  }
}

std::string ChatTemplate::render(std::string_view prompt) const {
  std::string out;
  switch (format_) {
    case ChatFormat::kNone:
      return std::string(prompt);
    case ChatFormat::kChatMl:
      if (!default_system_.empty()) out += "<|im_start|>system\n" + default_system_ + "<|im_end|>\n";
      out += "<|im_start|>user\n";
      out += prompt;
      out += "<|im_end|>\n<|im_start|>assistant\n";
      return out;
    case ChatFormat::kLlama3:
      out = "<|begin_of_text|>";
      if (!default_system_.empty()) {
        out += "<|start_header_id|>system<|end_header_id|>\n\n" + default_system_ + "<|eot_id|>";
      }
      out += "<|start_header_id|>user<|end_header_id|>\n\n";
      out += trim(prompt);
      out += "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
      return out;
  }
  return out;
}

std::string ChatTemplate::jinja() const {
  switch (format_) {
    case ChatFormat::kChatMl: {
      std::string out;
      if (!default_system_.empty()) {
        out += "{%- if messages[0]['role'] != 'system' %}{{- " +
               jinja_literal("<|im_start|>system\n" + default_system_ + "<|im_end|>\n") +
               " }}{%- endif %}";
      }
      return out +
             "{%- for message in messages %}{{- '<|im_start|>' + message['role'] + '\\n' + "
             "message['content'] + '<|im_end|>\\n' }}{%- endfor %}"
             "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";
    }
    case ChatFormat::kLlama3: {
      std::string out = "{{- '<|begin_of_text|>' }}";
      if (!default_system_.empty()) {
        out += "{%- if messages[0]['role'] != 'system' %}{{- " +
               jinja_literal("<|start_header_id|>system<|end_header_id|>\n\n" + default_system_ +
                             "<|eot_id|>") +
               " }}{%- endif %}";
      }
      return out +
             "{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] + "
             "'<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}"
             "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}"
             "{%- endif %}";
    }
    default:
      return "";
  }
}

std::string_view ChatTemplate::end_of_turn() const {
  switch (format_) {
    case ChatFormat::kChatMl: return "<|im_end|>";
    case ChatFormat::kLlama3: return "<|eot_id|>";
    default: return "";
  }
}

}  // namespace rlvr::models
