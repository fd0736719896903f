// "countdown": reach a target with + - * / over given numbers, each used at most
// once. A task draws num_count numbers uniform in 1..max_number and builds a
// random expression over a random subset of two or more of them (intermediate
// results positive integers, division only when exact); its value is the target,
// redrawn until it is at most max_target. Prompt "3 7 25 -> 46:" (short ASCII for
// char-level models), solution "25+3*7" (minimal parentheses), reference "46",
// meta["numbers"] "3,7,25". Verified by "countdown". A TaskGenerator
// (envs/task_generator.h) with difficulty attributes num_count and max_number
// (env.countdown's at env.level -1); max_target stays a setting. Thread-safe.
#include <algorithm>
#include <utility>
#include <vector>

#include "core/error.h"
#include "envs/generator_util.h"

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

class CountdownGenerator : public TaskGenerator {
 public:
  explicit CountdownGenerator(const config::EnvConfig& config) : max_target_(config.countdown().max_target()) {
    if (max_target_ < 1) {
      throw ConfigError("env.countdown.max_target must be at least 1, got " + std::to_string(max_target_));
    }
  }

  std::vector<DifficultyAttribute> attributes() const override {
    return {{"num_count", "numbers given", {2, 3, 4, 5, 6}},
            {"max_number", "numbers are drawn from 1..max_number", {10, 20, 50, 100, 200}}};
  }

  Difficulty configured_difficulty(const config::EnvConfig& config) const override {
    return Difficulty({{"num_count", config.countdown().num_count()}, {"max_number", config.countdown().max_number()}});
  }

  void check(const Difficulty& difficulty) const override {
    // 6 numbers of at most 1000 stay below 1001^6 < 2^63 whatever the operators.
    if (difficulty["num_count"] < 2 || difficulty["num_count"] > 6) {
      throw ConfigError("env.countdown.num_count must be in 2..6, got " + std::to_string(difficulty["num_count"]));
    }
    if (difficulty["max_number"] < 2 || difficulty["max_number"] > 1000) {
      throw ConfigError("env.countdown.max_number must be in 2..1000, got " +
                        std::to_string(difficulty["max_number"]));
    }
  }

  Task generate(Rng& rng, const Difficulty& difficulty) const override {
    static constexpr char kOps[] = "+-*/";
    const int64_t count = difficulty["num_count"];
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
      std::vector<int64_t> numbers(count);
      for (int64_t& n : numbers) n = uniform_int(rng, 1, difficulty["max_number"]);

      // A random subset of size >= 2: the first `used` entries of a partial shuffle.
      std::vector<int64_t> order = numbers;
      const auto used = static_cast<size_t>(uniform_int(rng, 2, count));
      partial_shuffle(order, used, rng);
      std::vector<Node> pool;
      for (size_t i = 0; i < used; ++i) pool.push_back(Node{order[i], std::to_string(order[i]), kLiteral});
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
      if (expr.value > max_target_) continue;

      Task t;
      t.prompt = join_numbers(numbers, " ") + " -> " + std::to_string(expr.value) + ":";
      t.reference = std::to_string(expr.value);
      t.solution = expr.text;
      t.verifier = "countdown";
      t.meta["numbers"] = join_numbers(numbers, ",");
      return t;
    }
    throw Error("countdown: no expression reached a target <= env.countdown.max_target = " +
                std::to_string(max_target_) + " in " + std::to_string(kMaxAttempts) + " draws; raise max_target");
  }

 private:
  int64_t max_target_;
};

}  // namespace

RLVR_REGISTER_GENERATOR("countdown", CountdownGenerator);

}  // namespace rlvr::envs
