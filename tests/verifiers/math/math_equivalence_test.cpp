// Equality of parsed answers, case by case; each row names the policy it checks.
#include <gtest/gtest.h>

#include "verifiers/math/math_equivalence.h"
#include "verifiers/math/math_parse.h"

namespace rlvr::verifiers::math {
namespace {

struct Case {
  const char* gold;
  const char* response;
  bool equal;
};

void expect_cases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    const ParseOutcome gold = parse_answer(c.gold);
    const ParseOutcome response = parse_answer(c.response);
    ASSERT_TRUE(gold.answer) << c.gold << ": " << gold.error;
    ASSERT_TRUE(response.answer) << c.response << ": " << response.error;
    EXPECT_EQ(answers_equal(*gold.answer, *response.answer), c.equal) << c.gold << " vs " << c.response;
  }
}

TEST(MathEquivalence, NumbersAreExactRationals) {
  expect_cases({{"0.3", "0.1+0.2", true},      {"\\frac13", "0.3333", false}, {"1.5", "1.50", true},
                {"\\frac{7}{3}", "2\\frac13", true}, {"-\\frac{3}{4}", "\\frac{3}{-4}", true},
                {"\\frac23", "0.\\overline{6}", true}, {"\\frac{1}{6}", "0.1\\overline{6}", true},
                {"007", "7", true}, {"-1.5", "-1\\frac12", true},                  {"1000", "1,000", true},       {"1234", "1{,}234", true},
                {"3\\times10^{8}", "3e8", true},     {"6.02\\times10^{23}", "6.022\\times10^{23}", false},
                {"24", "4!", true},                  {"\\binom{5}{2}", "10", true}, {"2^{70}", "1180591620717411303425", false},
                {"0.5", "50\\%", false},             {"12\\%", "12", true}});
}

// Polynomials and rational functions compare exactly over the rationals: a
// difference far below any floating-point tolerance still counts.
TEST(MathEquivalence, RationalFunctionsCompareExactly) {
  expect_cases({{"x^2+2x+1", "(x+1)^2", true},
                {"x^2+2x+1", "x^2+2x+1.0000000000001", false},
                {"x+1", "\\frac{x^2-1}{x-1}", true},
                {"\\frac{1}{x}+\\frac{1}{y}", "\\frac{x+y}{xy}", true},
                {"(a+b)^{10}", "(b+a)^{10}", true},
                {"(a+b)^{10}", "(a+b)^{10}+10^{-30}a", false}});
}

TEST(MathEquivalence, IrrationalAndSymbolicValuesCompareNumerically) {
  expect_cases({{"3\\sqrt{2}", "\\sqrt{18}", true},     {"\\sqrt[3]{16}", "2\\sqrt[3]{2}", true},
                {"\\sqrt[3]{-8}", "-2", true},          {"\\pi", "3.14159265358979", false},
                {"\\frac{\\pi}{2}", "0.5\\pi", true},   {"e", "2.718", false},
                {"(x+1)^2", "x^2+2x+1", true},          {"2a+b", "2x+y", false},
                {"\\sin(2x)", "2\\sin x\\cos x", true}, {"1", "\\sin^2 x+\\cos^2 x", true},
                {"\\ln 8", "3\\ln 2", true},            {"\\log_2 8", "3", true},
                {"-1", "e^{i\\pi}", true},              {"1-i", "\\frac{2}{1+i}", true},
                {"3+4i", "4+3i", false},                {"2xy^2", "2y^2x", true},
                {"2xy", "2x", false},                   {"\\frac{1}{x-1}", "\\frac{1}{1-x}", false},
                {"i\\sqrt{2}", "\\sqrt{-2}", true}});
}

TEST(MathEquivalence, HugeValuesAreComparedWithoutExpanding) {
  expect_cases({{"10^{10^{10}}", "10^{10000000000}", true}, {"10^{10^{10}}", "10^{10^{10}}+1", false},
                {"2^{2^{100}}", "4^{2^{99}}", true},       {"3^{1000000}", "3^{1000001}", false},
                {"0", "10^{-10^{10}}", false},             {"5", "10^{10^{10}}", false}});
}

TEST(MathEquivalence, EquationsFollowTheLoneVariableRule) {
  expect_cases({{"x=3", "3", true},          {"3", "x=3", true},          {"x=3", "3x", false},
                {"y=2x+1", "2x+1=y", true},  {"x+y=10", "y=10-x", true},  {"4x+2y=8", "y=4-2x", true},
                {"y=3x", "x=3y", false},     {"f(x)=x^2+1", "x^2+1", true}, {"2, 5", "x=5, x=2", true}});
}

TEST(MathEquivalence, CollectionsIntervalsAndMatrices) {
  expect_cases({{"\\{1,2,3\\}", "\\{3,1,2\\}", true},
                {"(1,2)", "(2,1)", false},
                {"(1,2)", "\\{1,2\\}", false},
                {"2, 3", "3, 2", true},
                {"2, 3", "2", false},
                {"\\emptyset", "\\varnothing", true},
                {"[0,1)", "[0,1]", false},
                {"[0,1)", "0 \\le x < 1", true},
                {"(2,\\infty)", "x > 2", true},
                {"(-\\infty,0)\\cup(1,\\infty)", "(1,\\infty)\\cup(-\\infty,0)", true},
                {"(0,1)", "(0,1)", true},
                {"\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{bmatrix}1&2\\\\3&4\\\\\\end{bmatrix}", true},
                {"\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}1&2\\end{pmatrix}", false},
                {"\\infty", "+\\infty", true},
                {"\\infty", "\\pm\\infty", false},
                {"\\infty", "10^{100}", false},
                {"3", "\\pm 3", false},
                {"(-\\infty,-2)\\cup(2,\\infty)", "x < -2 \\text{ or } x > 2", true},
                {"3", "3 \\text{ or } 4", false},
                {"1, 2", "1 \\text{ and } 2", true},
                {"(1,2)", "(x,y)=(1,2)", true},
                {"\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\left[\\begin{matrix}1&2\\\\3&4\\end{matrix}\\right]", true}});
}

TEST(MathEquivalence, UnitsDegreesAndMoneyAreDropped) {
  expect_cases({{"60^\\circ", "60", true},           {"60^\\circ", "\\frac{\\pi}{3}", false},
                {"5 cm", "5\\text{ cm}", true},      {"12\\text{ m}^2", "12", true},
                {"\\$1,250", "1250", true},          {"9\\text{ square units}", "9", true},
                {"3 hours", "30 minutes", false},    {"45", "45\\text{ mph}", true},
                {"3", "3\\mathrm{m}", true},          {"B", "\\text{B}", true},
                {"B", "\\text{C}", false}});
}

}  // namespace
}  // namespace rlvr::verifiers::math
