#include <gtest/gtest.h>

#include "core/error.h"
#include "tests/verifiers/hostile_output.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

// From 0 to 3 the shortest length is 5, by 0-2-3 or by the edge 0-3.
Task route_task(const std::string& reference = "0-2-3", const std::string& edges = "0-1:3 0-2:4 0-3:5 1-2:2 2-3:1") {
  Task t;
  t.id = "shortest_path/eval/0";
  t.prompt = edges + " 0>3=";
  t.reference = reference;
  t.solution = reference;
  t.verifier = "path";
  t.meta["edges"] = edges;
  return t;
}

Verdict verdict_of(const std::string& completion) { return make_verifier("path")->verify(route_task(), completion); }

TEST(PathVerifier, AnyShortestPathIsCorrect) {
  for (const char* answer : {"0-2-3", "0-3", " 0 - 2 - 3 \nmore", "<answer>0-2-3</answer>"}) {
    const Verdict v = verdict_of(answer);
    EXPECT_EQ(v.status, VerdictStatus::kCorrect) << answer << ": " << v.detail;
    EXPECT_EQ(v.reward, 1) << answer;
  }
  EXPECT_EQ(verdict_of(" 0 - 2 - 3").answer, "0-2-3");
}

TEST(PathVerifier, AValidLongerPathEarnsHalf) {
  for (const char* answer : {"0-1-2-3", "0-2-1-0-3", "0-3-2-3"}) {
    const Verdict v = verdict_of(answer);
    EXPECT_EQ(v.status, VerdictStatus::kWrong) << answer;
    EXPECT_FALSE(v.correct);
    EXPECT_DOUBLE_EQ(v.reward, 0.5) << answer << ": " << v.detail;
  }
  EXPECT_NE(verdict_of("0-1-2-3").detail.find("length 6, shortest 5"), std::string::npos);
}

TEST(PathVerifier, AMissingEdgeOrOtherEndsEarnNothing) {
  for (const char* answer : {"0-1-3", "0-2", "1-2-3", "3-2-0", "0"}) {
    const Verdict v = verdict_of(answer);
    EXPECT_EQ(v.status, VerdictStatus::kWrong) << answer;
    EXPECT_EQ(v.reward, 0) << answer << ": " << v.detail;
  }
  EXPECT_NE(verdict_of("0-1-3").detail.find("no edge 1-3"), std::string::npos);
}

TEST(PathVerifier, AnAnswerThatIsNoNodeListIsInvalid) {
  EXPECT_EQ(verdict_of("").status, VerdictStatus::kNoAnswer);
  const std::vector<std::string> answers = {"0-x-3",  "0--3",   "0,2,3", "-0-2-3", "0-2-3-", "0-99999999999999999999-3",
                                            "0-" + std::string(5000, '1')};
  for (const std::string& answer : answers) {
    const Verdict v = verdict_of(answer);
    EXPECT_EQ(v.status, VerdictStatus::kInvalid) << answer.substr(0, 40);
    EXPECT_EQ(v.reward, 0);
  }
}

TEST(PathVerifier, HostileOutputIsAVerdict) { expect_hostile_outputs_are_verdicts("path", route_task(), "0-1-2-3"); }

TEST(PathVerifier, ABadGraphOrReferenceIsTheEnvironmentsBug) {
  const auto path = make_verifier("path");
  EXPECT_THROW(path->verify(route_task("0-1-3"), "0-2-3"), Error);  // no edge 1-3
  EXPECT_THROW(path->verify(route_task("0"), "0-2-3"), Error);
  EXPECT_THROW(path->verify(route_task("0-2-3", "0-1:3 0-2"), "0-2-3"), Error);
  EXPECT_THROW(path->verify(route_task("0-2-3", "0-1:0 0-2:4 2-3:1"), "0-2-3"), Error);
  Task no_edges = route_task();
  no_edges.meta.clear();
  EXPECT_THROW(path->verify(no_edges, "0-2-3"), Error);
}

}  // namespace
}  // namespace rlvr::verifiers
