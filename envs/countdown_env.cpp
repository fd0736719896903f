#include "envs/countdown_env.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/text_util.h"

namespace rlvr::envs {
namespace {

// Whole-task redraws before giving up on a target range the numbers cannot hit.
constexpr int kMaxAttempts = 100'000;

// A sub-expression: its value, its text and the precedence of its top operator
// (literals bind tightest), which decides where parentheses are needed.
struct Node {
  int64_t value;
  std::string text;
  int precedence;
};

constexpr int kLiteral = 3;

int precedence(char op) { return op == '+' || op == '-' ? 1 : 2; }

// Minimal parentheses under exact rational semantics: a child needs them when it
// binds looser than `op`, or equally loosely on the right of '-' or '/'.
// (a*(b/c) prints as a*b/c: equal as rationals, which is how answers are checked.)
Node combine(const Node& left, char op, const Node& right) {
  const int p = precedence(op);
  const bool wrap_left = left.precedence < p;
  const bool wrap_right = right.precedence < p || (right.precedence == p && (op == '-' || op == '/'));
  const int64_t value = op == '+'   ? left.value + right.value
                        : op == '-' ? left.value - right.value
                        : op == '*' ? left.value * right.value
                                    : left.value / right.value;
  return Node{value,
              (wrap_left ? "(" + left.text + ")" : left.text) + op +
                  (wrap_right ? "(" + right.text + ")" : right.text),
              p};
}

bool allowed(const Node& left, char op, const Node& right) {
  if (op == '-') return left.value > right.value;
  if (op == '/') return left.value % right.value == 0;
  return true;
}

}  // namespace

CountdownEnvironment::CountdownEnvironment(const config::EnvConfig& config)
    : ProceduralEnvironment("countdown", config), config_(config.countdown()) {
  // 6 numbers of at most 1000 stay below 1001^6 < 2^63 whatever the operators.
  if (config_.num_count() < 2 || config_.num_count() > 6) {
    throw ConfigError("env.countdown.num_count must be in 2..6, got " +
                      std::to_string(config_.num_count()));
  }
  if (config_.max_number() < 2 || config_.max_number() > 1000) {
    throw ConfigError("env.countdown.max_number must be in 2..1000, got " +
                      std::to_string(config_.max_number()));
  }
  if (config_.max_target() < 1) {
    throw ConfigError("env.countdown.max_target must be at least 1, got " +
                      std::to_string(config_.max_target()));
  }
}

Task CountdownEnvironment::generate(Rng& rng) const {
  static constexpr char kOps[] = "+-*/";
  const int count = config_.num_count();
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    std::vector<int64_t> numbers(count);
    for (int64_t& n : numbers) n = uniform_int(rng, 1, config_.max_number());

    // A random subset of size >= 2: the first `used` entries of a partial shuffle.
    std::vector<int64_t> order = numbers;
    const int used = static_cast<int>(uniform_int(rng, 2, count));
    std::vector<Node> pool;
    for (int i = 0; i < used; ++i) {
      std::swap(order[i], order[uniform_int(rng, i, count - 1)]);
      pool.push_back(Node{order[i], std::to_string(order[i]), kLiteral});
    }
    // Combine two random sub-expressions until one remains. '+' and '*' are
    // always allowed, so redrawing the operator terminates.
    while (pool.size() > 1) {
      const auto last = static_cast<int64_t>(pool.size()) - 1;
      const size_t i = uniform_int(rng, 0, last);
      size_t j = uniform_int(rng, 0, last - 1);
      if (j >= i) ++j;
      char op;
      do {
        op = kOps[uniform_int(rng, 0, 3)];
      } while (!allowed(pool[i], op, pool[j]));
      Node node = combine(pool[i], op, pool[j]);
      pool.erase(pool.begin() + std::max(i, j));
      pool.erase(pool.begin() + std::min(i, j));
      pool.push_back(std::move(node));
    }
    const Node& expr = pool.front();
    if (expr.value > config_.max_target()) continue;

    std::vector<std::string> texts;
    for (int64_t n : numbers) texts.push_back(std::to_string(n));
    Task t;
    t.prompt = join(texts, " ") + " -> " + std::to_string(expr.value) + ":";
    t.reference = std::to_string(expr.value);
    t.solution = expr.text;
    t.verifier = "countdown";
    t.meta["numbers"] = join(texts, ",");
    return t;
  }
  throw Error("countdown: no expression reached a target <= env.countdown.max_target = " +
              std::to_string(config_.max_target()) + " in " + std::to_string(kMaxAttempts) +
              " draws; raise max_target");
}

RLVR_REGISTER_ENVIRONMENT("countdown", CountdownEnvironment);

}  // namespace rlvr::envs
