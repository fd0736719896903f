#include "verifiers/math/math_parse.h"

#include <gtest/gtest.h>

#include <string>

#include "verifiers/math/math_eval.h"
#include "verifiers/math/math_normalize.h"

namespace rlvr::verifiers::math {
namespace {

mpq_class exact(const std::string& text) {
  const ParseOutcome out = parse_answer(text);
  EXPECT_TRUE(out.answer) << text << ": " << out.error;
  if (!out.answer || out.answer->shape != Shape::kExpr) return -999;
  const ExactResult r = evaluate_exact(*out.answer->expr);
  EXPECT_EQ(r.kind, ExactKind::kValue) << text;
  return r.value;
}

Shape shape(const std::string& text) {
  const ParseOutcome out = parse_answer(text);
  EXPECT_TRUE(out.answer) << text << ": " << out.error;
  return out.answer ? out.answer->shape : Shape::kExpr;
}

TEST(MathNormalize, AppliesTheLightNormalisationAndUnitPolicy) {
  EXPECT_EQ(normalize_answer("$\\left(1,2\\right)$."), "(1,2)");
  EXPECT_EQ(normalize_answer("\\dfrac{1}{2}"), "\\frac{1}{2}");
  EXPECT_EQ(normalize_answer("1,234,567"), "1234567");
  EXPECT_EQ(normalize_answer("1, 234"), "1, 234");
  EXPECT_EQ(normalize_answer("12\\%"), "12");
  EXPECT_EQ(normalize_answer("60^{\\circ}"), "60");
  EXPECT_EQ(normalize_answer("\\$18.00"), "18.00");
  EXPECT_EQ(normalize_answer("5\\text{ cm}"), "5");
  EXPECT_EQ(normalize_answer("2xy"), "2xy");  // variables are not units
  EXPECT_EQ(normalize_answer("-infinity"), "-\\infty");
}

TEST(MathParse, NumbersOperatorsAndImplicitProducts) {
  EXPECT_EQ(exact("\\frac{-3}{4}"), mpq_class(-3, 4));
  EXPECT_EQ(exact("\\frac12+\\tfrac13"), mpq_class(5, 6));
  EXPECT_EQ(exact("2\\frac{1}{3}"), mpq_class(7, 3));
  EXPECT_EQ(exact("2\\cdot 3 \\times 4 \\div 6"), 4);
  EXPECT_EQ(exact("-2^2"), -4);
  EXPECT_EQ(exact("2^{3^2}"), 512);
  EXPECT_EQ(exact("1.2E5"), 120000);
  EXPECT_EQ(exact("4.2e-5"), mpq_class(21, 500000));
  EXPECT_EQ(exact(".5"), mpq_class(1, 2));
  EXPECT_EQ(exact("\\sqrt{16}"), 4);
  EXPECT_EQ(exact("\\sqrt[3]{27}"), 3);
  EXPECT_EQ(exact("8^{2/3}"), 4);
  EXPECT_EQ(exact("2(3+4)"), 14);
  EXPECT_EQ(exact("20!"), mpq_class("2432902008176640000"));
  EXPECT_EQ(exact("\\binom{60}{30}"), mpq_class("118264581564861424"));
  EXPECT_EQ(exact("\\sqrt{2.25}"), mpq_class(3, 2));
}

TEST(MathParse, RecognisesAnswerShapes) {
  EXPECT_EQ(shape("x = 3"), Shape::kEquation);
  EXPECT_EQ(shape("\\{1, 2\\}"), Shape::kSet);
  EXPECT_EQ(shape("(1, 2, 3)"), Shape::kTuple);
  EXPECT_EQ(shape("[0, 1)"), Shape::kInterval);
  EXPECT_EQ(shape("(-\\infty,0)\\cup(1,\\infty)"), Shape::kUnion);
  EXPECT_EQ(shape("1, 2"), Shape::kList);
  EXPECT_EQ(shape("x \\ge 2"), Shape::kInterval);
  EXPECT_EQ(shape("\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}"), Shape::kMatrix);
  EXPECT_EQ(shape("\\pm 3"), Shape::kList);
  EXPECT_EQ(shape("3 \\text{ or } 4"), Shape::kList);  // a hedge: several candidates
  EXPECT_EQ(shape("(1+2)"), Shape::kExpr);
}

TEST(MathParse, MalformedInputIsAnErrorNotACrash) {
  for (const char* bad : {"\\frac{1}{}", "five", "\\text{undefined}", "\\text{does not exist}", "(1+2", "\\foo{3}",
                          "2^", "", "\\begin{pmatrix}1&2\\\\3\\end{pmatrix}", "\\sqrt{}"}) {
    const ParseOutcome out = parse_answer(bad);
    EXPECT_FALSE(out.answer) << bad;
    EXPECT_FALSE(out.error.empty()) << bad;
  }
}

TEST(MathParse, LimitsBoundDeepAndLongInput) {
  const std::string deep = std::string(300, '(') + "7" + std::string(300, ')');
  EXPECT_EQ(exact(deep), 7);
  const std::string too_deep = std::string(5000, '(') + "7" + std::string(5000, ')');
  EXPECT_FALSE(parse_answer(too_deep).answer);
  std::string sum = "1";
  for (int i = 0; i < 3000; ++i) sum += "+1";
  EXPECT_EQ(exact(sum), 3001);
  EXPECT_FALSE(parse_answer(std::string(300000, '1')).answer);
}

}  // namespace
}  // namespace rlvr::verifiers::math
