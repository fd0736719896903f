#include "verifiers/answer_extraction.h"

#include <gtest/gtest.h>

namespace rlvr::verifiers {
namespace {

TEST(ExtractTaggedAnswer, TakesTheLastCompletePair) {
  EXPECT_EQ(extract_tagged_answer("<answer> 12 </answer> then <answer>13</answer>"), "13");
  EXPECT_EQ(extract_tagged_answer("think... <answer>\n42\n</answer> done"), "42");
  EXPECT_EQ(extract_tagged_answer("<answer></answer>"), "");
  EXPECT_EQ(extract_tagged_answer("no tags 42"), std::nullopt);
  EXPECT_EQ(extract_tagged_answer("<answer>42"), std::nullopt);  // truncated
  EXPECT_EQ(extract_tagged_answer("42</answer>"), std::nullopt);
}

TEST(ExtractAnswerLine, TaggedAnswerElseFirstNonEmptyLine) {
  EXPECT_EQ(extract_answer_line("\n  \n 1 2 3 \nmore"), "1 2 3");
  EXPECT_EQ(extract_answer_line("thinking\n<answer> 4 5 </answer>"), "4 5");
  EXPECT_EQ(extract_answer_line("<answer>unclosed\nrest"), "<answer>unclosed");
  EXPECT_EQ(extract_answer_line(" \n\t\n"), "");
}

TEST(ExtractLastNumber, FindsTheLastNumber) {
  EXPECT_EQ(extract_last_number("7 apples and 12 pears"), "12");
  EXPECT_EQ(extract_last_number("The answer is 5."), "5");
  EXPECT_EQ(extract_last_number("x = 2.50 meters"), "2.50");
  EXPECT_EQ(extract_last_number("no digits"), std::nullopt);
  EXPECT_EQ(extract_last_number(""), std::nullopt);
}

TEST(ExtractLastNumber, SignOnlyWhenMinusIsNotAnOperator) {
  EXPECT_EQ(extract_last_number("it is -5"), "-5");
  EXPECT_EQ(extract_last_number("-5"), "-5");
  EXPECT_EQ(extract_last_number("(-3)"), "-3");
  EXPECT_EQ(extract_last_number("3-5"), "5");
  EXPECT_EQ(extract_last_number("x-5"), "5");
  EXPECT_EQ(extract_last_number("so 10 - -4"), "-4");
}

TEST(ExtractLastNumber, ThousandsCommas) {
  EXPECT_EQ(extract_last_number("total 1,234,567.5 dollars"), "1234567.5");
  EXPECT_EQ(extract_last_number("list 3,7,25"), "25");
  EXPECT_EQ(extract_last_number("1,2345"), "2345");
  EXPECT_EQ(extract_last_number("1234,567"), "567");  // a leading run over 3 digits takes no groups
  EXPECT_EQ(extract_last_number("costs 1,000, not 2"), "2");
  EXPECT_EQ(extract_last_number("costs 1,000,"), "1000");
}

TEST(CanonicalNumber, Normalises) {
  EXPECT_EQ(canonical_number("0132"), "132");
  EXPECT_EQ(canonical_number("2.50"), "2.5");
  EXPECT_EQ(canonical_number("2.000"), "2");
  EXPECT_EQ(canonical_number("-0"), "0");
  EXPECT_EQ(canonical_number("-0.00"), "0");
  EXPECT_EQ(canonical_number(" +7 "), "7");
  EXPECT_EQ(canonical_number("-007.10"), "-7.1");
  EXPECT_EQ(canonical_number("1,234"), "1234");
  EXPECT_EQ(canonical_number("000"), "0");
}

TEST(CanonicalNumber, RejectsNonNumbers) {
  for (const char* text : {"", "-", "abc", "12a", "1.", ".5", "1 2", "1,23", "--1", "1e5"}) {
    EXPECT_EQ(canonical_number(text), std::nullopt) << text;
  }
}

TEST(ExtractLastNumber, HugeInputIsLinear) {
  const std::string text(2'000'000, '9');
  EXPECT_EQ(extract_last_number(text)->size(), text.size());
  const std::string commas = std::string(1'000'000, ',') + "7";
  EXPECT_EQ(extract_last_number(commas), "7");
}

}  // namespace
}  // namespace rlvr::verifiers
