// Recursive-descent parser for one math expression. Grammar, loosest first:
//   sum     := term (('+'|'-') term)*
//   term    := unary (('*'|'\cdot'|'\times'|'/'|'\div')? unary)*   (no operator: implicit product)
//   unary   := ('-'|'+') unary | power
//   power   := postfix ('^' exponent)?
//   postfix := atom '!'*
#include <array>
#include <cctype>
#include <stdexcept>

#include "core/text_util.h"
#include "verifiers/math/math_parse.h"

namespace rlvr::verifiers::math {
namespace {

struct ParseFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr std::array<std::string_view, 21> kFunctions = {
    "sin",    "cos",    "tan",  "sec",  "csc",  "cot", "arcsin", "arccos", "arctan", "sinh", "cosh",
    "tanh",   "ln",     "log",  "exp",  "lg",   "abs", "asin",   "acos",   "atan",   "sgn"};
constexpr std::array<std::string_view, 20> kGreek = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta",   "theta", "lambda", "mu",
    "nu",    "xi",   "rho",   "sigma", "tau",     "phi",  "varphi", "chi",  "psi",    "omega"};

bool is_function(std::string_view name) {
  for (std::string_view f : kFunctions) {
    if (f == name) return true;
  }
  return false;
}

bool is_greek(std::string_view name) {
  for (std::string_view g : kGreek) {
    if (g == name) return true;
  }
  return false;
}

class Parser {
 public:
  Parser(std::string_view text, const ParseLimits& limits) : s_(text), limits_(limits) {}

  ExprPtr parse() {
    ExprPtr e = sum();
    skip_ws();
    if (pos_ != s_.size()) fail("unexpected '" + std::string(1, s_[pos_]) + "'");
    return e;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw ParseFailure(why + " at offset " + std::to_string(pos_));
  }

  // Counts nesting for the duration of one recursive call.
  struct DepthGuard {
    explicit DepthGuard(Parser& p) : p(p) {
      if (++p.depth_ > p.limits_.max_depth) p.fail("nesting deeper than " + std::to_string(p.limits_.max_depth));
    }
    ~DepthGuard() { --p.depth_; }
    Parser& p;
  };

  ExprPtr node(Op op, std::vector<ExprPtr> args = {}, std::string name = {}) {
    if (++nodes_ > limits_.max_nodes) fail("more than " + std::to_string(limits_.max_nodes) + " nodes");
    auto e = std::make_shared<Expr>();
    e->op = op;
    e->args = std::move(args);
    e->name = std::move(name);
    return e;
  }

  ExprPtr number(const mpq_class& value, bool integer_literal) {
    auto e = std::const_pointer_cast<Expr>(node(Op::kNumber));
    e->number = value;
    e->integer_literal = integer_literal;
    return e;
  }

  void skip_ws() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool at_end() {
    skip_ws();
    return pos_ >= s_.size();
  }
  char peek() { return at_end() ? '\0' : s_[pos_]; }
  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  void expect(char c) {
    if (!accept(c)) fail(std::string("expected '") + c + "'");
  }
  // The command name at pos_ (after '\'), without consuming it.
  std::string_view command_at() {
    if (peek() != '\\') return {};
    size_t j = pos_ + 1;
    while (j < s_.size() && is_letter(s_[j])) ++j;
    if (j == pos_ + 1 && j < s_.size()) ++j;  // a one-symbol command such as \{
    return s_.substr(pos_ + 1, j - pos_ - 1);
  }
  bool accept_command(std::string_view name) {
    if (command_at() != name) return false;
    pos_ += 1 + name.size();
    return true;
  }

  ExprPtr sum() {
    DepthGuard guard(*this);
    std::vector<ExprPtr> terms{term()};
    while (true) {
      if (accept('+')) {
        terms.push_back(term());
      } else if (accept('-')) {
        terms.push_back(node(Op::kNeg, {term()}));
      } else {
        break;
      }
    }
    return terms.size() == 1 ? terms[0] : node(Op::kAdd, std::move(terms));
  }

  bool starts_atom() {
    const char c = peek();
    if (is_digit(c) || c == '.' || is_letter(c) || c == '(' || c == '{' || c == '@') return true;
    if (c != '\\') return false;
    const std::string_view cmd = command_at();
    for (std::string_view op : {"cdot", "times", "div", "pm", "mp", "le", "ge", "cup", "cap", "in", "}", "{", "\\", "neq"}) {
      if (cmd == op) return false;
    }
    return !cmd.empty();
  }

  ExprPtr term() {
    ExprPtr acc = unary();
    while (true) {
      if (accept('*') || accept_command("cdot") || accept_command("times")) {
        acc = node(Op::kMul, {acc, unary()});
      } else if (accept('/') || accept_command("div")) {
        acc = node(Op::kDiv, {acc, unary()});
      } else if (starts_atom()) {
        ExprPtr next = power();
        if (acc->integer_literal && next->numeric_frac) {
          acc = node(Op::kAdd, {acc, next});  // mixed number: 2\frac{1}{3} = 7/3
        } else if (acc->op == Op::kNeg && acc->args[0]->integer_literal && next->numeric_frac) {
          acc = node(Op::kNeg, {node(Op::kAdd, {acc->args[0], next})});  // -1\frac12 = -3/2
        } else {
          acc = node(Op::kMul, {acc, next});
        }
      } else {
        return acc;
      }
    }
  }

  ExprPtr unary() {
    DepthGuard guard(*this);
    if (accept('-')) return node(Op::kNeg, {unary()});
    if (accept('+')) return unary();
    return power();
  }

  ExprPtr power() {
    ExprPtr base = postfix();
    if (accept('^')) return node(Op::kPow, {base, exponent()});
    return base;
  }

  // A superscript: a braced group, or one number, letter or command; may
  // itself carry a superscript (power towers).
  ExprPtr exponent() {
    DepthGuard guard(*this);
    ExprPtr e;
    if (accept('-')) return node(Op::kNeg, {exponent()});
    if (accept('+')) return exponent();
    if (accept('{')) {
      e = sum();
      expect('}');
    } else {
      e = atom();
    }
    while (accept('!')) e = node(Op::kFactorial, {e});
    if (accept('^')) return node(Op::kPow, {e, exponent()});
    return e;
  }

  ExprPtr postfix() {
    ExprPtr e = atom();
    while (accept('!')) e = node(Op::kFactorial, {e});
    return e;
  }

  // An argument of \frac, \sqrt, \binom: a braced group or a single digit,
  // letter or command (`\frac12`, `\sqrt2`).
  ExprPtr argument() {
    DepthGuard guard(*this);
    if (accept('{')) {
      if (peek() == '}') fail("empty group");
      ExprPtr e = sum();
      expect('}');
      return e;
    }
    const char c = peek();
    if (is_digit(c)) {
      ++pos_;
      return number(mpq_class(c - '0'), true);
    }
    if (c == '\0') fail("missing argument");
    return atom();
  }

  ExprPtr group(char close) {
    DepthGuard guard(*this);
    ExprPtr e = sum();
    expect(close);
    return e;
  }

  ExprPtr atom() {
    const char c = peek();
    if (is_digit(c) || c == '.') return number_literal();
    if (accept('(')) return group(')');
    if (accept('{')) return group('}');
    if (accept('[')) return group(']');
    if (accept('|')) return node(Op::kFunction, {group('|')}, "abs");
    if (c == '@') {
      // A one-letter \text{B} is a name (a multiple-choice option); longer text is prose.
      if (pos_ + 2 <= s_.size() && is_letter(s_[pos_ + 1]) && (pos_ + 2 == s_.size() || !is_letter(s_[pos_ + 2]))) {
        pos_ += 1;
        return variable_or_constant(std::string(1, s_[pos_++]));
      }
      fail("word in the answer");
    }
    if (is_letter(c)) return letters();
    if (c == '\\') return command();
    if (c == '\0') fail("unexpected end");
    fail("unexpected '" + std::string(1, c) + "'");
  }

  ExprPtr number_literal() {
    const size_t start = pos_;
    std::string digits;
    while (pos_ < s_.size() && is_digit(s_[pos_])) digits.push_back(s_[pos_++]);
    std::string fraction;
    std::string repeating;
    bool integer = true;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      integer = false;
      while (pos_ < s_.size() && is_digit(s_[pos_])) fraction.push_back(s_[pos_++]);
      if (s_.compare(pos_, 10, "\\overline{") == 0) {
        pos_ += 10;
        while (pos_ < s_.size() && is_digit(s_[pos_])) repeating.push_back(s_[pos_++]);
        if (repeating.empty() || pos_ >= s_.size() || s_[pos_] != '}') fail("bad \\overline");
        ++pos_;
      }
    }
    if (digits.empty() && fraction.empty()) fail("lone '.'");
    if (pos_ - start > limits_.max_digits) fail("number longer than " + std::to_string(limits_.max_digits) + " digits");
    if (integer && !digits.empty()) {
      if (ExprPtr numeral = clock_time_or_base_numeral(digits)) return numeral;
    }
    mpz_class scale;
    mpz_ui_pow_ui(scale.get_mpz_t(), 10, fraction.size());
    mpq_class value(mpz_class((digits.empty() ? "0" : digits) + fraction, 10), scale);
    if (!repeating.empty()) {
      // 0.1\overline{6}: the repeating block r adds r / (10^k - 1) / 10^(fraction digits).
      mpz_class block;
      mpz_ui_pow_ui(block.get_mpz_t(), 10, repeating.size());
      value += mpq_class(mpz_class(repeating, 10), (block - 1) * scale);
    }
    value.canonicalize();
    // Scientific notation 3e8, 1.2E-5; "2e^x" stays 2 times e^x.
    bool scientific = false;
    if (pos_ + 1 < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      size_t j = pos_ + 1;
      if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
      const size_t exp_start = j;
      while (j < s_.size() && is_digit(s_[j])) ++j;
      if (j > exp_start && j - exp_start <= 6) {
        const long exp = std::stol(std::string(s_.substr(pos_ + 1, j - pos_ - 1)));
        mpz_class p;
        mpz_ui_pow_ui(p.get_mpz_t(), 10, static_cast<unsigned long>(exp < 0 ? -exp : exp));
        value = exp < 0 ? mpq_class(value / p) : mpq_class(value * p);
        pos_ = j;
        integer = false;
        scientific = true;
      }
    }
    ExprPtr literal = number(value, integer);
    if (!integer && repeating.empty() && !scientific) {
      auto decimal = std::const_pointer_cast<Expr>(literal);
      const std::string all = digits + fraction;
      const size_t first = all.find_first_not_of('0');
      decimal->significant_digits = first == std::string::npos ? 0 : static_cast<int>(all.size() - first);
      decimal->decimal_places = static_cast<int>(fraction.size());
    }
    return literal;
  }

  // `12:30` (a clock time) and `204_5`, `1011_{2}` (a numeral in another base)
  // are names rather than values: equal only to the same time or numeral.
  // The hour loses leading zeros (`09:30` is `9:30`).
  ExprPtr clock_time_or_base_numeral(const std::string& digits) {
    if (pos_ + 2 < s_.size() && s_[pos_] == ':' && is_digit(s_[pos_ + 1]) && is_digit(s_[pos_ + 2]) &&
        (pos_ + 3 == s_.size() || !is_digit(s_[pos_ + 3])) && digits.size() <= 2) {
      const std::string name = std::to_string(std::stoi(digits)) + ":" + std::string(s_.substr(pos_ + 1, 2));
      pos_ += 3;
      return node(Op::kVariable, {}, name);
    }
    if (pos_ + 1 < s_.size() && s_[pos_] == '_') {
      const bool braced = s_[pos_ + 1] == '{';
      size_t j = pos_ + (braced ? 2 : 1);
      const size_t base_start = j;
      while (j < s_.size() && is_digit(s_[j]) && (braced || j == base_start)) ++j;
      if (j == base_start || (braced && (j >= s_.size() || s_[j] != '}'))) fail("bad base subscript");
      const std::string base(s_.substr(base_start, j - base_start));
      pos_ = braced ? j + 1 : j;
      return node(Op::kVariable, {}, digits + "_" + base);
    }
    return nullptr;
  }

  ExprPtr variable_or_constant(std::string name) {
    // A subscript names a distinct variable: x_1, a_{n}.
    if (pos_ < s_.size() && s_[pos_] == '_') {
      ++pos_;
      if (accept('{')) {
        const size_t close = s_.find('}', pos_);
        if (close == std::string_view::npos) fail("unclosed subscript");
        name += "_" + std::string(s_.substr(pos_, close - pos_));
        pos_ = close + 1;
      } else if (pos_ < s_.size()) {
        name += "_" + std::string(1, s_[pos_++]);
      }
      return node(Op::kVariable, {}, name);
    }
    if (name == "e" || name == "i" || name == "pi") return node(Op::kConstant, {}, name);
    return node(Op::kVariable, {}, name);
  }

  ExprPtr letters() {
    size_t j = pos_;
    while (j < s_.size() && is_letter(s_[j])) ++j;
    const std::string_view run = s_.substr(pos_, j - pos_);
    // The longest function name the run starts with: "sinhx" is sinh(x), not sin(h x).
    std::string_view best;
    for (std::string_view f : kFunctions) {
      if (run.substr(0, f.size()) == f && f.size() > best.size() && (run.size() == f.size() || f.size() >= 3)) best = f;
    }
    if (!best.empty()) {
      pos_ += best.size();
      return function(std::string(best));
    }
    // Products of one-letter variables (xy, abc) are fine; longer words are prose.
    if (run.size() >= 4) fail("word '" + std::string(run) + "' in the answer");
    return variable_or_constant(std::string(1, s_[pos_++]));
  }

  ExprPtr function(std::string name) {
    DepthGuard guard(*this);
    ExprPtr power_of;
    ExprPtr base;
    if (accept('^')) power_of = exponent();  // \sin^2 x
    if (name == "log" && accept('_')) base = argument();
    if (name == "lg") name = "log10";
    ExprPtr arg;
    if (peek() == '(') {
      ++pos_;
      arg = group(')');
    } else {
      arg = power();
      // \sin 2x reads as sin(2x).
      if (arg->integer_literal && is_letter(peek())) arg = node(Op::kMul, {arg, power()});
    }
    // Built whole: GCC 12 misreads a push_back onto a one-element list as out of bounds.
    std::vector<ExprPtr> args = base ? std::vector<ExprPtr>{arg, base} : std::vector<ExprPtr>{arg};
    ExprPtr f = node(Op::kFunction, std::move(args), name);
    return power_of ? node(Op::kPow, {f, power_of}) : f;
  }

  ExprPtr command() {
    const std::string cmd(command_at());
    pos_ += 1 + cmd.size();
    if (cmd == "frac") {
      ExprPtr num = argument();
      ExprPtr den = argument();
      auto e = std::const_pointer_cast<Expr>(node(Op::kDiv, {num, den}));
      e->numeric_frac = num->integer_literal && den->integer_literal;
      return e;
    }
    if (cmd == "sqrt") {
      ExprPtr index;
      if (accept('[')) index = group(']');
      ExprPtr arg = argument();
      return index ? node(Op::kFunction, {arg, index}, "root") : node(Op::kFunction, {arg}, "sqrt");
    }
    if (cmd == "binom") {
      ExprPtr n = argument();
      ExprPtr k = argument();
      return node(Op::kFunction, {n, k}, "binom");
    }
    if (cmd == "pi") return node(Op::kConstant, {}, "pi");
    if (cmd == "infty" || cmd == "infin") return node(Op::kInfinity);
    if (cmd == "exp" || is_function(cmd)) return function(cmd);
    if (is_greek(cmd)) return variable_or_constant("\\" + cmd);
    if (cmd == "boxed") return argument();  // a box left inside a phrase-extracted answer
    fail("unsupported command \\" + cmd);
  }

  std::string_view s_;
  const ParseLimits& limits_;
  size_t pos_ = 0;
  int depth_ = 0;
  size_t nodes_ = 0;
};

}  // namespace

ExprPtr parse_expression(std::string_view text, const ParseLimits& limits, std::string& error) {
  if (text.size() > limits.max_length) {
    error = "answer longer than " + std::to_string(limits.max_length) + " characters";
    return nullptr;
  }
  try {
    return Parser(text, limits).parse();
  } catch (const ParseFailure& e) {
    error = e.what();
  } catch (const std::exception& e) {
    // GMP or allocation failures on hostile input are a parse failure too.
    error = std::string("parse error: ") + e.what();
  }
  return nullptr;
}

}  // namespace rlvr::verifiers::math
