#include <gtest/gtest.h>

#include "core/error.h"
#include "models/chat_template.h"

namespace rlvr::models {
namespace {

// As tokenizer_config.json holds it after JSON decoding: "\n" is still a Jinja escape.
constexpr const char* kQwen25 =
    R"({%- if tools %}{{- '<|im_start|>system\n' }}{%- if messages[0]['role'] == 'system' %})"
    R"({{- messages[0]['content'] }}{%- else %}{{- 'You are Qwen.' }}{%- endif %})"
    R"({%- else %}{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\n' + )"
    R"(messages[0]['content'] + '<|im_end|>\n' }}{%- else %})"
    R"({{- '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful )"
    R"(assistant.<|im_end|>\n' }}{%- endif %}{%- endif %})";

TEST(ChatTemplate, ChatMlKeepsTheTemplatesFixedSystemMessage) {
  const ChatTemplate t = ChatTemplate::detect(kQwen25);
  EXPECT_EQ(t.format(), ChatFormat::kChatMl);
  EXPECT_EQ(t.default_system(), "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.");
  EXPECT_EQ(t.render("1+2="),
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful "
            "assistant.<|im_end|>\n<|im_start|>user\n1+2=<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_EQ(t.end_of_turn(), "<|im_end|>");
}

TEST(ChatTemplate, ChatMlWithoutSystemMessage) {
  const ChatTemplate t = ChatTemplate::detect(
      R"({%- for message in messages %}{{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' }}{%- endfor %})");
  EXPECT_EQ(t.default_system(), "");
  EXPECT_EQ(t.render("hi"), "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
}

TEST(ChatTemplate, Llama3HeadersTrimTheMessage) {
  const ChatTemplate t = ChatTemplate::detect(
      R"({% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' %})");
  EXPECT_EQ(t.format(), ChatFormat::kLlama3);
  EXPECT_EQ(t.render("  hi \n"),
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n");
  EXPECT_EQ(t.end_of_turn(), "<|eot_id|>");
}

TEST(ChatTemplate, Llama31OpensWithTheDatedSystemTurn) {
  const ChatTemplate t = ChatTemplate::detect(
      R"({%- if not date_string is defined %}{%- if strftime_now is defined %})"
      R"({%- set date_string = strftime_now("%d %b %Y") %}{%- else %})"
      R"({%- set date_string = "26 Jul 2024" %}{%- endif %}{%- endif %})"
      R"({{- "<|start_header_id|>system<|end_header_id|>\n\n" }})"
      R"({{- "Cutting Knowledge Date: December 2023\n" }}{{- "Today Date: " + date_string + "\n\n" }})");
  EXPECT_EQ(t.render("hi"),
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: "
            "December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>"
            "\n\nhi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
}

// What export writes to tokenizer_config.json; transformers renders it in
// tests/python/hf_parity_test.py. Here: the system text is escaped for Jinja.
TEST(ChatTemplate, JinjaEscapesTheSystemMessage) {
  const std::string jinja = ChatTemplate(ChatFormat::kChatMl, "It's\na \\ test").jinja();
  EXPECT_NE(jinja.find(R"('<|im_start|>system\nIt\'s\na \\ test<|im_end|>\n')"), std::string::npos)
      << jinja;
  EXPECT_EQ(ChatTemplate().jinja(), "");
}

TEST(ChatTemplate, UnknownTemplatesAndNames) {
  EXPECT_EQ(ChatTemplate::detect("{{ messages }}").format(), ChatFormat::kNone);
  EXPECT_EQ(ChatTemplate::detect("").render("x"), "x");
  EXPECT_EQ(ChatTemplate::parse_format("chatml"), ChatFormat::kChatMl);
  EXPECT_THROW(ChatTemplate::parse_format("vicuna"), Error);
}

}  // namespace
}  // namespace rlvr::models
