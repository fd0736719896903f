#include "trainer/world.h"

#include <netinet/in.h>
#include <spdlog/fmt/fmt.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>

#include "core/error.h"

namespace rlvr::trainer {
namespace {

constexpr long kMaxRanks = 1 << 20;

// The integer in environment variable `name`, or nullopt when unset.
std::optional<long> env_int(const char* name, long low, long high) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value < low || value > high) {
    throw Error(fmt::format("environment variable {}='{}' is not an integer in [{}, {}] (set by torchrun, srun "
                            "or rlvr train --nproc; unset it for a single process)",
                            name, text, low, high));
  }
  return value;
}

}  // namespace

WorldInfo world_from_environment() {
  WorldInfo w;
  // torchrun's variables win; Slurm's stand in when they are absent.
  const bool torchrun = std::getenv("WORLD_SIZE") != nullptr;
  const auto world = env_int(torchrun ? "WORLD_SIZE" : "SLURM_NTASKS", 1, kMaxRanks);
  if (!world) return w;
  w.world_size = static_cast<int>(*world);
  const char* rank_name = torchrun ? "RANK" : "SLURM_PROCID";
  const auto rank = env_int(rank_name, 0, w.world_size - 1);
  if (!rank) {
    throw Error(fmt::format("{} is {} but {} is unset: every rank needs its number",
                            torchrun ? "WORLD_SIZE" : "SLURM_NTASKS", w.world_size, rank_name));
  }
  w.rank = static_cast<int>(*rank);
  w.local_world_size = static_cast<int>(
      env_int(torchrun ? "LOCAL_WORLD_SIZE" : "SLURM_NTASKS_PER_NODE", 1, kMaxRanks).value_or(w.world_size));
  w.local_rank =
      static_cast<int>(env_int(torchrun ? "LOCAL_RANK" : "SLURM_LOCALID", 0, kMaxRanks).value_or(w.rank));
  if (const char* addr = std::getenv("MASTER_ADDR"); addr != nullptr && *addr != '\0') w.master_addr = addr;
  if (const auto port = env_int("MASTER_PORT", 1, 65535)) w.master_port = static_cast<int>(*port);
  return w;
}

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw Error("found no free TCP port on 127.0.0.1 for the ranks' rendezvous");
  }
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

}  // namespace rlvr::trainer
