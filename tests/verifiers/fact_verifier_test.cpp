#include <gtest/gtest.h>

#include <string>

#include "verifiers/fact_normalize.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

Verdict judge(const std::string& gold, const std::string& completion, bool f1 = false) {
  config::VerifierConfig config;
  if (f1) config.mutable_fact()->set_reward(config::TOKEN_F1);
  Task task;
  task.reference = gold;
  return make_verifier("fact", config)->verify(task, completion);
}

TEST(FactNormalize, FoldsCaseAccentsPunctuationArticlesAndBlanks) {
  EXPECT_EQ(normalize_fact("  The  Eiffel-Tower! "), "eiffel tower");
  EXPECT_EQ(normalize_fact("Zürich"), "zurich");
  EXPECT_EQ(normalize_fact("Zu\u0308rich"), "zurich");  // decomposed: u + combining diaeresis
  EXPECT_EQ(normalize_fact("ÆSIR Straße"), "aesir strasse");
  EXPECT_EQ(normalize_fact("“Москва”"), "москва");
  EXPECT_EQ(normalize_fact("ＰＡＲＩＳ"), "paris");  // full-width
  EXPECT_EQ(normalize_fact("a an the"), "");
  EXPECT_EQ(normalize_fact(std::string("caf\xC3", 4) + "\xFF"), "caf");  // invalid bytes dropped
}

TEST(FactNormalize, QuantitiesAndDatesCompareByValue) {
  ASSERT_TRUE(read_quantity("1,234.50 km"));
  EXPECT_DOUBLE_EQ(read_quantity("1,234.50 km")->value, 1234.5);
  EXPECT_TRUE(same_quantity(*read_quantity("1,000 kilometres"), *read_quantity("1000 km")));
  EXPECT_TRUE(same_quantity(*read_quantity("12 percent"), *read_quantity("12%")));
  EXPECT_TRUE(same_quantity(*read_quantity("$5"), *read_quantity("5 dollars")));
  EXPECT_FALSE(same_quantity(*read_quantity("5 kg"), *read_quantity("5 km")));
  EXPECT_TRUE(same_quantity(*read_quantity("5"), *read_quantity("5 km")));  // a unit on one side only
  EXPECT_FALSE(read_quantity("1,23 km"));  // not a thousands group: "1" then ",23 km"
  EXPECT_FALSE(read_quantity("42 is the answer to everything"));
  EXPECT_EQ(read_date("July 4, 1776"), "1776-07-04");
  EXPECT_EQ(read_date("4th of July 1776"), "1776-07-04");
  EXPECT_EQ(read_date("1776-07-04"), "1776-07-04");
  EXPECT_EQ(read_date("Jul. 1776"), "1776-07");
  EXPECT_FALSE(read_date("July 4"));
  EXPECT_FALSE(read_date("Paris"));
}

TEST(FactVerifier, RightAnswersInTheFormsModelsWrite) {
  EXPECT_TRUE(judge("Paris", "<answer>paris</answer>").correct);
  EXPECT_TRUE(judge("Paris", "Let me think.\nThe answer is Paris.").correct);
  EXPECT_TRUE(judge("Paris", "Paris").correct);
  EXPECT_TRUE(judge(R"(["Leo Tolstoy", "Tolstoy"])", "Answer: Tolstoy").correct);
  EXPECT_TRUE(judge("Zürich", "The answer is ZURICH").correct);
  EXPECT_TRUE(judge("8,848 m", "The answer is 8848 meters.").correct);
  EXPECT_TRUE(judge("July 20, 1969", "<answer>20 July 1969</answer>").correct);
  EXPECT_EQ(judge("Paris", "<answer>Paris</answer>").answer, "Paris");
}

TEST(FactVerifier, WrongAndMalformedAnswers) {
  const Verdict wrong = judge("Paris", "The answer is Lyon.");
  EXPECT_EQ(wrong.status, VerdictStatus::kWrong);
  EXPECT_EQ(wrong.reward, 0);
  EXPECT_FALSE(judge("8,848 m", "The answer is 8849 m").correct);
  EXPECT_FALSE(judge("July 20, 1969", "The answer is July 21, 1969").correct);
  EXPECT_EQ(judge("Paris", "").status, VerdictStatus::kNoAnswer);
  EXPECT_EQ(judge("Paris", "   \n\n").status, VerdictStatus::kNoAnswer);
  EXPECT_EQ(judge("Paris", "<answer></answer>").status, VerdictStatus::kNoAnswer);
  EXPECT_EQ(judge("Paris", std::string("\xFF\xFE\x80", 3)).status, VerdictStatus::kWrong);
  // A malformed gold list is one alias, its own text.
  EXPECT_TRUE(judge("[not json", "[not json").correct);
}

TEST(FactVerifier, TokenF1RewardsPartialOverlap) {
  const Verdict partial = judge("Leo Tolstoy", "The answer is Count Lev Tolstoy", /*f1=*/true);
  EXPECT_FALSE(partial.correct);
  EXPECT_NEAR(partial.reward, 2 * (1.0 / 3) * (1.0 / 2) / (1.0 / 3 + 1.0 / 2), 1e-12);  // 1 of 3 vs 1 of 2 tokens
  EXPECT_EQ(judge("Leo Tolstoy", "Answer: leo tolstoy", true).reward, 1.0);
  EXPECT_EQ(judge("Leo Tolstoy", "Answer: Pushkin", true).reward, 0.0);
  EXPECT_NEAR(token_f1("a b c", "b c d"), 2.0 / 3, 1e-12);
}

TEST(FactVerifier, MegabyteOutputsAreJudgedNotThrown) {
  const std::string huge(1 << 20, 'x');
  EXPECT_EQ(judge("Paris", huge).status, VerdictStatus::kWrong);
  EXPECT_TRUE(judge("Paris", huge + "\nThe answer is Paris").correct);
  std::string digits(1 << 20, '7');
  EXPECT_FALSE(judge("7", "<answer>" + digits + "</answer>").correct);
  EXPECT_FALSE(judge("Paris", std::string(1 << 20, '\xE2')).correct);  // 1 MB of broken UTF-8
}

}  // namespace
}  // namespace rlvr::verifiers
