#include "verifiers/math/math_eval.h"

#include <cmath>

namespace rlvr::verifiers::math {
namespace {

size_t bits(const mpz_class& z) { return mpz_sizeinbase(z.get_mpz_t(), 2); }
size_t bits(const mpq_class& q) { return bits(q.get_num()) + bits(q.get_den()); }

ExactResult value_of(mpq_class v) { return {ExactKind::kValue, std::move(v)}; }
ExactResult kind_of(ExactKind k) { return {k, {}}; }

// The worse of two statuses: undefined beats too big beats not rational.
ExactKind worse(ExactKind a, ExactKind b) {
  auto rank = [](ExactKind k) {
    switch (k) {
      case ExactKind::kUndefined: return 3;
      case ExactKind::kTooBig: return 2;
      case ExactKind::kNotRational: return 1;
      case ExactKind::kValue: return 0;
    }
    return 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

// Exact q-th root of a rational, when there is one.
std::optional<mpq_class> exact_root(const mpq_class& v, unsigned long q) {
  if (v < 0 && q % 2 == 0) return std::nullopt;
  const bool negative = v < 0;
  mpz_class num = abs(v.get_num()), den = v.get_den();
  mpz_class rn, rd;
  if (mpz_root(rn.get_mpz_t(), num.get_mpz_t(), q) == 0) return std::nullopt;
  if (mpz_root(rd.get_mpz_t(), den.get_mpz_t(), q) == 0) return std::nullopt;
  mpq_class r(negative ? mpz_class(-rn) : rn, rd);
  r.canonicalize();
  return r;
}

class ExactEvaluator {
 public:
  ExactEvaluator(const EvalLimits& limits, const std::map<std::string, mpq_class>* vars)
      : limits_(limits), vars_(vars) {}

  ExactResult run(const Expr& e) {
    if (++steps_ > limits_.max_steps) return kind_of(ExactKind::kTooBig);
    switch (e.op) {
      case Op::kNumber: return value_of(e.number);
      case Op::kVariable: {
        if (vars_ == nullptr) return kind_of(ExactKind::kNotRational);
        const auto it = vars_->find(e.name);
        return it != vars_->end() ? value_of(it->second) : kind_of(ExactKind::kNotRational);
      }
      case Op::kConstant:
      case Op::kInfinity: return kind_of(ExactKind::kNotRational);
      case Op::kAdd:
      case Op::kMul: {
        ExactResult acc = value_of(e.op == Op::kAdd ? 0 : 1);
        for (const ExprPtr& arg : e.args) {
          ExactResult r = run(*arg);
          if (r.kind != ExactKind::kValue || acc.kind != ExactKind::kValue) {
            acc.kind = worse(acc.kind, r.kind);
            continue;
          }
          acc.value = e.op == Op::kAdd ? mpq_class(acc.value + r.value) : mpq_class(acc.value * r.value);
          if (bits(acc.value) > limits_.max_bits) acc.kind = ExactKind::kTooBig;
        }
        return acc;
      }
      case Op::kDiv: {
        ExactResult n = run(*e.args[0]);
        ExactResult d = run(*e.args[1]);
        if (d.kind == ExactKind::kValue && d.value == 0) return kind_of(ExactKind::kUndefined);
        if (n.kind != ExactKind::kValue || d.kind != ExactKind::kValue) return kind_of(worse(n.kind, d.kind));
        return value_of(n.value / d.value);
      }
      case Op::kNeg: {
        ExactResult r = run(*e.args[0]);
        if (r.kind == ExactKind::kValue) r.value = -r.value;
        return r;
      }
      case Op::kPow: return power(run(*e.args[0]), run(*e.args[1]));
      case Op::kFactorial: {
        ExactResult r = run(*e.args[0]);
        if (r.kind != ExactKind::kValue) return r;
        if (r.value.get_den() != 1 || r.value < 0) return kind_of(ExactKind::kUndefined);
        if (r.value > limits_.max_factorial) return kind_of(ExactKind::kTooBig);
        mpz_class f;
        mpz_fac_ui(f.get_mpz_t(), r.value.get_num().get_ui());
        return value_of(mpq_class(f));
      }
      case Op::kFunction: return function(e);
    }
    return kind_of(ExactKind::kNotRational);
  }

 private:
  ExactResult power(const ExactResult& base, const ExactResult& exp) {
    if (base.kind != ExactKind::kValue || exp.kind != ExactKind::kValue) {
      return kind_of(worse(base.kind, exp.kind));
    }
    const mpq_class& b = base.value;
    const mpq_class& x = exp.value;
    if (x.get_den() != 1) {
      // Rational exponent p/q: exact only when b has an exact q-th root.
      if (!x.get_den().fits_ulong_p() || x.get_den() > 64) return kind_of(ExactKind::kNotRational);
      std::optional<mpq_class> root = exact_root(b, x.get_den().get_ui());
      if (!root) return kind_of(ExactKind::kNotRational);
      return power(value_of(*root), value_of(mpq_class(x.get_num())));
    }
    if (b == 0) return x < 0 ? kind_of(ExactKind::kUndefined) : value_of(x == 0 ? 1 : 0);
    if (b == 1) return value_of(1);
    if (b == -1) return value_of(mpz_odd_p(x.get_num().get_mpz_t()) ? -1 : 1);
    const mpz_class n = abs(x.get_num());
    if (!n.fits_ulong_p() || mpz_class(n * bits(b)) > limits_.max_bits) return kind_of(ExactKind::kTooBig);
    mpz_class num, den;
    mpz_pow_ui(num.get_mpz_t(), b.get_num().get_mpz_t(), n.get_ui());
    mpz_pow_ui(den.get_mpz_t(), b.get_den().get_mpz_t(), n.get_ui());
    mpq_class r(num, den);
    r.canonicalize();
    return value_of(x < 0 ? mpq_class(1 / r) : r);
  }

  ExactResult function(const Expr& e) {
    const std::string& f = e.name;
    if (f != "sqrt" && f != "root" && f != "binom" && f != "abs") return kind_of(ExactKind::kNotRational);
    ExactResult a = run(*e.args[0]);
    if (f == "abs") {
      if (a.kind == ExactKind::kValue) a.value = abs(a.value);
      return a;
    }
    ExactResult b = f == "sqrt" ? value_of(2) : run(*e.args[1]);
    if (a.kind != ExactKind::kValue || b.kind != ExactKind::kValue) return kind_of(worse(a.kind, b.kind));
    if (f == "binom") {
      const mpq_class& n = a.value;
      const mpq_class& k = b.value;
      if (n.get_den() != 1 || k.get_den() != 1) return kind_of(ExactKind::kNotRational);
      if (k < 0 || n < 0 || k > n) return value_of(0);
      if (!n.get_num().fits_ulong_p() || n > 100000) return kind_of(ExactKind::kTooBig);
      mpz_class r;
      mpz_bin_uiui(r.get_mpz_t(), n.get_num().get_ui(), k.get_num().get_ui());
      return value_of(mpq_class(r));
    }
    // root: index b must be an integer >= 2.
    if (b.value.get_den() != 1 || b.value < 2 || b.value > 64) return kind_of(ExactKind::kNotRational);
    std::optional<mpq_class> r = exact_root(a.value, b.value.get_num().get_ui());
    return r ? value_of(*r) : kind_of(ExactKind::kNotRational);
  }

  const EvalLimits& limits_;
  const std::map<std::string, mpq_class>* vars_;  // null: variables are not rational
  size_t steps_ = 0;
};

class NumericEvaluator {
 public:
  NumericEvaluator(const std::map<std::string, long double>& vars, const EvalLimits& limits)
      : vars_(vars), limits_(limits) {}

  // NaN signals undefined; the caller turns it into nullopt.
  Complex run(const Expr& e) {
    const Complex nan(NAN, NAN);
    if (++steps_ > limits_.max_steps) return nan;
    switch (e.op) {
      case Op::kNumber: return Complex(e.number.get_d(), 0);
      case Op::kConstant:
        if (e.name == "pi") return Complex(M_PIl, 0);
        if (e.name == "e") return Complex(std::exp(1.0L), 0);
        return Complex(0, 1);
      case Op::kVariable: {
        const auto it = vars_.find(e.name);
        return it == vars_.end() ? nan : Complex(it->second, 0);
      }
      case Op::kInfinity: return nan;
      case Op::kAdd: {
        Complex acc = 0;
        for (const ExprPtr& arg : e.args) acc += run(*arg);
        return acc;
      }
      case Op::kMul: {
        Complex acc = 1;
        for (const ExprPtr& arg : e.args) acc *= run(*arg);
        return acc;
      }
      case Op::kDiv: {
        const Complex d = run(*e.args[1]);
        if (std::abs(d) == 0) return nan;
        return run(*e.args[0]) / d;
      }
      // 0 - z, not -z: a negated real keeps imaginary part +0, so sqrt(-2) is +i*sqrt(2).
      case Op::kNeg: return Complex(0) - run(*e.args[0]);
      case Op::kPow: return power(run(*e.args[0]), run(*e.args[1]));
      case Op::kFactorial: {
        const Complex n = run(*e.args[0]);
        if (n.imag() != 0 || n.real() < 0 || n.real() > 1700) return nan;
        return Complex(std::tgamma(n.real() + 1), 0);
      }
      case Op::kFunction: return function(e);
    }
    return nan;
  }

 private:
  static Complex power(Complex b, Complex x) {
    // Integer exponents by squaring: exact for (1+i)^2 and i^3, unlike exp(log).
    if (x.imag() == 0 && std::fabs(x.real()) <= 4096 && x.real() == std::round(x.real())) {
      long n = std::lround(x.real());
      const bool invert = n < 0;
      if (invert) n = -n;
      Complex r = 1;
      while (n > 0) {
        if (n & 1) r *= b;
        b *= b;
        n >>= 1;
      }
      return invert ? Complex(1) / r : r;
    }
    if (b.imag() == 0 && b.real() > 0 && x.imag() == 0) return Complex(std::pow(b.real(), x.real()), 0);
    if (std::abs(b) == 0) return Complex(0);
    return std::pow(b, x);
  }

  Complex function(const Expr& e) {
    const Complex nan(NAN, NAN);
    const std::string& f = e.name;
    const Complex a = run(*e.args[0]);
    if (f == "sqrt") return std::sqrt(a);
    if (f == "root") {
      const Complex n = run(*e.args[1]);
      // The real cube root of a negative number, as in \sqrt[3]{-8} = -2.
      if (a.imag() == 0 && a.real() < 0 && n.imag() == 0 && std::fmod(n.real(), 2.0L) == 1) {
        return Complex(-std::pow(-a.real(), 1 / n.real()), 0);
      }
      return power(a, Complex(1) / n);
    }
    if (f == "binom") {
      const Complex k = run(*e.args[1]);
      if (a.imag() != 0 || k.imag() != 0) return nan;
      return Complex(std::tgamma(a.real() + 1) / (std::tgamma(k.real() + 1) * std::tgamma(a.real() - k.real() + 1)), 0);
    }
    if (f == "sin") return std::sin(a);
    if (f == "cos") return std::cos(a);
    if (f == "tan") return std::tan(a);
    if (f == "sec") return Complex(1) / std::cos(a);
    if (f == "csc") return Complex(1) / std::sin(a);
    if (f == "cot") return Complex(1) / std::tan(a);
    if (f == "arcsin" || f == "asin") return std::asin(a);
    if (f == "arccos" || f == "acos") return std::acos(a);
    if (f == "arctan" || f == "atan") return std::atan(a);
    if (f == "sinh") return std::sinh(a);
    if (f == "cosh") return std::cosh(a);
    if (f == "tanh") return std::tanh(a);
    if (f == "exp") return std::exp(a);
    if (f == "abs") return Complex(std::abs(a), 0);
    if (f == "log10") return std::log10(a);
    if (f == "ln" || f == "log") {
      if (std::abs(a) == 0) return nan;
      if (e.args.size() > 1) return std::log(a) / std::log(run(*e.args[1]));
      return std::log(a);
    }
    return nan;
  }

  const std::map<std::string, long double>& vars_;
  const EvalLimits& limits_;
  size_t steps_ = 0;
};

}  // namespace

ExactResult evaluate_exact(const Expr& e, const EvalLimits& limits) {
  return ExactEvaluator(limits, nullptr).run(e);
}

ExactResult evaluate_exact(const Expr& e, const std::map<std::string, mpq_class>& vars,
                           const EvalLimits& limits) {
  return ExactEvaluator(limits, &vars).run(e);
}

std::optional<Complex> evaluate_numeric(const Expr& e, const std::map<std::string, long double>& vars,
                                        const EvalLimits& limits) {
  const Complex v = NumericEvaluator(vars, limits).run(e);
  if (!std::isfinite(v.real()) || !std::isfinite(v.imag())) return std::nullopt;
  return v;
}

int infinity_sign(const Expr& e) {
  if (e.op == Op::kInfinity) return 1;
  if (e.op == Op::kNeg) return -infinity_sign(*e.args[0]);
  return 0;
}

bool contains_infinity(const Expr& e) {
  if (e.op == Op::kInfinity) return true;
  for (const ExprPtr& arg : e.args) {
    if (contains_infinity(*arg)) return true;
  }
  return false;
}

std::optional<PowerForm> power_form(const Expr& e, const EvalLimits& limits) {
  if (e.op != Op::kPow) return std::nullopt;
  const ExactResult base = evaluate_exact(*e.args[0], limits);
  const ExactResult exp = evaluate_exact(*e.args[1], limits);
  if (base.kind != ExactKind::kValue || exp.kind != ExactKind::kValue) return std::nullopt;
  if (base.value.get_den() != 1 || base.value <= 1 || exp.value.get_den() != 1) return std::nullopt;
  PowerForm form{base.value.get_num(), exp.value.get_num()};
  // Reduce the base to its primitive root: 4^(2^99) and 2^(2^100) share one form.
  // Bases of thousands of digits are left as written (one root test per bit).
  const unsigned long max_k = bits(form.root) <= 4096 ? bits(form.root) : 1;
  for (unsigned long k = max_k; k >= 2; --k) {
    mpz_class r;
    if (mpz_root(r.get_mpz_t(), form.root.get_mpz_t(), k) != 0) {
      form.root = r;
      form.exponent *= k;
      break;
    }
  }
  return form;
}

void collect_variables(const Expr& e, std::map<std::string, long double>& names) {
  if (e.op == Op::kVariable) names.emplace(e.name, 0);
  for (const ExprPtr& arg : e.args) collect_variables(*arg, names);
}

}  // namespace rlvr::verifiers::math
