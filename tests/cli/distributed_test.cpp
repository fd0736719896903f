// Data-parallel training end to end, on Gloo: ranks started by `rlvr train
// --nproc`, by hand through the torchrun environment, and by torchrun itself
// when it is installed.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <iostream>

#include "cli_harness.h"
#include "models/policy.h"
#include "trainer/checkpoint.h"
#include "trainer/train.h"
#include "trainer/world.h"

namespace rlvr {
namespace {

class DistributedTest : public CliTest {
 protected:
  // SFT then RL on a global batch of 8 prompts x 4 samples, two generation
  // chunks per rank.
  std::string run(const std::string& dir, int sft_steps = 20, int rl_steps = 6) {
    return tiny(dir, sft_steps, rl_steps) + " --set output.log_every=1 --set runtime.distributed.timeout_seconds=20";
  }

  // `rlvr train <args>` as rank `rank` of `world`, in the background, the
  // torchrun environment set by hand; its stderr goes to `err`.
  pid_t start_rank(const std::string& args, int rank, int world, int port, const std::string& err) {
    const std::string env = "RANK=" + std::to_string(rank) + " LOCAL_RANK=" + std::to_string(rank) +
                            " WORLD_SIZE=" + std::to_string(world) + " LOCAL_WORLD_SIZE=" + std::to_string(world) +
                            " MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port);
    return start_rlvr("train " + args, env, err);
  }

  // Ranks 0 and 1 of a run in `dir` that stays in RL (collectives time out
  // after `timeout_s`), started by hand, once rank 0 has written an RL record.
  struct RanksInRl {
    pid_t rank0, rank1;
    std::string rank0_err;
    bool in_rl;
  };
  RanksInRl start_two_ranks_in_rl(const std::string& dir, int timeout_s) {
    const std::string args =
        run(dir, 20, 100000) + " --set runtime.distributed.timeout_seconds=" + std::to_string(timeout_s);
    const int port = trainer::free_loopback_port();
    RanksInRl r;
    r.rank0_err = (dir_ / "r0.err").string();
    r.rank0 = start_rank(args, 0, 2, port, r.rank0_err);
    r.rank1 = start_rank(args, 1, 2, port, (dir_ / "r1.err").string());
    r.in_rl = wait_for_rl(dir);
    return r;
  }

  // Seconds from `since` until `pid` exits; its exit status goes to `code`.
  static double seconds_until_exit(pid_t pid, std::chrono::steady_clock::time_point since, int& code) {
    code = exit_code(pid);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
  }

  // Waits (up to 2 minutes) until rank 0 has written an RL record to `dir`.
  static bool wait_for_rl(const std::string& dir) {
    const std::string metrics = dir + "/metrics.jsonl";
    for (int i = 0; i < 120000; ++i) {
      if (fs::exists(metrics) && read_file(metrics).find("\"kind\":\"rl\"") != std::string::npos) return true;
      usleep(1000);
    }
    return false;
  }

  static int exit_code(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // The parameters of a run's newest checkpoint.
  static std::vector<torch::Tensor> final_weights(const std::string& run_dir) {
    const auto loaded = trainer::load_run_config(run_dir, {});
    models::Policy policy(loaded.config.model(), loaded.config.runtime().seed());
    trainer::load_checkpoint(trainer::latest_checkpoint(run_dir), policy);
    return policy.model()->parameters();
  }
};

// The largest |a - b| / max(1, |a|) over the numbers both records hold, less
// the entropy (the mean over the ranks' first micro-batches by design).
double largest_difference(const nlohmann::json& a, const nlohmann::json& b, std::string& where) {
  double worst = 0;
  for (auto it = a.begin(); it != a.end(); ++it) {
    if (!it.value().is_number() || !b.contains(it.key()) || it.key() == "entropy") continue;
    const double x = it.value().get<double>(), y = b[it.key()].get<double>();
    const double d = std::abs(x - y) / std::max(1.0, std::abs(x));
    if (d > worst) {
      worst = d;
      where = a["kind"].get<std::string>() + " " + std::to_string(a["step"].get<int>()) + " " + it.key();
    }
  }
  return worst;
}

// Two ranks with the same global batch as one process (whose four generation
// chunks are the ranks' two each): the same losses, rewards and weights to
// fp32 rounding, every rank's weights checked equal after every step, and the
// metrics written once.
// GRPO with one update per step, and REINFORCE++ (batch-wide advantages) with
// two epochs of two minibatches and a KL reference (the scoring passes split
// between the ranks too).
class TwoRanksVersusOne : public DistributedTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(TwoRanksVersusOne, EqualOnTheSameGlobalBatch) {
  const std::string one = (dir_ / "one").string(), two = (dir_ / "two").string();
  const Result a = rlvr("train " + run(one) + GetParam() + " --set rl.generation_chunks=4");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const Result b = rlvr("train " + run(two) + GetParam() + " --nproc 2 --set runtime.distributed.check_replicas=true");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_NE(b.err.find("rank 0 of 2"), std::string::npos) << b.err;
  EXPECT_NE(b.out.find("== rlvr train: done =="), std::string::npos);

  const auto ma = deterministic_metrics(one), mb = deterministic_metrics(two);
  ASSERT_EQ(ma.size(), mb.size()) << "metrics lines: one process vs two ranks";
  double worst = 0;
  std::string where;
  bool rewarded = false;
  for (size_t i = 0; i < ma.size(); ++i) {
    ASSERT_EQ(ma[i]["kind"], mb[i]["kind"]) << "line " << i + 1;
    ASSERT_EQ(ma[i]["step"], mb[i]["step"]) << "line " << i + 1;
    std::string at;
    const double d = largest_difference(ma[i], mb[i], at);
    if (d > worst) worst = d, where = at;
    rewarded |= ma[i].value("reward/mean", 0.0) > 0;
  }
  EXPECT_TRUE(rewarded) << "no RL step had a reward: the comparison would not cover the update";
  std::cout << "largest relative metrics difference: " << worst << " (" << where << ")\n";
  EXPECT_LT(worst, 1e-4) << where;

  const auto wa = final_weights(one), wb = final_weights(two);
  ASSERT_EQ(wa.size(), wb.size());
  float weight_diff = 0;
  for (size_t i = 0; i < wa.size(); ++i) weight_diff = std::max(weight_diff, (wa[i] - wb[i]).abs().max().item<float>());
  std::cout << "largest weight difference: " << weight_diff << "\n";
  EXPECT_LT(weight_diff, 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, TwoRanksVersusOne,
                         ::testing::Values(std::string(""),
                                           std::string(" --set rl.algorithm=REINFORCE_PP --set rl.ppo_epochs=2 "
                                                       "--set rl.minibatches=2 --set rl.kl_coef=0.01")));

// Ranks started with the torchrun environment set by hand, and by torchrun
// --no-python, train exactly as --nproc's ranks do.
TEST_F(DistributedTest, TorchrunEnvironmentAndTorchrunTrainAlike) {
  const std::string launched = (dir_ / "launched").string(), by_hand = (dir_ / "by_hand").string();
  ASSERT_EQ(rlvr("train " + run(launched, 10, 3) + " --nproc 2").exit_code, 0);
  const int port = trainer::free_loopback_port();
  const pid_t r0 = start_rank(run(by_hand, 10, 3), 0, 2, port, (dir_ / "r0.err").string());
  const pid_t r1 = start_rank(run(by_hand, 10, 3), 1, 2, port, (dir_ / "r1.err").string());
  ASSERT_EQ(exit_code(r0), 0) << read_file((dir_ / "r0.err").string());
  ASSERT_EQ(exit_code(r1), 0) << read_file((dir_ / "r1.err").string());
  EXPECT_EQ(deterministic_metrics(launched), deterministic_metrics(by_hand));

  if (std::system("command -v torchrun >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "torchrun is not on PATH (it comes with the torch wheel): its part is skipped";
  }
  const std::string torchrun = (dir_ / "torchrun").string();
  const std::string cmd = std::string("cd ") + RLVR_SOURCE_DIR + " && torchrun --standalone --nproc-per-node 2 " +
                          "--no-python " + RLVR_BINARY + " train " + run(torchrun, 10, 3) + " >" +
                          (dir_ / "torchrun.out").string() + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file((dir_ / "torchrun.out").string());
  EXPECT_EQ(deterministic_metrics(launched), deterministic_metrics(torchrun));
}

// A rank that dies makes the other exit non-zero, naming it, within the
// collective timeout rather than hanging.
TEST_F(DistributedTest, KilledRankFailsTheOtherNamingIt) {
  // Kill rank 1 once RL runs.
  const RanksInRl ranks = start_two_ranks_in_rl((dir_ / "killed").string(), 10);
  kill(ranks.rank1, SIGKILL);
  exit_code(ranks.rank1);
  ASSERT_TRUE(ranks.in_rl) << "RL never started: " << read_file(ranks.rank0_err);
  int code = 0;
  const double seconds = seconds_until_exit(ranks.rank0, std::chrono::steady_clock::now(), code);
  EXPECT_NE(code, 0);
  EXPECT_LT(seconds, 60) << "rank 0 took " << seconds << " s to notice (timeout 10 s)";
  const std::string err = read_file(ranks.rank0_err);
  EXPECT_NE(err.find("failed on rank 0 of 2; rank 1 "), std::string::npos) << err;
}

// A rank that hangs (stopped) makes the other fail once a collective has
// waited timeout_seconds, naming it, instead of waiting forever.
TEST_F(DistributedTest, HungRankFailsTheOtherAfterTheTimeout) {
  const RanksInRl ranks = start_two_ranks_in_rl((dir_ / "hung").string(), 3);
  kill(ranks.rank1, SIGSTOP);
  int code = 0;
  const double seconds = seconds_until_exit(ranks.rank0, std::chrono::steady_clock::now(), code);
  kill(ranks.rank1, SIGKILL);
  exit_code(ranks.rank1);
  ASSERT_TRUE(ranks.in_rl) << "RL never started: " << read_file(ranks.rank0_err);
  EXPECT_NE(code, 0);
  EXPECT_LT(seconds, 60) << "rank 0 waited " << seconds << " s (timeout 3 s)";
  const std::string err = read_file(ranks.rank0_err);
  EXPECT_NE(err.find("rank 1 stopped responding"), std::string::npos) << err;
}

// SIGKILL of every rank mid-RL, then --resume with the same world size, gives
// the metrics of an uninterrupted two-rank run.
TEST_F(DistributedTest, SigkillOfBothRanksThenResumeMatchesUninterruptedRun) {
  const std::string full = (dir_ / "full").string(), cut = (dir_ / "cut").string();
  ASSERT_EQ(rlvr("train " + run(full, 20, 16) + " --nproc 2").exit_code, 0);

  // The launcher and its ranks: one process group to kill.
  const pid_t launcher = start_rlvr("train " + run(cut, 20, 16) + " --nproc 2", "", "/dev/null", /*own_group=*/true);
  ASSERT_GE(launcher, 0);
  const bool seen = wait_for_rl_checkpoint(cut, 120000);
  kill(-launcher, SIGKILL);
  int status = 0;
  waitpid(launcher, &status, 0);
  ASSERT_TRUE(seen) << "no RL checkpoint appeared";
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it could be killed";

  const Result resumed = rlvr("train --resume " + cut + " --nproc 2");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const auto a = deterministic_metrics(full), b = deterministic_metrics(cut);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << "metrics line " << i + 1;
}

// Each rank's draws depend on its rank: a run resumes only on as many ranks.
TEST_F(DistributedTest, ResumeOnAnotherWorldSizeIsRefused) {
  const std::string dir = (dir_ / "two").string();
  ASSERT_EQ(rlvr("train " + run(dir, 4, 2) + " --nproc 2").exit_code, 0);
  const Result r = rlvr("train --resume " + dir + " --set rl.steps=3");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("it was trained on 2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--nproc 2"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace rlvr
