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

void expect_cases(const std::vector<Case>& cases, const EquivalenceOptions& options = {}) {
  for (const Case& c : cases) {
    const ParseOutcome gold = parse_answer(c.gold);
    const ParseOutcome response = parse_answer(c.response);
    ASSERT_TRUE(gold.answer) << c.gold << ": " << gold.error;
    ASSERT_TRUE(response.answer) << c.response << ": " << response.error;
    EXPECT_EQ(answers_equal(*gold.answer, *response.answer, options), c.equal) << c.gold << " vs " << c.response;
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
                {"\\sqrt[3]{-8}", "-2", true},          {"\\pi", "3.1415926535898", false},
                {"\\frac{\\pi}{2}", "0.5\\pi", true},   {"e", "2.718", false},
                {"(x+1)^2", "x^2+2x+1", true},          {"2a+b", "2x+y", false},
                {"\\sin(2x)", "2\\sin x\\cos x", true}, {"1", "\\sin^2 x+\\cos^2 x", true},
                {"\\ln 8", "3\\ln 2", true},            {"\\log_2 8", "3", true},
                {"-1", "e^{i\\pi}", true},              {"1-i", "\\frac{2}{1+i}", true},
                {"3+4i", "4+3i", false},                {"2xy^2", "2y^2x", true},
                {"2xy", "2x", false},                   {"\\frac{1}{x-1}", "\\frac{1}{1-x}", false},
                {"i\\sqrt{2}", "\\sqrt{-2}", true}});
}

TEST(MathEquivalence, LongDecimalsAreFloatRenderingsWithinOneUnitOfTheirLastPlace) {
  expect_cases({{"\\frac{1}{12}", "0.0833333333333333", true},   {"\\frac{1}{12}", "0.08333333333333", false},
                {"\\frac{2}{3}", "0.6666666666666666", true},    {"\\frac{2}{3}", "0.6666666666666667", true},
                {"\\frac{2}{3}", "0.6666666666666676", false},   {"-\\frac{2}{3}", "-0.6666666666666666", true},
                {"\\pi", "3.14159265358979", true},              {"\\pi", "3.14159265358988", false},
                {"0.0833333333333333", "\\frac{1}{12}", true},   {"\\sqrt{2}", "1.414213562373095", true},
                {"x", "0.0833333333333333", false},               {"\\frac{1}{3}", "0.33333333", false}});
  EquivalenceOptions exact;
  exact.float_min_digits = 0;
  expect_cases({{"\\frac{1}{12}", "0.0833333333333333", false}, {"0.25", "\\frac14", true}}, exact);
}

TEST(MathEquivalence, SolvedComparisonsAreSetsAndOtherComparisonsAreChains) {
  expect_cases({{"x \\geq 5", "[5, \\infty)", true},          {"x \\geq 5", "(5, \\infty)", false},
                {"[5, \\infty)", "5 \\le x", true},           {"x \\geq 5", "2x - 3 \\geq 7", false},
                {"(-2, 3)", "x^2 - x - 6 < 0", false},         {"x \\neq 3", "x != 3", true},
                {"x \\neq 3", "(-\\infty,3)\\cup(3,\\infty)", true}, {"x \\neq 3", "x \\ne 2", false},
                {"f(2) < f(1) < f(4)", "f(4) > f(1) > f(2)", true}, {"f(2) < f(1) < f(4)", "f(1) < f(2) < f(4)", false},
                {"f(2) < f(1) < f(4)", "f(2) \\le f(1) \\le f(4)", false}, {"a < b < c", "c > b > a", true},
                {"a < b", "b < a", false},                       {"x < y", "y > x", true},
                {"2x - 3 \\ge 7", "2x - 3 \\ge 7", true},        {"2x - 3 \\ge 7", "x \\ge 5", false}});
}

TEST(MathEquivalence, NamedPartsMatchValuesInOrderAndNamesInAnyOrder) {
  expect_cases({{"4, 5", "k = 4, n = 5", true},        {"4, 5", "k = 5, n = 4", false},
                {"4, 5", "AB=4, CD=5", true},          {"4, 5", "AB=5, CD=4", false},
                {"k = 45, n = 2", "n = 2, k = 45", true}, {"k = 45, n = 2", "k = 2, n = 45", false},
                {"k = 45, n = 2", "45, 2", true},      {"k = 45, n = 2", "2, 45", false},
                {"(1,2)", "x=1, y=2", true},           {"(1,2)", "x=2, y=1", false},
                {"-1, 3", "x=3, x=-1", true},          {"-1, 3", "-1; 3", true},
                {"(0, 1)", "D = (0, 1)", true},        {"(0, 1)", "D = (1, 0)", false},
                {"\\begin{pmatrix} 2 \\\\ -1 \\end{pmatrix}", "\\mathbf{v} = \\begin{pmatrix} 2 \\\\ -1 \\end{pmatrix}", true},
                {"60", "\\angle ABC = 60", true},     {"(3,37,3,13),(17,3,3,7)", "(17,3,3,7),(3,37,3,13)", true}});
}

TEST(MathEquivalence, LenientSetMatchingIgnoresTheOrderOfTuples) {
  expect_cases({{"(1, 2)", "\\{2, 1\\}", false}, {"(1, 2)", "2, 1", false}});
  EquivalenceOptions lenient;
  lenient.lenient_sets = true;
  expect_cases({{"(1, 2)", "\\{2, 1\\}", true}, {"(1, 2)", "2, 1", true}, {"(1, 2)", "\\{1, 3\\}", false}}, lenient);
}

TEST(MathEquivalence, ClockTimesAndBaseNumeralsAreNames) {
  expect_cases({{"12:00", "12:00", true},  {"9:30", "09:30", true}, {"12:00", "12:30", false},
                {"12:00", "12:00 PM", true}, {"204_5", "204_{5}", true}, {"204_5", "2045", false},
                {"204_5", "204_6", false},  {"204_5", "54", false},    {"1000", "1 000", true},
                {"1000000", "1 000 000", true}, {"28", "28 pct", true},  {"12:00", "12{:}00", true},
                {"4:30", "4:30 \\text{ p.m.}", true}});
}

TEST(MathEquivalence, AnApproximationAfterTheExactValueIsDropped) {
  expect_cases({{"\\frac{5}{12}", "\\frac{5}{12} \\approx 0.4167", true}, {"\\frac{5}{12}", "0.41 \\approx \\frac{5}{12}", false}});
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
