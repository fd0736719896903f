#include "verifiers/math/math_extract.h"

#include <algorithm>
#include <cctype>

#include "core/text_util.h"
#include "verifiers/answer_extraction.h"

namespace rlvr::verifiers::math {
namespace {

std::optional<std::string> non_empty(std::string s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  return s;
}

// Start of the last `\boxed` or `\fbox` command, or npos.
size_t last_box(std::string_view text, size_t& name_length) {
  size_t best = std::string_view::npos;
  for (std::string_view name : {"\\boxed", "\\fbox"}) {
    const size_t at = text.rfind(name);
    if (at != std::string_view::npos && (best == std::string_view::npos || at > best)) {
      best = at;
      name_length = name.size();
    }
  }
  return best;
}

// Content of the box whose command ends at `pos`; nullopt when unclosed or empty.
std::optional<std::string> box_content(std::string_view text, size_t pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  if (pos >= text.size()) return std::nullopt;
  if (text[pos] != '{') {
    // `\boxed 5`: one token, up to a blank or the closing `$`.
    size_t end = pos;
    while (end < text.size() && !is_space(text[end]) && text[end] != '$') ++end;
    return non_empty(std::string(text.substr(pos, end - pos)));
  }
  int depth = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;  // \{ and \} are literal set braces
      continue;
    }
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return non_empty(std::string(text.substr(pos + 1, i - pos - 1)));
  }
  return std::nullopt;
}

// The answer after a phrase: its first $...$ group on the line, else the line
// without a closing full stop; the next non-empty line when the phrase ends one.
std::optional<std::string> after_phrase(std::string_view rest) {
  size_t b = 0;
  while (b < rest.size() && (rest[b] == ':' || rest[b] == '*' || rest[b] == ' ' || rest[b] == '\t')) ++b;
  rest = rest.substr(b);
  while (!rest.empty() && (rest.front() == '\n' || is_space(rest.front()))) rest.remove_prefix(1);
  std::string_view line = rest.substr(0, rest.find('\n'));
  const size_t open = line.find('$');
  if (open != std::string_view::npos) {
    size_t start = open;
    while (start < line.size() && line[start] == '$') ++start;
    const size_t close = line.find('$', start);
    if (close != std::string_view::npos) return non_empty(std::string(line.substr(start, close - start)));
  }
  std::string s = trim(line);
  while (!s.empty() && s.back() == '.') s = trim(s.substr(0, s.size() - 1));
  for (std::string_view wrap : {"\\[", "\\]", "\\(", "\\)", "**"}) {
    if (s.size() >= wrap.size() && s.compare(0, wrap.size(), wrap) == 0) s = trim(s.substr(wrap.size()));
    if (s.size() >= wrap.size() && s.compare(s.size() - wrap.size(), wrap.size(), wrap) == 0) {
      s = trim(s.substr(0, s.size() - wrap.size()));
    }
  }
  while (!s.empty() && (s.back() == '.' || s.back() == '*')) s.pop_back();
  return non_empty(s);
}

// Result of looking for one format: absent, or present with its answer
// (nullopt when present but empty, which ends the search).
struct Found {
  bool present = false;
  std::optional<std::string> answer;
};

Found boxed(std::string_view completion) {
  size_t name_length = 0;
  const size_t box = last_box(completion, name_length);
  if (box == std::string_view::npos) return {};
  return {true, box_content(completion, box + name_length)};
}

Found tagged(std::string_view completion) {
  std::optional<std::string> t = extract_tagged_answer(completion);
  if (!t) return {};
  return {true, non_empty(*t)};
}

Found hashes(std::string_view completion) {
  const size_t at = completion.rfind("####");
  if (at == std::string_view::npos) return {};
  std::string_view rest = completion.substr(at + 4);
  std::optional<std::string> a = non_empty(std::string(rest.substr(0, rest.find('\n'))));
  return {a.has_value(), a};  // an empty "####" line lets later formats try
}

Found phrase(std::string_view completion) {
  std::string lower(completion);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t best = std::string::npos, best_end = 0;
  for (std::string_view phrase : {"final answer", "answer is", "answer:"}) {
    const size_t at = lower.rfind(phrase);
    if (at != std::string::npos && (best == std::string::npos || at > best)) {
      best = at;
      best_end = at + phrase.size();
    }
  }
  if (best == std::string::npos) return {};
  std::optional<std::string> a = after_phrase(completion.substr(best_end));
  return {a.has_value(), a};  // a phrase with nothing after it lets later formats try
}

Found last_number(std::string_view completion) {
  // The unicode minus (U+2212) is a sign for the last-number fall-back too.
  std::string ascii(completion);
  for (size_t at; (at = ascii.find("\u2212")) != std::string::npos;) ascii.replace(at, 3, "-");
  std::optional<std::string> a = extract_last_number(ascii);
  return {a.has_value(), a};
}

}  // namespace

const std::vector<config::AnswerFormat>& default_extraction_priority() {
  static const std::vector<config::AnswerFormat> order{config::BOXED, config::ANSWER_TAG,
                                                       config::GSM8K_HASHES, config::ANSWER_PHRASE,
                                                       config::LAST_NUMBER};
  return order;
}

std::optional<std::string> extract_final_answer(std::string_view completion,
                                                const std::vector<config::AnswerFormat>& priority) {
  for (const config::AnswerFormat format : priority) {
    Found f;
    switch (format) {
      case config::BOXED: f = boxed(completion); break;
      case config::ANSWER_TAG: f = tagged(completion); break;
      case config::GSM8K_HASHES: f = hashes(completion); break;
      case config::ANSWER_PHRASE: f = phrase(completion); break;
      case config::LAST_NUMBER: f = last_number(completion); break;
      default: break;
    }
    if (f.present) return f.answer;
  }
  return std::nullopt;
}

}  // namespace rlvr::verifiers::math
