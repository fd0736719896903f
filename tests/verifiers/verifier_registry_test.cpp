#include "verifiers/verifier.h"

#include <gtest/gtest.h>

#include <new>
#include <stdexcept>

#include "core/error.h"

namespace rlvr::verifiers {
namespace {

class AlwaysRight : public Verifier {
 public:
  std::string name() const override { return "always_right"; }
  Verdict verify(const Task&, std::string_view) const override {
    Verdict v;
    v.reward = 1;
    v.correct = true;
    v.status = VerdictStatus::kCorrect;
    v.detail = "ok";
    return v;
  }
};

TEST(VerifierRegistry, StatusNames) {
  EXPECT_STREQ(status_name(VerdictStatus::kCorrect), "correct");
  EXPECT_STREQ(status_name(VerdictStatus::kWrong), "wrong");
  EXPECT_STREQ(status_name(VerdictStatus::kNoAnswer), "no_answer");
  EXPECT_STREQ(status_name(VerdictStatus::kInvalid), "invalid");
  EXPECT_STREQ(status_name(VerdictStatus::kUnjudged), "unjudged");
}

TEST(VerifierRegistry, BuiltInsAreAlwaysRegistered) {
  EXPECT_EQ(make_verifier("exact_number")->name(), "exact_number");
  EXPECT_EQ(make_verifier("countdown")->name(), "countdown");
}

TEST(VerifierRegistry, UnknownNameListsKnownOnes) {
  try {
    make_verifier("exact_numbr");
    FAIL() << "expected rlvr::Error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("unknown verifier 'exact_numbr' (known: code, composite, countdown, exact_number"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("did you mean 'exact_number'"), std::string::npos) << message;
  }
}

TEST(VerifierRegistry, UnjudgedVerdictsAreNeitherCorrectNorRewarded) {
  const Verdict v = make_verdict(VerdictStatus::kUnjudged, "SE: worker died");
  EXPECT_FALSE(v.correct);
  EXPECT_EQ(v.reward, 0);
  EXPECT_EQ(v.detail, "SE: worker died");
}

TEST(VerifierRegistry, AJudgeThatFailsGivesAnUnjudgedVerdict) {
  EXPECT_EQ(unjudged_on_failure([] { return make_verdict(VerdictStatus::kWrong, "no"); }).status,
            VerdictStatus::kWrong);
  const Verdict oom = unjudged_on_failure([]() -> Verdict { throw std::bad_alloc(); });
  EXPECT_EQ(oom.status, VerdictStatus::kUnjudged);
  EXPECT_EQ(oom.detail, "could not judge: out of memory");
  const Verdict bug = unjudged_on_failure([]() -> Verdict { throw std::runtime_error("mpz overflow"); });
  EXPECT_EQ(bug.status, VerdictStatus::kUnjudged);
  EXPECT_EQ(bug.detail, "could not judge: mpz overflow");
  EXPECT_EQ(bug.reward, 0);
}

TEST(VerifierRegistry, UserVerifiersCanBeRegistered) {
  register_verifier("always_right",
                    [](const config::VerifierConfig&) { return std::make_unique<AlwaysRight>(); });
  EXPECT_TRUE(make_verifier("always_right")->verify(Task{}, "").correct);
}

}  // namespace
}  // namespace rlvr::verifiers
