// Evaluating expression trees: exactly over the rationals (GMP), and
// numerically over the complex numbers at a given assignment of the variables.
// Both are bounded (result size, factorial argument, step count) so power
// towers and huge inputs return a status in milliseconds. Pure, thread-safe.
#pragma once

#include <complex>
#include <map>
#include <optional>
#include <string>

#include "verifiers/math/math_expr.h"

namespace rlvr::verifiers::math {

struct EvalLimits {
  std::size_t max_bits = 1u << 20;  // bits of any exact intermediate (1 Mbit, ~315k digits)
  unsigned long max_factorial = 20000;
  std::size_t max_steps = 2000000;  // node visits per evaluation
};

enum class ExactKind {
  kValue,        // `value` holds the exact rational
  kNotRational,  // needs constants, variables, irrational roots or functions
  kTooBig,       // an intermediate would exceed EvalLimits (e.g. 10^{10^{10}})
  kUndefined,    // division by zero, 0^-1, factorial of a non-integer, ...
};

struct ExactResult {
  ExactKind kind = ExactKind::kNotRational;
  mpq_class value;
};

ExactResult evaluate_exact(const Expr& e, const EvalLimits& limits = {});

// The same with variables bound to exact rationals (unbound ones are not
// rational): polynomials and rational functions evaluate exactly.
ExactResult evaluate_exact(const Expr& e, const std::map<std::string, mpq_class>& vars,
                           const EvalLimits& limits = {});

using Complex = std::complex<long double>;

// Value at `vars` (variable name -> value); nullopt when undefined or
// infinite there, or when the step budget runs out.
std::optional<Complex> evaluate_numeric(const Expr& e, const std::map<std::string, long double>& vars,
                                        const EvalLimits& limits = {});

// +1 or -1 when `e` is a signed infinity (\infty, -\infty, +\infty), else 0.
int infinity_sign(const Expr& e);
bool contains_infinity(const Expr& e);

// Exact canonical form of an integer power tower `a^b` too big to expand:
// root r (not itself a perfect power) and exponent n with value r^n.
struct PowerForm {
  mpz_class root;
  mpz_class exponent;
};
std::optional<PowerForm> power_form(const Expr& e, const EvalLimits& limits = {});

// Every variable name in `e`, added to `names`.
void collect_variables(const Expr& e, std::map<std::string, long double>& names);

}  // namespace rlvr::verifiers::math
