#include "verifiers/math/math_extract.h"

#include <algorithm>
#include <cctype>

#include "core/text_util.h"
#include "verifiers/answer_extraction.h"
#include "verifiers/math/math_parse.h"

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

// Index just past the braced box whose command ends at `pos`; nullopt when it
// is unclosed or not braced.
std::optional<size_t> box_end(std::string_view text, size_t pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  if (pos >= text.size() || text[pos] != '{') return std::nullopt;
  int depth = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;  // \{ and \} are literal set braces
      continue;
    }
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i + 1;
  }
  return std::nullopt;
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
  const std::optional<size_t> end = box_end(text, pos);
  if (!end) return std::nullopt;
  return non_empty(std::string(text.substr(pos + 1, *end - pos - 2)));
}

// At most this many boxes or math groups join into one answer: each join
// rescans the text before it, and no answer has more parts.
constexpr int kMaxJoinedParts = 64;
// A box that joins the next one starts at most this many bytes before it.
constexpr size_t kMaxPartBytes = 4096;

// How the text between two answer groups joins them into one answer: ", " for
// commas and "and" ("\boxed{(2, 2)} and \boxed{(6, 2)}"), " \text{ or } " for
// "or" where `or_joins` ("$x = 2$ or $x = -3$"); nullopt when it says anything
// else. Boxing two alternatives is hedging, so boxes pass or_joins = false and
// the last box stays the answer.
std::optional<std::string> connector(std::string_view gap, bool or_joins) {
  if (gap.size() > 40) return std::nullopt;
  std::string rest;
  for (char c : gap) {
    if (!(is_space(c) || c == '$' || c == ',' || c == ';' || c == '{' || c == '}')) rest.push_back(c);
  }
  for (std::string_view filler : {"\\text", "\\quad", "\\qquad", "\\,"}) {
    for (size_t at; (at = rest.find(filler)) != std::string::npos;) rest.erase(at, filler.size());
  }
  if (rest.empty() || rest == "and") return std::string(", ");
  if (rest == "or" && or_joins) return std::string(" \\text{ or } ");
  return std::nullopt;
}

struct MathGroup {
  size_t begin, end;  // the delimiters included
  std::string content;
};

// The closing `$` of an inline group opened at `open`, or npos. As in
// Pandoc, the opener is followed by a non-blank and the closer follows a
// non-blank and is not followed by a digit, so dollar amounts ("at $2 each,
// making $18") are not math; `\$` is a dollar sign.
size_t inline_close(std::string_view text, size_t open) {
  if (open + 1 >= text.size() || is_space(text[open + 1])) return std::string_view::npos;
  for (size_t end = text.find('$', open + 1); end != std::string_view::npos; end = text.find('$', end + 1)) {
    const bool escaped = text[end - 1] == '\\';
    const bool digit_after = end + 1 < text.size() && is_digit(text[end + 1]);
    if (!escaped && !is_space(text[end - 1]) && !digit_after) return end;
  }
  return std::string_view::npos;
}

// Every non-empty $...$, $$...$$, \(...\) and \[...\] group, in order.
std::vector<MathGroup> math_groups(std::string_view text) {
  std::vector<MathGroup> groups;
  // Once an inline opener finds no closer, no later one can: skipping them
  // keeps the scan linear.
  bool inline_closers_left = true;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '$') {
      ++i;
      continue;
    }
    std::string_view close = "$";
    size_t open_length = 2;
    size_t end = std::string_view::npos;
    if (text.compare(i, 2, "$$") == 0) {
      close = "$$";
      end = text.find(close, i + open_length);
    } else if (text[i] == '$') {
      open_length = 1;
      if (inline_closers_left) end = inline_close(text, i);
      inline_closers_left = end != std::string_view::npos;
      if (end == std::string_view::npos) continue;  // a dollar sign, not math
    } else if (text.compare(i, 2, "\\(") == 0) {
      close = "\\)";
      end = text.find(close, i + open_length);
    } else if (text.compare(i, 2, "\\[") == 0) {
      close = "\\]";
      end = text.find(close, i + open_length);
    } else {
      continue;
    }
    if (end == std::string_view::npos) break;
    std::string content = trim(text.substr(i + open_length, end - i - open_length));
    if (!content.empty()) groups.push_back({i, end + close.size(), std::move(content)});
    i = end + close.size() - 1;
  }
  return groups;
}

// How the text between groups[i - 1] and groups[i] joins them (connector()).
std::optional<std::string> connector_before(std::string_view text, const std::vector<MathGroup>& groups, size_t i) {
  return connector(text.substr(groups[i - 1].end, groups[i].begin - groups[i - 1].end), true);
}

// groups[first] and the groups after it that commas, "and" or "or" join to it
// ("$x = 2$ or $x = -3$"), each read through `read`.
std::string joined_from(std::string_view text, const std::vector<MathGroup>& groups, size_t first,
                        std::string (*read)(const std::string&)) {
  std::string answer = read(groups[first].content);
  for (size_t i = first + 1; i < groups.size() && i - first < kMaxJoinedParts; ++i) {
    const std::optional<std::string> joint = connector_before(text, groups, i);
    if (!joint) break;
    answer += *joint + read(groups[i].content);
  }
  return answer;
}

std::string as_written(const std::string& group) { return group; }

// The answer after a phrase: its first math group on the line (and the groups
// joined to it), else the line without a closing full stop; the next non-empty
// line when the phrase ends one.
std::optional<std::string> after_phrase(std::string_view rest) {
  size_t b = 0;
  while (b < rest.size() && (rest[b] == ':' || rest[b] == '*' || rest[b] == ' ' || rest[b] == '\t')) ++b;
  rest = rest.substr(b);
  while (!rest.empty() && (rest.front() == '\n' || is_space(rest.front()))) rest.remove_prefix(1);
  std::string_view line = rest.substr(0, rest.find('\n'));
  // Minerva's closing formula, "... is $X$. I hope it is correct."
  line = line.substr(0, line.find("I hope it is correct"));
  // A sentence that names its answer ("The largest $n$ is 34."): what follows its last " is ".
  const size_t is = line.rfind(" is ");
  if (!line.empty() && is_letter(line.front()) && is != std::string_view::npos) line = line.substr(is + 4);
  // "is $(2,2)$ and $(6,2)$": both groups.
  const std::vector<MathGroup> groups = math_groups(line);
  if (!groups.empty()) return non_empty(joined_from(line, groups, 0, as_written));
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
  size_t box = last_box(completion, name_length);
  if (box == std::string_view::npos) return {};
  std::optional<std::string> answer = box_content(completion, box + name_length);
  if (!answer) return {true, std::nullopt};
  // Earlier boxes joined to this one by "and" or commas are parts of one answer.
  for (int parts = 1; box > 0 && parts < kMaxJoinedParts; ++parts) {
    size_t earlier_length = 0;
    const size_t window = box > kMaxPartBytes ? box - kMaxPartBytes : 0;
    const size_t in_window = last_box(completion.substr(window, box - window), earlier_length);
    if (in_window == std::string_view::npos) break;
    const size_t earlier = window + in_window;
    const std::optional<size_t> end = box_end(completion, earlier + earlier_length);
    if (!end || *end > box) break;
    const std::optional<std::string> joint = connector(completion.substr(*end, box - *end), false);
    const std::optional<std::string> part = box_content(completion, earlier + earlier_length);
    if (!joint || !part) break;
    answer = *part + *joint + *answer;
    box = earlier;
  }
  return {true, answer};
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
  const std::string lower = ascii_lower(completion);
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

// Whether `text` has a letter outside command names: "3+4" and "\\frac{1}{2}"
// have none, "x" and "f(2)" do.
bool has_variables(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      while (i + 1 < text.size() && is_letter(text[i + 1])) ++i;
    } else if (is_letter(text[i])) {
      return true;
    }
  }
  return false;
}

// A group that ends a computation ("3 + 4 = 7", "a + b = 7") answers with the
// value after its last "="; an equation that names a value (`x = 5`) or
// relates variables (`y = 2x + 1`) stays whole, since it may be the answer.
std::string group_answer(const std::string& group) {
  const size_t eq = group.rfind('=');
  if (eq == std::string::npos || eq == 0 || std::string("<>!\\").find(group[eq - 1]) != std::string::npos) {
    return group;
  }
  const std::string_view lhs = std::string_view(group).substr(0, eq);
  const std::string value = trim(std::string_view(group).substr(eq + 1));
  const size_t first_eq = group.find('=');
  const std::string_view first_lhs = std::string_view(group).substr(0, first_eq);
  if (!has_variables(lhs) || (!has_variables(value) && !math::is_lone_name(first_lhs))) return value;
  return group;
}

// The last math group, with the groups before it that "and", "or" or commas
// join to it ("$x = 2$ or $x = -3$").
Found last_math(std::string_view completion) {
  const std::vector<MathGroup> groups = math_groups(completion);
  if (groups.empty()) return {};
  size_t first = groups.size() - 1;  // the earliest group joined to the last
  while (first > 0 && groups.size() - first < kMaxJoinedParts && connector_before(completion, groups, first)) --first;
  return {true, non_empty(joined_from(completion, groups, first, group_answer))};
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
  return extraction_priority_for(config::GENERAL_STYLE);
}

const std::vector<config::AnswerFormat>& extraction_priority_for(config::MathAnswerStyle style) {
  static const std::vector<config::AnswerFormat> general{config::BOXED,         config::ANSWER_TAG,
                                                         config::GSM8K_HASHES,  config::ANSWER_PHRASE,
                                                         config::LAST_MATH,     config::LAST_NUMBER};
  static const std::vector<config::AnswerFormat> gsm8k{config::GSM8K_HASHES, config::BOXED, config::ANSWER_TAG,
                                                       config::ANSWER_PHRASE, config::LAST_NUMBER};
  static const std::vector<config::AnswerFormat> math{config::BOXED,     config::ANSWER_PHRASE, config::ANSWER_TAG,
                                                      config::LAST_MATH, config::GSM8K_HASHES,  config::LAST_NUMBER};
  switch (style) {
    case config::GSM8K_STYLE: return gsm8k;
    case config::MATH_STYLE: return math;
    default: return general;
  }
}

std::string_view before_new_turn(std::string_view completion) {
  // Chat-template markers and the turn prefixes of plain-text dialogues.
  static constexpr std::string_view kMarkers[] = {
      "<|im_end|>", "<|im_start|>", "<|endoftext|>", "<|eot_id|>", "<|start_header_id|>",
      "<|end|>",    "<|user|>",     "</s>",          "<end_of_turn>", "<start_of_turn>",
      "\nHuman:",   "\nUser:",      "\nQuestion:",   "\nProblem:"};
  size_t begin = 0;
  while (begin < completion.size() && is_space(completion[begin])) ++begin;
  size_t cut = completion.size();
  for (std::string_view marker : kMarkers) {
    // A marker that opens the completion (a template's own header) is not a new turn.
    size_t at = completion.find(marker, begin);
    if (at == begin) at = completion.find(marker, begin + marker.size());
    if (at != std::string_view::npos) cut = std::min(cut, at);
  }
  return completion.substr(0, cut);
}

std::optional<ExtractedAnswer> extract_answer(std::string_view full_completion,
                                              const std::vector<config::AnswerFormat>& priority) {
  const std::string_view completion = before_new_turn(full_completion);
  for (const config::AnswerFormat format : priority) {
    Found f;
    switch (format) {
      case config::BOXED: f = boxed(completion); break;
      case config::ANSWER_TAG: f = tagged(completion); break;
      case config::GSM8K_HASHES: f = hashes(completion); break;
      case config::ANSWER_PHRASE: f = phrase(completion); break;
      case config::LAST_MATH: f = last_math(completion); break;
      case config::LAST_NUMBER: f = last_number(completion); break;
      default: break;
    }
    if (!f.present) continue;
    if (!f.answer) return std::nullopt;
    return ExtractedAnswer{*f.answer, format};
  }
  return std::nullopt;
}

std::optional<std::string> extract_final_answer(std::string_view completion,
                                                const std::vector<config::AnswerFormat>& priority) {
  std::optional<ExtractedAnswer> found = extract_answer(completion, priority);
  if (!found) return std::nullopt;
  return std::move(found->text);
}

}  // namespace rlvr::verifiers::math
