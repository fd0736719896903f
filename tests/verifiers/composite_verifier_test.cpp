#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/error.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

// Verifiers with known verdicts, so composite rewards can be computed by hand.
class Scripted : public Verifier {
 public:
  explicit Scripted(std::string word) : word_(std::move(word)) {}
  std::string name() const override { return "scripted"; }
  // Correct (reward 1) when the completion contains the word; otherwise wrong
  // with reward 0.25; "boom" throws and "???" cannot be judged. Scripted("boom")
  // therefore always fails.
  Verdict verify(const Task&, std::string_view completion) const override {
    if (word_ == "boom" || completion.find("boom") != std::string_view::npos) throw std::runtime_error("verifier bug");
    if (completion.find("???") != std::string_view::npos) return make_verdict(VerdictStatus::kUnjudged, "time-out");
    if (completion.find(word_) != std::string_view::npos) return make_verdict(VerdictStatus::kCorrect, "found", word_);
    Verdict v = make_verdict(VerdictStatus::kWrong, "missing " + word_, "x");
    v.reward = 0.25;
    return v;
  }

 private:
  std::string word_;
};

const bool kRegistered = [] {
  register_verifier("scripted_fmt", [](const config::VerifierConfig&) { return std::make_unique<Scripted>("FMT"); });
  register_verifier("scripted_ok", [](const config::VerifierConfig&) { return std::make_unique<Scripted>("OK"); });
  register_verifier("scripted_len", [](const config::VerifierConfig&) { return std::make_unique<Scripted>("LEN"); });
  register_verifier("scripted_broken", [](const config::VerifierConfig&) { return std::make_unique<Scripted>("boom"); });
  return true;
}();

config::CompositeComponent* add(config::VerifierConfig& c, const std::string& name, const std::string& verifier,
                                double weight) {
  auto* component = c.mutable_composite()->add_component();
  component->set_name(name);
  component->set_verifier(verifier);
  component->set_weight(weight);
  return component;
}

// correct (weight 1, gated by format) + format (weight 0.5) + length (monitor only).
config::VerifierConfig rubric() {
  config::VerifierConfig c;
  add(c, "correct", "scripted_ok", 1)->set_gate("format");
  add(c, "format", "scripted_fmt", 0.5);
  add(c, "length", "scripted_len", 3)->set_monitor_only(true);
  return c;
}

Verdict judge(const config::VerifierConfig& c, const std::string& completion) {
  Task task;
  task.verifier = "scripted_ok";
  return make_verifier("composite", c)->verify(task, completion);
}

double component(const Verdict& v, const std::string& name) {
  for (const auto& [n, value] : v.components) {
    if (n == name) return value;
  }
  ADD_FAILURE() << "no component " << name;
  return -1;
}

TEST(CompositeVerifier, WeightsGatesAndMonitorOnlyTermsMatchHandComputedRewards) {
  ASSERT_TRUE(kRegistered);
  const auto c = rubric();
  // Everything passes: 1 x 1 + 0.5 x 1; the monitor-only term adds nothing.
  Verdict v = judge(c, "OK FMT LEN");
  EXPECT_DOUBLE_EQ(v.reward, 1.5);
  EXPECT_TRUE(v.correct);
  EXPECT_EQ(v.status, VerdictStatus::kCorrect);
  EXPECT_EQ(v.answer, "OK");
  EXPECT_DOUBLE_EQ(component(v, "correct"), 1);
  EXPECT_DOUBLE_EQ(component(v, "format"), 1);
  EXPECT_DOUBLE_EQ(component(v, "length"), 1);
  // Right answer, wrong format: the gate drops the correctness term, the
  // format term gives 0.5 x 0.25; accuracy still sees a correct answer.
  v = judge(c, "OK");
  EXPECT_DOUBLE_EQ(v.reward, 0.125);
  EXPECT_TRUE(v.correct);
  EXPECT_DOUBLE_EQ(component(v, "correct"), 1);
  EXPECT_DOUBLE_EQ(component(v, "length"), 0.25);
  // Format right, answer wrong: 1 x 0.25 + 0.5 x 1.
  v = judge(c, "FMT");
  EXPECT_DOUBLE_EQ(v.reward, 0.75);
  EXPECT_FALSE(v.correct);
  EXPECT_EQ(v.status, VerdictStatus::kWrong);
  // The components come in config order.
  ASSERT_EQ(v.components.size(), 3u);
  EXPECT_EQ(v.components[0].first, "correct");
  EXPECT_EQ(v.components[2].first, "length");
}

TEST(CompositeVerifier, CorrectnessComponentCanBeNamedAndTheTasksOwnVerifierUsed) {
  config::VerifierConfig c;
  add(c, "format", "scripted_fmt", 1);
  add(c, "answer", "", 2);  // the task's own verifier (scripted_ok)
  c.mutable_composite()->set_correctness("answer");
  const Verdict v = judge(c, "OK");
  EXPECT_TRUE(v.correct);
  EXPECT_DOUBLE_EQ(v.reward, 0.25 + 2);
  EXPECT_FALSE(judge(c, "FMT").correct);
}

TEST(CompositeVerifier, AFailingOrUnjudgedRewardedComponentMakesTheVerdictUnjudged) {
  const auto c = rubric();
  Verdict v = judge(c, "OK FMT boom");
  EXPECT_EQ(v.status, VerdictStatus::kUnjudged);
  EXPECT_FALSE(v.correct);
  v = judge(c, "OK FMT ???");
  EXPECT_EQ(v.status, VerdictStatus::kUnjudged);
  // A monitor-only component that cannot judge changes nothing.
  config::VerifierConfig monitored;
  add(monitored, "correct", "scripted_ok", 1);
  add(monitored, "watch", "scripted_broken", 1)->set_monitor_only(true);
  v = judge(monitored, "OK");
  EXPECT_EQ(v.status, VerdictStatus::kCorrect);
  EXPECT_DOUBLE_EQ(v.reward, 1);
}

TEST(CompositeVerifier, NeverThrowsOnModelOutput) {
  config::VerifierConfig c;
  add(c, "number", "exact_number", 1);
  add(c, "fact", "fact", 0.5);
  Task task;
  task.reference = "42";
  const auto verifier = make_verifier("composite", c);
  for (const std::string& completion :
       {std::string(), std::string("  \n"), std::string("42"), std::string("ça fait 42 € 🎉"),
        std::string("\xff\xfe\x80 invalid utf-8"), std::string(1 << 20, '7'), std::string(1 << 20, '\0')}) {
    Verdict v;
    ASSERT_NO_THROW(v = verifier->verify(task, completion)) << completion.substr(0, 40);
    EXPECT_GE(v.reward, 0);
    EXPECT_LE(v.reward, 1.5);
    EXPECT_EQ(v.components.size(), 2u);
  }
  const Verdict right = verifier->verify(task, "42");
  EXPECT_TRUE(right.correct);
  EXPECT_DOUBLE_EQ(right.reward, 1.5);
  EXPECT_EQ(verifier->verify(task, "").status, VerdictStatus::kNoAnswer);
}

void expect_config_error(const config::VerifierConfig& c, const std::string& field) {
  try {
    make_verifier("composite", c);
    ADD_FAILURE() << "no error for " << field;
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(field + ": ", 0), 0u) << e.what();
  }
}

TEST(CompositeVerifier, BadConfigsNameTheField) {
  expect_config_error(config::VerifierConfig(), "verifier.composite.component");
  config::VerifierConfig unknown;
  add(unknown, "a", "scripted_ok", 1);
  add(unknown, "b", "no_such_verifier", 1);
  expect_config_error(unknown, "verifier.composite.component[1].verifier");
  config::VerifierConfig negative;
  add(negative, "a", "scripted_ok", -1);
  expect_config_error(negative, "verifier.composite.component[0].weight");
  config::VerifierConfig gate;
  add(gate, "a", "scripted_ok", 1)->set_gate("nope");
  expect_config_error(gate, "verifier.composite.component[0].gate");
  config::VerifierConfig twice;
  add(twice, "a", "scripted_ok", 1);
  add(twice, "a", "scripted_fmt", 1);
  expect_config_error(twice, "verifier.composite.component[1].name");
  config::VerifierConfig nested;
  add(nested, "a", "composite", 1);
  expect_config_error(nested, "verifier.composite.component[0].verifier");
  config::VerifierConfig monitors;
  add(monitors, "a", "scripted_ok", 1)->set_monitor_only(true);
  expect_config_error(monitors, "verifier.composite.component");
  config::VerifierConfig correctness;
  add(correctness, "a", "scripted_ok", 1);
  correctness.mutable_composite()->set_correctness("b");
  expect_config_error(correctness, "verifier.composite.correctness");
}

}  // namespace
}  // namespace rlvr::verifiers
