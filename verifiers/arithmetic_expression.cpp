#include "verifiers/arithmetic_expression.h"

#include <cctype>
#include <limits>
#include <optional>

namespace rlvr::verifiers {
namespace {

using Wide = __int128;

struct Rational {
  int64_t num = 0;
  int64_t den = 1;
};

Wide gcd(Wide a, Wide b) {
  if (a < 0) a = -a;
  while (b != 0) {
    const Wide t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// Reduces num/den (den != 0) to lowest terms with den > 0; nullopt when either
// part does not fit in int64. Products of two int64 fit in __int128 with room.
std::optional<Rational> make_rational(Wide num, Wide den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const Wide g = gcd(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  constexpr Wide kMax = std::numeric_limits<int64_t>::max();
  if (num > kMax || num < -kMax || den > kMax) return std::nullopt;
  return Rational{static_cast<int64_t>(num), static_cast<int64_t>(den)};
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  ExpressionResult run() {
    ExpressionResult result;
    std::optional<Rational> value = expression(0);
    if (value && peek() != '\0') value = fail_unexpected();
    if (!value) {
      result.error = error_;
      return result;
    }
    result.ok = true;
    result.numerator = value->num;
    result.denominator = value->den;
    result.literals = std::move(literals_);
    return result;
  }

 private:
  // The next non-blank character, or '\0' at the end.
  char peek() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }

  std::string column() const { return " at column " + std::to_string(pos_ + 1); }

  std::nullopt_t fail(const std::string& message) {
    error_ = message + column();
    return std::nullopt;
  }

  std::nullopt_t fail_unexpected() {
    const char c = peek();
    if (c == '\0') return fail("unexpected end of input");
    if (std::isprint(static_cast<unsigned char>(c))) return fail(std::string("unexpected '") + c + "'");
    return fail("unexpected byte " + std::to_string(static_cast<unsigned char>(c)));
  }

  // expression := term (('+' | '-') term)*
  std::optional<Rational> expression(int depth) {
    std::optional<Rational> left = term(depth);
    while (left && (peek() == '+' || peek() == '-')) {
      const char op = text_[pos_++];
      const size_t op_pos = pos_;
      const std::optional<Rational> right = term(depth);
      if (!right) return std::nullopt;
      const Wide cross = op == '+' ? Wide{left->num} * right->den + Wide{right->num} * left->den
                                   : Wide{left->num} * right->den - Wide{right->num} * left->den;
      left = make_rational(cross, Wide{left->den} * right->den);
      if (!left) return overflow(op_pos);
    }
    return left;
  }

  // term := factor (('*' | '/') factor)*
  std::optional<Rational> term(int depth) {
    std::optional<Rational> left = factor(depth);
    while (left && (peek() == '*' || peek() == '/')) {
      const char op = text_[pos_++];
      const size_t op_pos = pos_;
      const std::optional<Rational> right = factor(depth);
      if (!right) return std::nullopt;
      if (op == '*') {
        left = make_rational(Wide{left->num} * right->num, Wide{left->den} * right->den);
      } else {
        if (right->num == 0) {
          pos_ = op_pos - 1;
          return fail("division by zero");
        }
        left = make_rational(Wide{left->num} * right->den, Wide{left->den} * right->num);
      }
      if (!left) return overflow(op_pos);
    }
    return left;
  }

  // factor := literal | '(' expression ')'
  std::optional<Rational> factor(int depth) {
    const char c = peek();
    if (c == '(') {
      if (depth >= kMaxExpressionDepth) {
        return fail("parentheses nested deeper than " + std::to_string(kMaxExpressionDepth));
      }
      ++pos_;
      std::optional<Rational> inner = expression(depth + 1);
      if (!inner) return std::nullopt;
      if (peek() != ')') return fail_unexpected();
      ++pos_;
      return inner;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) return fail_unexpected();
    const size_t start = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      const int digit = text_[pos_] - '0';
      if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) {
        pos_ = start;
        return fail("number too large");
      }
      value = value * 10 + digit;
      ++pos_;
    }
    literals_.push_back(value);
    return Rational{value, 1};
  }

  std::nullopt_t overflow(size_t op_pos) {
    pos_ = op_pos - 1;
    return fail("arithmetic overflow");
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::vector<int64_t> literals_;
  std::string error_;
};

}  // namespace

ExpressionResult evaluate_expression(std::string_view text) {
  if (text.size() > kMaxExpressionChars) {
    ExpressionResult result;
    result.error = "expression longer than " + std::to_string(kMaxExpressionChars) + " characters";
    return result;
  }
  return Parser(text).run();
}

}  // namespace rlvr::verifiers
