// End-to-end tests of the `rlvr` binary, as a user runs it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli_harness.h"
#include "core/files.h"
#include "core/text_util.h"

namespace rlvr {
namespace {

// configs/fact_qa.pbtxt: the QA dataset layout and the "fact" verifier, end to end.
TEST_F(CliTest, FactQaConfigTrainsEndToEnd) {
  const std::string run = (dir_ / "qa").string();
  const Result r = rlvr("train configs/fact_qa.pbtxt --set sft.steps=40 --set rl.steps=2 --set output.run_dir=" + run);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(read_file(run + "/summary.json"));
  EXPECT_EQ(summary["eval_tasks"], 12);
  EXPECT_EQ(summary["phases"]["rl"]["steps"], 2);
}

TEST_F(CliTest, HelpForEveryCommand) {
  const Result top = rlvr("--help");
  EXPECT_EQ(top.exit_code, 0);
  for (const std::string cmd : {"train", "eval", "generate", "bench", "verify", "fit", "report", "exec", "sweep", "tasks"}) {
    EXPECT_NE(top.out.find(cmd), std::string::npos) << cmd;
    const Result r = rlvr(cmd + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage: rlvr " + cmd), std::string::npos) << r.out;
  }
  EXPECT_NE(rlvr("").exit_code, 0);
  EXPECT_NE(rlvr("frobnicate").exit_code, 0);
}

// `rlvr verify --jsonl` judges a file of cases (the answer style a dataset
// format would set included) and writes every verdict with --verdicts; a bad
// row names the file and line.
TEST_F(CliTest, VerifyJudgesAFileOfCasesAndWritesEveryVerdict) {
  const std::string cases = write(
      "cases.jsonl",
      "{\"id\": \"a\", \"gold\": \"18\", \"response\": \"\\\\boxed{17}\\n#### 18 eggs a day\", "
      "\"answer_style\": \"gsm8k\", \"expected\": true}\n"
      "{\"id\": \"b\", \"gold\": \"18\", \"response\": \"\\\\boxed{17}\\n#### 18 eggs a day\", \"expected\": true}\n");
  const std::string verdicts = (dir_ / "verdicts.jsonl").string();
  const Result r = rlvr("verify --jsonl " + cases + " --verdicts " + verdicts);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(2 in"), std::string::npos) << r.out;
  std::ifstream in(verdicts);
  std::string line;
  std::vector<nlohmann::json> rows;
  while (std::getline(in, line)) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["id"], "a");
  EXPECT_EQ(rows[0]["correct"], true);  // GSM8K style: the "####" line, read as its number
  EXPECT_EQ(rows[0]["answer"], "18");
  EXPECT_EQ(rows[1]["correct"], false);  // the general style reads the box first
  EXPECT_EQ(rows[1]["answer"], "17");

  const std::string bad = write("bad.jsonl", "{\"gold\": \"1\", \"response\": \"1\"}\n{\"gold\": 1, \"response\": \"1\"}\n");
  const Result e = rlvr("verify --jsonl " + bad);
  EXPECT_NE(e.exit_code, 0);
  EXPECT_NE(e.err.find(bad + ":2: each line needs string fields"), std::string::npos) << e.err;
}

TEST_F(CliTest, ConfigErrorsExitBeforeAnyWork) {
  const std::string run_dir = (dir_ / "run").string();
  const std::string bad = write("bad.pbtxt", "output { run_dir: \"" + run_dir +
                                                 "\" }\nrl {\n  group_size: 0\n}\n");
  Result r = rlvr("train " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad + ":3:3: rl.group_size: must be >= 2, got 0"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(run_dir));

  const std::string typo = write("typo.pbtxt", "sft {\n  stpes: 3\n}\n");
  r = rlvr("train " + typo);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(typo + ":2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'steps'"), std::string::npos) << r.err;

  r = rlvr("train " + typo.substr(0, typo.size() - 6) + "missing.pbtxt");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot read config file"), std::string::npos) << r.err;

  r = rlvr("train configs/quickstart.pbtxt --set env.name=nope --set output.run_dir=" + run_dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--set env.name=nope: env.name: unknown environment 'nope'"),
            std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(run_dir));
}

TEST_F(CliTest, TrainEvalGenerateResume) {
  const std::string run_dir = (dir_ / "run").string();
  Result r = rlvr("train " + tiny(run_dir));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("eval accuracy"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(fs::path(run_dir) / "config.pbtxt"));
  // Not a terminal: progress goes to the log as plain lines.
  EXPECT_NE(r.err.find("sft 60/60"), std::string::npos) << r.err;

  r = rlvr("eval " + run_dir + " --json --num-tasks 10");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto eval = nlohmann::json::parse(r.out);
  EXPECT_EQ(eval["tasks"], 10);
  EXPECT_GE(eval["accuracy"].get<double>(), 0.0);

  r = rlvr("eval " + run_dir + " --samples 4 --k 1,2,4 --num-tasks 10 --json --csv " +
           (dir_ / "tt.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto tt = nlohmann::json::parse(r.out);
  ASSERT_EQ(tt["points"].size(), 3u);
  for (size_t i = 1; i < 3; ++i) {  // more samples never lower pass@k
    EXPECT_GE(tt["points"][i]["pass@k"].get<double>(), tt["points"][i - 1]["pass@k"].get<double>());
    EXPECT_GT(tt["points"][i]["flops_per_task"].get<double>(), tt["points"][i - 1]["flops_per_task"].get<double>());
  }
  EXPECT_NE(read_file((dir_ / "tt.csv").string()).find("k,pass_at_k,maj_at_k"), std::string::npos);
  EXPECT_EQ(rlvr("eval " + run_dir + " --samples 2 --k 3").exit_code, 1);  // k > samples

  r = rlvr("generate " + run_dir + " --prompt 3+4= --prompt 1+1= -n 2 --temperature 1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int lines = 0;
  for (const auto& line : split(r.out, '\n')) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    EXPECT_TRUE(j.contains("completion"));
    ++lines;
  }
  EXPECT_EQ(lines, 4);

  // A second train into the same directory is refused; --resume continues it.
  r = rlvr("train " + tiny(run_dir));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
  r = rlvr("train --resume " + run_dir + " --set sft.steps=80");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sft steps   60"), std::string::npos)
      << "a finished phase is not extended: " << r.out;
}


// A run killed with SIGKILL at an arbitrary point of RL and resumed writes the
// same metrics as one that was never interrupted.
TEST_F(CliTest, SigkillThenResumeMatchesUninterruptedRun) {
  const std::string full = (dir_ / "full").string(), cut = (dir_ / "cut").string();
  const std::string args = " --set rl.sft_control=true";
  ASSERT_EQ(rlvr("train " + tiny(full, 40, 24) + args).exit_code, 0);

  const pid_t child = start_rlvr("train " + tiny(cut, 40, 24) + args);
  ASSERT_GE(child, 0);
  // Kill as soon as RL has written a checkpoint: mid-step, mid-eval or mid-write.
  const bool seen = wait_for_rl_checkpoint(cut, 60000);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(seen) << "no RL checkpoint appeared";
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it could be killed";

  const Result resumed = rlvr("train --resume " + cut);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const auto a = deterministic_metrics(full), b = deterministic_metrics(cut);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << "metrics line " << i + 1;
  const auto sa = nlohmann::json::parse(read_file(full + "/summary.json"));
  const auto sb = nlohmann::json::parse(read_file(cut + "/summary.json"));
  for (const std::string phase : {"sft", "rl", "sft-control"}) {
    EXPECT_EQ(sa["phases"][phase]["accuracy"], sb["phases"][phase]["accuracy"]) << phase;
    EXPECT_EQ(sa["phases"][phase]["flops"], sb["phases"][phase]["flops"]) << phase;
  }
}

TEST_F(CliTest, ReportDrawsPlotsOfARun) {
  const std::string run = (dir_ / "run").string(), out = (dir_ / "report").string();
  ASSERT_EQ(rlvr("train " + tiny(run, 30, 16) + " --set eval.points_per_decade=6").exit_code, 0);
  ASSERT_EQ(rlvr("eval " + run + " --samples 4 --k 1,2,4 --num-tasks 10 --csv " + run +
                 "/test_time.csv").exit_code, 0);
  ASSERT_EQ(rlvr("eval " + run + "/sft_final.pt --samples 4 --k 1,2,4 --num-tasks 10 --csv " + run +
                 "/test_time_sft.csv").exit_code, 0);
  const Result r = rlvr("report " + run + " -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* png : {"accuracy_vs_flops.png", "greedy_accuracy_vs_flops.png", "reward_vs_flops.png",
                          "test_time.png", "test_time_flops.png", "time_per_step.png"}) {
    const std::string bytes = read_file(out + "/" + png);
    EXPECT_EQ(bytes.substr(1, 3), "PNG") << png;
    EXPECT_GT(bytes.size(), 2000u) << png;
  }
  const std::string md = read_file(out + "/report.md");
  EXPECT_NE(md.find("| run | R | A (asymptote)"), std::string::npos) << md;
  EXPECT_NE(md.find("| run | greedy | "), std::string::npos) << "greedy accuracy gets its own row\n" << md;
  EXPECT_NE(md.find("## Test-time law"), std::string::npos) << md;
  EXPECT_NE(md.find("| run | final | 10 x 4 | "), std::string::npos) << md;
  EXPECT_NE(md.find(" measured, "), std::string::npos) << "the SFT crossover\n" << md;
  EXPECT_NE(md.find("| run | SFT | 10 x 4 | "), std::string::npos) << md;
  EXPECT_NE(md.find("![test_time](test_time.png)"), std::string::npos) << md;
}

TEST_F(CliTest, BenchPrintsTokensPerSecondAndThreads) {
  const Result r = rlvr("bench train " + tiny((dir_ / "b").string()) + " --iterations 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("tokens/s median over 2 runs | 1 threads"), std::string::npos) << r.out;
  const Result g = rlvr("bench generate " + tiny((dir_ / "b").string()) + " --iterations 1");
  ASSERT_EQ(g.exit_code, 0) << g.err;
  EXPECT_NE(g.out.find("bench generate"), std::string::npos) << g.out;
  const Result rl = rlvr("bench rl-step " + tiny((dir_ / "b").string()) + " --iterations 2");
  ASSERT_EQ(rl.exit_code, 0) << rl.err;
  for (const char* part : {"s per step", "generation", "verification", "training"}) {
    EXPECT_NE(rl.out.find(part), std::string::npos) << rl.out;
  }
}

// The peer benchmark's path (bench/peers/run.sh): exact prompt ids from a
// workload file, G samples each, figures and completions written as JSON.
TEST_F(CliTest, BenchRunsAWorkloadOfExactPromptIds) {
  const std::string workload = write("w.json", R"({"name": "tiny", "prompts": [[1, 21, 15, 22, 33], [1, 25, 33]],
      "answers": ["5", "9"], "group_size": 3, "max_new_tokens": 4})");
  const std::string json = (dir_ / "gen.json").string(), tokens = (dir_ / "tokens.json").string();
  const Result g = rlvr("bench generate " + tiny((dir_ / "b").string()) + " --iterations 1 --greedy --workload " +
                        workload + " --json-out " + json + " --tokens-out " + tokens);
  ASSERT_EQ(g.exit_code, 0) << g.err;
  const auto figures = nlohmann::json::parse(read_file(json));
  EXPECT_GT(figures["tokens_per_second"].get<double>(), 0);
  EXPECT_GT(figures["flops_needed"].get<double>(), 0);
  EXPECT_GT(figures["peak_rss_mb"].get<double>(), 0);
  EXPECT_EQ(figures["batch"].get<int>(), 6);
  const auto rows = nlohmann::json::parse(read_file(tokens))["tokens"].get<std::vector<std::vector<int64_t>>>();
  ASSERT_EQ(rows.size(), 6u);
  for (const auto& row : rows) EXPECT_EQ(row.size(), 4u);
  EXPECT_EQ(rows[0], rows[2]) << "greedy samples of one prompt are equal";

  const std::string step_json = (dir_ / "step.json").string();
  const Result rl = rlvr("bench rl-step " + tiny((dir_ / "b").string()) + " --iterations 1 --workload " + workload +
                         " --json-out " + step_json);
  ASSERT_EQ(rl.exit_code, 0) << rl.err;
  const auto step = nlohmann::json::parse(read_file(step_json));
  EXPECT_GT(step["seconds_per_step"].get<double>(), 0);
  EXPECT_EQ(step["completion_tokens"].get<double>(), 2 * 3 * 4) << "every completion runs to the cap";

  const std::string bad = write("bad.json", R"({"prompts": [[1, 99999]], "answers": ["1"], "group_size": 2,
      "max_new_tokens": 4})");
  const Result b = rlvr("bench generate " + tiny((dir_ / "b").string()) + " --iterations 1 --workload " + bad);
  EXPECT_NE(b.exit_code, 0);
  EXPECT_NE(b.err.find("token id 99999 outside the model's vocabulary"), std::string::npos) << b.err;
}

}  // namespace
}  // namespace rlvr
