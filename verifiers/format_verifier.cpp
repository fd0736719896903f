// "format": whether a completion has the required structure, not whether its
// answer is right (config FormatVerifierConfig). Layouts and their checks:
//   THINK_ANSWER  1 a <think> opens the think block; 2 a </think> after it
//                 closes it (unclosed, it runs to the end of the completion);
//                 3 exactly one <answer>...</answer> outside the think block,
//                 not blank; 4 every answer follows the think block; 5 nothing
//                 but whitespace outside the think block and the answer.
//                 The think block's text is free, tags included; a completion
//                 that starts inside it (a template that puts <think> in the
//                 prompt) fails checks 1, 2 and 4: use PATTERN for that.
//   ANSWER_ONLY   1 an answer is present; 2 exactly one, not blank; 3 nothing
//                 but whitespace after it. The text before it is free.
//   PATTERN       the whole completion matches `pattern` (SafeRegex): one check.
// An answer is an <answer> and the first </answer> after it; an <answer> with no
// </answer> before the next <answer> (or the end) is a stray tag, i.e. text.
// Reward: 1 when every check passes, else 0, or with partial_credit the
// fraction of checks that pass. Status: kCorrect when all pass, else kWrong;
// kNoAnswer for a blank completion in every layout. Verdict::answer is the
// trimmed text of the (last) answer. Linear scans, never throws on model
// output; stateless after construction and thread-safe.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/text_util.h"
#include "verifiers/answer_extraction.h"
#include "verifiers/safe_regex.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

constexpr std::string_view kThinkOpen = "<think>", kThinkClose = "</think>";
constexpr std::string_view kAnswerOpen = "<answer>", kAnswerClose = "</answer>";
constexpr size_t kNone = std::string_view::npos;

// One <answer>...</answer>: the span of both tags, [begin, end), and the text between them.
struct AnswerTag {
  size_t begin, end;
  std::string_view content;
};

struct Check {
  bool passed;
  std::string failure;  // what the verdict's detail says when it does not pass
};

bool is_blank(std::string_view text) {
  for (const char c : text) {
    if (!is_space(c)) return false;
  }
  return true;
}

// The answers in text[begin, end), in order.
std::vector<AnswerTag> answers_in(std::string_view text, size_t begin, size_t end) {
  const std::string_view region = text.substr(0, end);
  std::vector<AnswerTag> tags;
  for (size_t from = begin;;) {
    const size_t open = region.find(kAnswerOpen, from);
    if (open == kNone) break;
    const size_t close = region.find(kAnswerClose, open + kAnswerOpen.size());
    if (close == kNone) break;
    const size_t last_open = region.rfind(kAnswerOpen, close - kAnswerOpen.size());
    const size_t content = last_open + kAnswerOpen.size();
    tags.push_back({last_open, close + kAnswerClose.size(), region.substr(content, close - content)});
    from = close + kAnswerClose.size();
  }
  return tags;
}

// Whether text[begin, end) is whitespace once the answers in it are left out.
bool blank_around(std::string_view text, size_t begin, size_t end, const std::vector<AnswerTag>& answers) {
  for (const AnswerTag& answer : answers) {
    if (!is_blank(text.substr(begin, answer.begin - begin))) return false;
    begin = answer.end;
  }
  return is_blank(text.substr(begin, end - begin));
}

// The check "exactly one answer, not blank"; `found` holds the answer when `count` is 1.
Check exactly_one(size_t count, const std::vector<AnswerTag>& found, std::string_view where) {
  if (count != 1) {
    return {false, std::to_string(count) + " answers" + std::string(where) + ", expected exactly one"};
  }
  return {!is_blank(found.front().content), "the answer is blank"};
}

std::vector<Check> think_answer_checks(std::string_view text, std::string& answer) {
  const size_t open = text.find(kThinkOpen);
  const bool opened = open != kNone;
  const size_t close = opened ? text.find(kThinkClose, open + kThinkOpen.size()) : kNone;
  const bool closed = close != kNone;
  // Outside the think block: text[0, before_end) and text[after_begin, size).
  const size_t before_end = opened ? open : text.size();
  const size_t after_begin = closed ? close + kThinkClose.size() : text.size();
  const std::vector<AnswerTag> before = answers_in(text, 0, before_end);
  const std::vector<AnswerTag> after = answers_in(text, after_begin, text.size());
  const std::vector<AnswerTag>& last_found = after.empty() ? before : after;
  if (!last_found.empty()) answer = trim(last_found.back().content);
  return {
      {opened, "no <think>"},
      {closed, "no </think> closing the think block"},
      exactly_one(before.size() + after.size(), last_found, " outside the think block"),
      {closed && before.empty() && !after.empty(), "the answer does not follow the think block"},
      {blank_around(text, 0, before_end, before) && blank_around(text, after_begin, text.size(), after),
       "text outside the think block and the answer"},
  };
}

std::vector<Check> answer_only_checks(std::string_view text, std::string& answer) {
  const std::vector<AnswerTag> answers = answers_in(text, 0, text.size());
  if (!answers.empty()) answer = trim(answers.back().content);
  return {
      {!answers.empty(), "no <answer>...</answer>"},
      exactly_one(answers.size(), answers, ""),
      {!answers.empty() && is_blank(text.substr(answers.back().end)), "the completion does not end with the answer"},
  };
}

Verdict verdict_from(const std::vector<Check>& checks, bool partial_credit, std::string answer) {
  std::vector<std::string> failures;
  for (const Check& check : checks) {
    if (!check.passed) failures.push_back(check.failure);
  }
  if (failures.empty()) {
    return make_verdict(VerdictStatus::kCorrect, "all " + std::to_string(checks.size()) + " format checks pass",
                        std::move(answer));
  }
  Verdict v = make_verdict(VerdictStatus::kWrong, "format: " + join(failures, "; "), std::move(answer));
  if (partial_credit) v.reward = static_cast<double>(checks.size() - failures.size()) / checks.size();
  return v;
}

class FormatVerifier : public Verifier {
 public:
  // Throws rlvr::ConfigError for a PATTERN layout without a valid pattern, and
  // for a pattern given to another layout (it would be ignored).
  explicit FormatVerifier(const config::FormatVerifierConfig& config)
      : layout_(config.layout()), partial_credit_(config.partial_credit()) {
    constexpr std::string_view kField = "verifier.format.pattern";
    if (layout_ != config::PATTERN) {
      if (!config.pattern().empty()) {
        throw ConfigError(std::string(kField) + ": set, but verifier.format.layout is " +
                          config::FormatLayout_Name(layout_) + "; only layout PATTERN uses it");
      }
      return;
    }
    if (config.pattern().empty()) {
      throw ConfigError(std::string(kField) +
                        ": empty; layout PATTERN needs the regular expression whole completions must match");
    }
    pattern_.emplace(config.pattern(), kField);
  }

  std::string name() const override { return "format"; }

  Verdict verify(const Task&, std::string_view completion) const override {
    if (is_blank(completion)) return make_verdict(VerdictStatus::kNoAnswer, "empty completion");
    if (layout_ == config::PATTERN) {
      const std::vector<Check> checks = {{pattern_->full_match(completion), "does not match the pattern"}};
      return verdict_from(checks, /*partial_credit=*/false, extract_tagged_answer(completion).value_or(""));
    }
    std::string answer;
    const std::vector<Check> checks = layout_ == config::ANSWER_ONLY ? answer_only_checks(completion, answer)
                                                                    : think_answer_checks(completion, answer);
    return verdict_from(checks, partial_credit_, std::move(answer));
  }

 private:
  config::FormatLayout layout_;
  bool partial_credit_;
  std::optional<SafeRegex> pattern_;  // set for layout PATTERN
};

}  // namespace

RLVR_REGISTER_VERIFIER("format",
                       [](const config::VerifierConfig& c) { return std::make_unique<FormatVerifier>(c.format()); });

}  // namespace rlvr::verifiers
