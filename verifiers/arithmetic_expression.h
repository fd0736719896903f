// A safe evaluator for the integer expressions countdown answers are written in:
// + - * / and parentheses over non-negative integer literals, evaluated with
// exact rationals (so 7/2*2 is 7, as a person would read it). Unary minus is not
// part of the language. Bounded: at most kMaxExpressionChars of input and
// kMaxExpressionDepth nested parentheses, so any input returns quickly.
// Pure and thread-safe; never throws on bad input (the error is in the result).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rlvr::verifiers {

inline constexpr size_t kMaxExpressionChars = 1000;
inline constexpr int kMaxExpressionDepth = 64;

struct ExpressionResult {
  bool ok = false;
  // The value, reduced, with denominator > 0 (valid when ok).
  int64_t numerator = 0;
  int64_t denominator = 1;
  // Every literal in order of appearance (valid when ok).
  std::vector<int64_t> literals;
  // When !ok: what went wrong and where, e.g. "unexpected '^' at column 3".
  std::string error;
};

ExpressionResult evaluate_expression(std::string_view text);

}  // namespace rlvr::verifiers
