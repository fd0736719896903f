#include "verifiers/arithmetic_expression.h"

#include <gtest/gtest.h>

#include <chrono>

namespace rlvr::verifiers {
namespace {

void expect_value(const std::string& text, int64_t num, int64_t den = 1) {
  const ExpressionResult r = evaluate_expression(text);
  ASSERT_TRUE(r.ok) << text << ": " << r.error;
  EXPECT_EQ(r.numerator, num) << text;
  EXPECT_EQ(r.denominator, den) << text;
}

void expect_error(const std::string& text, const std::string& error) {
  const ExpressionResult r = evaluate_expression(text);
  EXPECT_FALSE(r.ok) << text;
  EXPECT_EQ(r.error, error) << text;
}

TEST(EvaluateExpression, PrecedenceAndAssociativity) {
  expect_value("25+3*7", 46);
  expect_value("(25+3)*7", 196);
  expect_value("10-4-3", 3);
  expect_value("10-(4-3)", 9);
  expect_value("100/10/5", 2);
  expect_value("100/(10/5)", 50);
  expect_value(" 2 * ( 3 + 4 ) ", 14);
  expect_value("007", 7);
}

TEST(EvaluateExpression, ExactRationals) {
  expect_value("7/2", 7, 2);
  expect_value("7/2*2", 7);
  expect_value("1/3+1/6", 1, 2);
  expect_value("3-5", -2);
}

TEST(EvaluateExpression, ReportsLiterals) {
  const ExpressionResult r = evaluate_expression("(3+3)*25/5");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.literals, (std::vector<int64_t>{3, 3, 25, 5}));
}

TEST(EvaluateExpression, ErrorsNameTheColumn) {
  expect_error("12^3", "unexpected '^' at column 3");
  expect_error("-3+4", "unexpected '-' at column 1");
  expect_error("3*-4", "unexpected '-' at column 3");
  expect_error("(3+4", "unexpected end of input at column 5");
  expect_error("3+4)", "unexpected ')' at column 4");
  expect_error("", "unexpected end of input at column 1");
  expect_error("3 4", "unexpected '4' at column 3");
  expect_error("2.5", "unexpected '.' at column 2");
  expect_error("7/(3-3)", "division by zero at column 2");
  expect_error("99999999999999999999", "number too large at column 1");
  expect_error("3000000000*3000000000*3000000000", "arithmetic overflow at column 22");
}

TEST(EvaluateExpression, HugeAndDeepInputFailFast) {
  const auto start = std::chrono::steady_clock::now();
  expect_error(std::string(100'000, '('), "expression longer than 1000 characters");
  expect_error(std::string(1001, '1'), "expression longer than 1000 characters");
  expect_error(std::string(65, '(') + "1" + std::string(65, ')'),
               "parentheses nested deeper than 64 at column 65");
  expect_value(std::string(64, '(') + "1" + std::string(64, ')'), 1);
  std::string long_sum = "1";
  while (long_sum.size() < 998) long_sum += "*1";
  expect_value(long_sum, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

}  // namespace
}  // namespace rlvr::verifiers
