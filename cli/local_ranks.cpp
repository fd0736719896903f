#include "cli/local_ranks.h"

#include <signal.h>
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/error.h"
#include "trainer/world.h"

namespace rlvr::cli {
namespace {

// This process's arguments without `--nproc N` / `--nproc=N`.
std::vector<std::string> own_arguments_without_nproc() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  for (size_t start = 0; start < all.size();) {
    const size_t end = all.find('\0', start);
    args.push_back(all.substr(start, end - start));
    start = end == std::string::npos ? all.size() : end + 1;
  }
  std::vector<std::string> kept;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--nproc") {
      ++i;
    } else if (args[i].rfind("--nproc=", 0) != 0) {
      kept.push_back(args[i]);
    }
  }
  return kept;
}

pid_t start_rank(const std::vector<std::string>& args, int rank, int nproc, int port) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  // Child: a rank dies with the launcher rather than waiting out its timeout.
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  const std::string r = std::to_string(rank), n = std::to_string(nproc), p = std::to_string(port);
  ::setenv("RANK", r.c_str(), 1);
  ::setenv("LOCAL_RANK", r.c_str(), 1);
  ::setenv("WORLD_SIZE", n.c_str(), 1);
  ::setenv("LOCAL_WORLD_SIZE", n.c_str(), 1);
  ::setenv("MASTER_ADDR", "127.0.0.1", 1);
  ::setenv("MASTER_PORT", p.c_str(), 1);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv("/proc/self/exe", argv.data());
  ::_exit(127);
}

std::string describe(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("was killed by signal {}", WTERMSIG(status));
  return "stopped";
}

}  // namespace

void run_local_ranks(int nproc) {
  const auto args = own_arguments_without_nproc();
  const int port = trainer::free_loopback_port();
  spdlog::info("starting {} ranks on this machine (rendezvous 127.0.0.1:{})", nproc, port);
  std::vector<pid_t> ranks;
  for (int r = 0; r < nproc; ++r) ranks.push_back(start_rank(args, r, nproc, port));
  std::string failure;
  for (int left = nproc; left > 0; --left) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) break;
    const auto it = std::find(ranks.begin(), ranks.end(), pid);
    if (it == ranks.end()) {
      ++left;
      continue;
    }
    const int rank = static_cast<int>(it - ranks.begin());
    *it = -1;
    if (status != 0 && failure.empty()) {
      failure = fmt::format("rank {} {}", rank, describe(status));
      for (const pid_t other : ranks) {
        if (other > 0) ::kill(other, SIGTERM);
      }
    }
  }
  if (!failure.empty()) {
    throw Error("--nproc " + std::to_string(nproc) + ": " + failure + "; the other ranks were stopped");
  }
}

}  // namespace rlvr::cli
