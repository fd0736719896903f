// 200,000 random and mutated inputs: the verifier must return a verdict for
// each, quickly, without throwing or crashing. Call times are the thread's CPU
// time, so a busy machine's scheduling does not count against the verifier.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <random>
#include <string>
#include <thread>

#include "verifiers/math/math_verifier.h"

namespace rlvr::verifiers {
namespace {

constexpr int kFuzzCalls = 200000;
constexpr double kMaxFuzzCallSeconds = 0.05;  // any fuzzed verify()
constexpr double kMaxCallSeconds = 0.5;       // any hostile verify()

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Random bytes (any value, NUL included), for the extraction stage.
std::string random_bytes(std::mt19937& rng, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

const std::vector<std::string> kSeeds = {
    "\\frac{1}{2}", "3\\sqrt{2}", "(x+1)^2", "\\{1,2\\}", "[0,1)", "x=3", "10^{10^{10}}",
    "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "2\\frac13", "0.\\overline{6}", "\\sin^2 x", "3e8",
    "(-\\infty,0)\\cup(1,\\infty)", "\\binom{60}{30}", "25!", "e^{i\\pi}", "12\\%", "60^\\circ"};
const std::string kAlphabet = "0123456789+-*/^_{}()[]\\,.=<>!|&$ xiepa";
const std::vector<std::string> kTokens = {"\\frac", "\\sqrt", "\\boxed{", "}", "^{", "\\infty", "\\pi",
                                          "\\left(", "\\right)", "\\cup", "\\pm", "!", "\\\\", "&",
                                          "\\begin{pmatrix}", "\\end{pmatrix}", "\\text{", "\\{", "\\}"};

std::string mutate(std::string s, std::mt19937& rng) {
  const int edits = 1 + static_cast<int>(rng() % 6);
  for (int k = 0; k < edits; ++k) {
    const size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 4) {
      case 0: s.insert(at, 1, kAlphabet[rng() % kAlphabet.size()]); break;
      case 1: s.insert(at, kTokens[rng() % kTokens.size()]); break;
      case 2: if (at < s.size()) s.erase(at, 1 + rng() % 3); break;
      default: s.insert(at, s.substr(0, std::min<size_t>(s.size(), 20))); break;
    }
  }
  return s;
}

TEST(MathRobustness, RandomAndMutatedAnswersGetBoundedVerdicts) {
  MathVerifier verifier;
  std::mt19937 rng(12345);
  double worst = 0;
  std::string worst_input;
  for (int call = 0; call < kFuzzCalls; ++call) {
    Task task;
    task.reference = kSeeds[rng() % kSeeds.size()];
    std::string completion;
    switch (rng() % 10) {
      case 0: completion = random_bytes(rng, 1 + rng() % 300); break;
      case 1: completion = std::string(1 + rng() % 5000, kAlphabet[rng() % kAlphabet.size()]); break;
      case 2: completion = "\\boxed{" + std::string(1 + rng() % 500, '{') + "7"; break;
      case 3: completion = "\\boxed{" + std::to_string(rng()) + std::string(rng() % 400, '9') + "}"; break;
      default: completion = "so $\\boxed{" + mutate(kSeeds[rng() % kSeeds.size()], rng) + "}$";
    }
    const double t0 = thread_cpu_seconds();
    Verdict v;
    EXPECT_NO_THROW(v = verifier.verify(task, completion)) << completion.substr(0, 80);
    const double seconds = thread_cpu_seconds() - t0;
    if (seconds > worst) {
      worst = seconds;
      worst_input = completion.substr(0, 80);
    }
    EXPECT_EQ(v.correct, v.status == VerdictStatus::kCorrect);
  }
  std::cout << kFuzzCalls << " fuzzed verifications, slowest " << worst * 1e3 << " ms: " << worst_input
            << "\n";
  EXPECT_LT(worst, kMaxFuzzCallSeconds) << worst_input;
}

// A 1 MB completion is handled in linear time: 4x the text costs far less than
// the 16x a quadratic scan would. The repeated units stress each extraction
// path: prose before a box, dollar signs that never close a math group, boxes
// and math groups that all join into one answer, chat markers.
TEST(MathRobustness, LongCompletionsTakeLinearTime) {
  MathVerifier verifier;
  Task task;
  task.reference = "42";
  for (const std::string unit : {"and then we add {3} to (x + 1)^2, giving 17. ", "$5 and $ 6, ", "\\boxed{1}, ",
                                 "$1$, ", "<|im_start|>", "Final Answer: is $"}) {
    const auto cost = [&](size_t bytes) {
      std::string text;
      while (text.size() < bytes) text += unit;
      const double t0 = thread_cpu_seconds();
      EXPECT_NO_THROW(verifier.verify(task, text + " \\boxed{42}"));
      return thread_cpu_seconds() - t0;
    };
    cost(1 << 18);  // warm-up
    const double one = cost(1 << 20), four = cost(1 << 22);
    std::cout << "'" << unit << "' 1 MB: " << one * 1e3 << " ms, 4 MB: " << four * 1e3 << " ms\n";
    EXPECT_LT(four, 8 * one + 0.01) << unit;
  }
}

TEST(MathRobustness, HostileAnswersReturnQuickly) {
  MathVerifier verifier;
  Task task;
  task.reference = "5";
  std::string big_digits(5000, '9');
  for (const std::string& answer :
       {std::string("10^{10^{10^{10}}}"), std::string("3^{1000000}"), std::string("(10^{10})!"),
        std::string("\\binom{10^{9}}{5}"), big_digits + "^" + big_digits, std::string(100000, '('),
        std::string("2^{2^{2^{2^{2^{2}}}}}"), std::string("10^{-10^{10}}"), std::string("0^{-1}")}) {
    const auto t0 = std::chrono::steady_clock::now();
    const Verdict v = verifier.verify(task, "\\boxed{" + answer + "}");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(seconds, kMaxCallSeconds) << answer.substr(0, 40);
    EXPECT_FALSE(v.correct) << answer.substr(0, 40);
  }
}

// verify() is documented thread-safe: one verifier shared by several threads
// gives each the verdicts it gives alone.
TEST(MathRobustness, SharedVerifierIsThreadSafe) {
  MathVerifier verifier;
  std::vector<std::pair<std::string, std::string>> cases;
  for (const std::string& gold : kSeeds) {
    for (const std::string& answer : kSeeds) cases.emplace_back(gold, "\\boxed{" + answer + "}");
  }
  std::vector<bool> expected;
  for (const auto& [gold, completion] : cases) {
    Task task;
    task.reference = gold;
    expected.push_back(verifier.verify(task, completion).correct);
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < cases.size(); ++i) {
        Task task;
        task.reference = cases[i].first;
        mismatches[t] += verifier.verify(task, cases[i].second).correct != expected[i];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace rlvr::verifiers
