// Grouping a sweep's phases by the compared field, the seed spread, and the
// crossover sentences of the verification-value report.
#include "scaling/verification_value.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"

namespace rlvr::scaling {
namespace {

constexpr const char* kField = "sft.num_demonstrations";

SweepPointResult point(int demos, int seed, const std::string& algorithm,
                       const std::map<std::string, double>& accuracy,
                       const std::map<std::string, double>& harder = {}) {
  SweepPointResult p;
  p.index = demos + seed;
  p.name = algorithm + "-" + std::to_string(demos) + "-" + std::to_string(seed);
  p.overrides = {std::string(kField) + "=" + std::to_string(demos), "rl.algorithm=" + algorithm,
                 "runtime.seed=" + std::to_string(seed)};
  p.status = "done";
  p.finished = true;
  p.rl_algorithm = algorithm;
  p.accuracy = accuracy;
  p.harder_accuracy = harder;
  return p;
}

// GRPO pulls away at 1,000 demonstrations; the SFT-only control needs 10,000
// to reach GRPO's accuracy there. RFT never leads by 10 points.
SweepResults sweep() {
  SweepResults r;
  r.name = "vv";
  r.compare_along = kField;
  for (const int seed : {1, 2}) {
    const double grpo_1000 = seed == 1 ? 0.95 : 0.97;
    r.points.push_back(point(100, seed, "GRPO", {{"sft", 0.5}, {"rl", 0.55}, {"sft-control", 0.5}, {"answer-only-control", 0.52}}));
    r.points.push_back(point(1000, seed, "GRPO",
                             {{"sft", 0.5}, {"rl", grpo_1000}, {"sft-control", 0.6}, {"answer-only-control", 0.7}},
                             {{"sft", 0.3}, {"rl", 0.9}}));
    r.points.push_back(point(10000, seed, "GRPO", {{"sft", 0.6}, {"rl", 1.0}, {"sft-control", 0.97}, {"answer-only-control", 0.9}}));
    r.points.push_back(point(100, seed, "RFT", {{"sft", 0.5}, {"rl", 0.5}}));
    r.points.push_back(point(1000, seed, "RFT", {{"sft", 0.5}, {"rl", 0.75}}, {{"sft", 0.3}, {"rl", 0.4}}));
    r.points.push_back(point(10000, seed, "RFT", {{"sft", 0.6}, {"rl", 0.99}}));
  }
  SweepPointResult unfinished = point(100000, 1, "GRPO", {});
  unfinished.finished = false;
  r.points.push_back(unfinished);
  return r;
}

const PhaseCurve& curve(const VerificationComparison& c, const std::string& label) {
  for (const auto& p : c.curves) {
    if (p.label == label) return p;
  }
  throw Error("no curve " + label);
}

TEST(VerificationValueTest, GroupsPhasesByValueWithSeedSpread) {
  const VerificationComparison c = compare_phases(sweep());
  EXPECT_EQ(c.values, (std::vector<double>{100, 1000, 10000}));
  ASSERT_EQ(c.curves.size(), 5u);
  std::vector<std::string> labels;
  for (const auto& p : c.curves) labels.push_back(p.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"SFT", "SFT-only control", "answer-only control", "GRPO", "RFT"}));
  const PhaseCurve& grpo = curve(c, "GRPO");
  EXPECT_TRUE(grpo.verifier);
  EXPECT_FALSE(grpo.label_only);
  EXPECT_NEAR(grpo.in_distribution.at(1000).mean, 0.96, 1e-12);
  EXPECT_NEAR(grpo.in_distribution.at(1000).std, std::sqrt(2 * 0.01 * 0.01), 1e-12);
  EXPECT_EQ(grpo.in_distribution.at(1000).seeds, 2);
  EXPECT_EQ(grpo.harder.size(), 1u);
  EXPECT_TRUE(curve(c, "RFT").verifier);
  // The SFT start of a GRPO and an RFT point of the same seed counts once.
  const PhaseCurve& sft = curve(c, "SFT");
  EXPECT_TRUE(sft.label_only);
  EXPECT_EQ(sft.in_distribution.at(100).seeds, 2);
  EXPECT_EQ(sft.in_distribution.at(100).std, 0.0);
  EXPECT_TRUE(curve(c, "answer-only control").label_only);
}

TEST(VerificationValueTest, CrossoverSaysWhereTheVerifierPullsAwayAndWhatLabelsCatchUp) {
  const VerificationComparison c = compare_phases(sweep());
  ASSERT_EQ(c.crossovers.size(), 2u);
  const Crossover& grpo = c.crossovers[0];
  const Crossover& rft = c.crossovers[1];
  EXPECT_EQ(grpo.verifier, "GRPO");
  EXPECT_EQ(rft.verifier, "RFT");
  EXPECT_EQ(grpo.wins_from, 1000);
  EXPECT_EQ(grpo.previous, 100);
  EXPECT_EQ(grpo.labels_needed, 10000);
  EXPECT_NE(grpo.sentence.find("between 100 and 1000"), std::string::npos) << grpo.sentence;
  EXPECT_NE(grpo.sentence.find("a verifier is worth 10x the labels"), std::string::npos) << grpo.sentence;
  EXPECT_TRUE(std::isnan(rft.wins_from));
  EXPECT_NE(rft.sentence.find("RFT never leads"), std::string::npos) << rft.sentence;
}

TEST(VerificationValueTest, LabelsThatNeverCatchUpBoundTheRatioFromBelow) {
  SweepResults r = sweep();
  for (auto& p : r.points) {
    if (p.accuracy.count("sft-control")) p.accuracy["sft-control"] = 0.6;
    if (p.accuracy.count("answer-only-control")) p.accuracy["answer-only-control"] = 0.6;
  }
  const VerificationComparison c = compare_phases(r);
  const Crossover& grpo = c.crossovers[0];
  EXPECT_TRUE(std::isnan(grpo.labels_needed));
  EXPECT_NE(grpo.sentence.find("a verifier is worth more than 10x the labels"), std::string::npos) << grpo.sentence;
}

TEST(VerificationValueTest, MarkdownHasBothSplitsAndTheSentences) {
  const std::string md = verification_value_markdown(compare_phases(sweep()));
  for (const char* needle : {"## The value of a verifier: held-out accuracy against sft.num_demonstrations",
                             "| sft.num_demonstrations | SFT | SFT-only control | answer-only control | GRPO | RFT |",
                             "| 1000 | 50.0 ± 0.0 (2) | 60.0 ± 0.0 (2) | 70.0 ± 0.0 (2) | 96.0 ± 1.4 (2) | 75.0 ± 0.0 (2) |",
                             "On the harder split:", "- GRPO leads every label-only phase",
                             "![verification_value_harder](verification_value_harder.png)"}) {
    EXPECT_NE(md.find(needle), std::string::npos) << needle << "\n" << md;
  }
}

TEST(VerificationValueTest, ValuesThatAreNotNumbersNameThePoint) {
  SweepResults r = sweep();
  r.points[0].overrides[0] = std::string(kField) + "=many";
  try {
    compare_phases(r);
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("sets it to 'many'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(r.points[0].name), std::string::npos) << e.what();
  }
  r.compare_along.clear();
  EXPECT_THROW(compare_phases(r), Error);
}

}  // namespace
}  // namespace rlvr::scaling
