// End to end: the reward and task-library configs run as a user runs them,
// and bad settings of theirs stop `rlvr train` at start-up naming file, line
// and field.
#include <set>

#include "cli_harness.h"

namespace rlvr {
namespace {

std::vector<nlohmann::json> records_of(const std::string& run_dir, const std::string& kind) {
  std::vector<nlohmann::json> out;
  for (const auto& record : deterministic_metrics(run_dir)) {
    if (record["kind"] == kind) out.push_back(record);
  }
  return out;
}

// configs/composite_reward.pbtxt: every component and the length penalty are
// in metrics.jsonl and in the TensorBoard events as reward/<name>.
TEST_F(CliTest, CompositeRewardComponentsAreLoggedToMetricsAndTensorBoard) {
  const std::string run = (dir_ / "composite").string();
  const Result r = rlvr("train configs/composite_reward.pbtxt --set sft.steps=30 --set rl.steps=2 "
                        "--set env.eval_size=20 --set output.run_dir=" + run);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rl = records_of(run, "rl");
  ASSERT_EQ(rl.size(), 2u);
  std::string events;
  for (const auto& entry : fs::directory_iterator(run + "/tensorboard")) events += read_file(entry.path().string());
  for (const std::string name : {"correct", "format", "fact", "length_penalty"}) {
    EXPECT_TRUE(rl[0].contains("reward/" + name)) << rl[0].dump();
    EXPECT_NE(events.find("rl/reward/" + name), std::string::npos) << name;
  }
  EXPECT_TRUE(rl[0].contains("truncated_fraction"));
  EXPECT_LE(rl[0]["reward/length_penalty"].get<double>(), 0);
}

// configs/mixture.pbtxt: per-environment accuracy in RL steps and evaluations.
TEST_F(CliTest, MixtureReportsAccuracyPerEnvironment) {
  const std::string run = (dir_ / "mixture").string();
  const Result r = rlvr("train configs/mixture.pbtxt --set sft.steps=20 --set rl.steps=2 --set eval.num_tasks=30 "
                        "--set output.run_dir=" + run);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rl = records_of(run, "rl");
  ASSERT_FALSE(rl.empty());
  const auto evals = records_of(run, "rl_eval");
  ASSERT_FALSE(evals.empty());
  for (const std::string env : {"arithmetic", "parity", "sort"}) {
    EXPECT_TRUE(evals.back().contains("eval/accuracy/" + env)) << evals.back().dump();
  }
  std::set<std::string> seen;
  for (const auto& record : rl) {
    for (const std::string env : {"arithmetic", "parity", "sort"}) {
      if (record.contains("accuracy/" + env)) seen.insert(env);
    }
  }
  EXPECT_GE(seen.size(), 2u);  // 32 prompts a step: every component is all but certain to appear
}

// A curriculum run records its level every RL step, and its level changes
// (if any) as "curriculum" records with step and FLOPs, within start..env.level.
TEST_F(CliTest, CurriculumRecordsItsLevelEveryStep) {
  const std::string run = (dir_ / "curriculum").string();
  const Result r = rlvr("train configs/curriculum.pbtxt --set sft.steps=20 --set rl.steps=3 "
                        "--set env.curriculum.window=8 --set env.eval_size=20 --set env.level=1 "
                        "--set rl.prompts_per_step=4 --set rl.group_size=2 --set eval.points_per_decade=1 "
                        "--set output.run_dir=" + run);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rl = records_of(run, "rl");
  ASSERT_EQ(rl.size(), 3u);
  EXPECT_EQ(rl[0]["curriculum/level"], 0);
  for (const auto& record : rl) EXPECT_LE(record["curriculum/level"].get<int>(), 1);
  for (const auto& change : records_of(run, "curriculum")) {
    EXPECT_TRUE(change.contains("flops/total"));
    EXPECT_EQ(std::abs(change["level"].get<int>() - change["previous_level"].get<int>()), 1);
  }
}

// Levels measure difficulty: one small model trained on an equal mixture of
// Sudoku levels 0 (2 blanks) and 3 (8 blanks) is far more accurate on level 0.
// (docs/results/difficulty/ measures every generator the same way.)
TEST_F(CliTest, HigherLevelsAreHarderForTheSameModel) {
  const std::string run = (dir_ / "levels").string();
  const std::string config = write(
      "levels.pbtxt",
      "model { d_model: 64 n_layers: 2 n_heads: 4 max_seq_len: 48 }\n"
      "env { name: \"mixture\" mixture {\n"
      "  component { label: \"easy\" env { name: \"sudoku\" level: 0 eval_size: 100 } }\n"
      "  component { label: \"hard\" env { name: \"sudoku\" level: 3 eval_size: 100 } } } }\n"
      "sft { steps: 300 batch_size: 64 check_every: 0 }\n"
      "eval { pass_samples: 0 every_steps: 300 sampling { max_new_tokens: 24 } }\n"
      "output { run_dir: \"" + run + "\" tensorboard: false }\nruntime { threads: 2 seed: 1 }\n");
  const Result r = rlvr("train " + config);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto evals = records_of(run, "sft_eval");
  ASSERT_FALSE(evals.empty());
  const double easy = evals.back()["eval/accuracy/easy"], hard = evals.back()["eval/accuracy/hard"];
  EXPECT_GT(easy, 0.5);
  EXPECT_GT(easy, hard + 0.3) << "easy " << easy << ", hard " << hard;
}

TEST_F(CliTest, BadRewardAndTaskSettingsNameFileLineAndField) {
  const std::string run_dir = (dir_ / "run").string();
  const std::string unknown = write("unknown.pbtxt",
                                    "verifier {\n  name: \"composite\"\n  composite {\n"
                                    "    component { name: \"a\" verifier: \"exact_number\" }\n"
                                    "    component { name: \"b\" verifier: \"fromat\" }\n  }\n}\n");
  Result r = rlvr("train " + unknown + " --set output.run_dir=" + run_dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(unknown + ":5:27: verifier.composite.component[1].verifier: unknown verifier 'fromat'"),
            std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'format'"), std::string::npos) << r.err;

  const std::string negative = write("negative.pbtxt",
                                     "verifier {\n  name: \"composite\"\n  composite {\n"
                                     "    component { verifier: \"exact_number\" weight: -1 }\n  }\n}\n");
  r = rlvr("train " + negative + " --set output.run_dir=" + run_dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(negative + ":4:42: verifier.composite.component[0].weight: must be >= 0"),
            std::string::npos) << r.err;

  const std::string attribute = write("attribute.pbtxt",
                                      "env {\n  name: \"parity\"\n  difficulty { attribute: \"widht\" value: 3 }\n}\n");
  r = rlvr("train " + attribute + " --set output.run_dir=" + run_dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(attribute + ":3:16: env.difficulty[0].attribute: parity has no difficulty attribute 'widht'"),
            std::string::npos) << r.err;

  const std::string levels = write("levels.pbtxt", "env {\n  name: \"jsonl\"\n  level: 2\n}\n");
  r = rlvr("train " + levels + " --set env.jsonl.train_path=tests/data/qa_sample.jsonl --set env.jsonl.format=QA "
           "--set env.jsonl.eval_path=tests/data/qa_sample.jsonl --set output.run_dir=" + run_dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(levels + ":3:3: env.level: env 'jsonl' has no difficulty levels"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(run_dir));
}

}  // namespace
}  // namespace rlvr
