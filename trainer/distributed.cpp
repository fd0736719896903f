#include "trainer/distributed.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef RLVR_WITH_NCCL
#include <c10/cuda/CUDAFunctions.h>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/error.h"

namespace rlvr::trainer {

namespace {

std::string host_name() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace

Communicator& single_process_communicator() {
  static Communicator alone;
  return alone;
}

std::pair<int64_t, int64_t> rank_share(int64_t n, int rank, int world_size) {
  return {n * rank / world_size, n * (rank + 1) / world_size};
}

// How often each rank bumps its heartbeat counter in the store, and how long
// a failed collective watches the counters to tell a stopped rank from a busy one.
constexpr auto kHeartbeat = std::chrono::milliseconds(250);
constexpr auto kHeartbeatWatch = std::chrono::milliseconds(1500);

struct Communicator::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::Backend> backend;
  torch::Device device = torch::kCPU;  // where collective buffers live (CUDA for NCCL)
  std::chrono::milliseconds timeout{0};
  int64_t sequence = 0;                // collectives this rank has entered
  // A thread that bumps rlvr/alive/<rank> every kHeartbeat on its own store
  // connection, so a stopped or hung process shows as one whose counter stalls.
  // Detached at the end (a bump blocked on a dead store must not hold up the
  // exit), so what it reads is shared with it.
  struct Heartbeat {
    std::mutex mutex;
    std::condition_variable wake;
    bool stop = false;
  };
  std::shared_ptr<Heartbeat> heartbeat;

  void start_heartbeat(int rank) {
    heartbeat = std::make_shared<Heartbeat>();
    std::thread([beat = heartbeat, rank, store = store->clone()] {
      std::unique_lock<std::mutex> lock(beat->mutex);
      while (!beat->stop) {
        lock.unlock();
        try {
          store->add(fmt::format("rlvr/alive/{}", rank), 1);
        } catch (const std::exception&) {
          return;  // the store is gone: the run is failing anyway
        }
        lock.lock();
        beat->wake.wait_for(lock, kHeartbeat, [&] { return beat->stop; });
      }
    }).detach();
  }

  ~Group() {
    if (!heartbeat) return;
    {
      std::lock_guard<std::mutex> lock(heartbeat->mutex);
      heartbeat->stop = true;
    }
    heartbeat->wake.notify_all();
  }
};

Communicator::Communicator() = default;
Communicator::~Communicator() = default;

std::unique_ptr<Communicator> Communicator::connect(const WorldInfo& world, const config::DistributedConfig& config,
                                                    const torch::Device& device) {
  auto comm = std::make_unique<Communicator>();
  comm->rank_ = world.rank;
  comm->world_size_ = world.world_size;
  if (world.world_size == 1) return comm;
  const bool nccl = config.backend() == config::NCCL || (config.backend() == config::AUTO_BACKEND && device.is_cuda());
  auto group = std::make_unique<Group>();
  group->timeout = std::chrono::milliseconds(static_cast<int64_t>(config.timeout_seconds() * 1000));
  const std::string where = fmt::format("rank {} of {} (store {}:{})", world.rank, world.world_size,
                                        world.master_addr, world.master_port);
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<uint16_t>(world.master_port);
    options.isServer = world.rank == 0;
    options.numWorkers = world.world_size;
    options.timeout = group->timeout;
    group->store = c10::make_intrusive<c10d::TCPStore>(world.master_addr, options);
    if (nccl) {
#ifdef RLVR_WITH_NCCL
      auto nccl_options = c10d::ProcessGroupNCCL::Options::create();
      nccl_options->timeout = group->timeout;
      group->backend =
          c10::make_intrusive<c10d::ProcessGroupNCCL>(group->store, world.rank, world.world_size, nccl_options);
      group->device = torch::Device(torch::kCUDA, device.has_index() ? device.index() : world.local_rank);
      // "cuda" without an index means this rank's GPU from here on.
      c10::cuda::set_device(group->device.index());
#else
      throw Error("runtime.distributed.backend: NCCL is not in this build (LibTorch without CUDA); use GLOO");
#endif
    } else {
      auto gloo_options = c10d::ProcessGroupGloo::Options::create(group->timeout);
      const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
      gloo_options->devices.push_back(interface != nullptr && *interface != '\0'
                                          ? c10d::ProcessGroupGloo::createDeviceForInterface(interface)
                                          : c10d::ProcessGroupGloo::createDefaultDevice());
      group->backend =
          c10::make_intrusive<c10d::ProcessGroupGloo>(group->store, world.rank, world.world_size, gloo_options);
    }
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw Error(fmt::format("distributed: {} could not join the process group within {} s: {}", where,
                            config.timeout_seconds(), e.what_without_backtrace()));
  }
  const std::string host_pid = fmt::format("{}:{}", host_name(), ::getpid());
  group->store->set(fmt::format("rlvr/pid/{}", world.rank), std::vector<uint8_t>(host_pid.begin(), host_pid.end()));
  group->start_heartbeat(world.rank);
  spdlog::info("distributed: {} joined ({})", where, nccl ? "NCCL" : "Gloo");
  comm->group_ = std::move(group);
  return comm;
}

namespace {

// "; rank 1 is gone (...)" for the ranks that did not take part in the
// collective that failed: a process on this host that no longer exists, a rank
// whose heartbeat stalls, or a live rank whose last posted collective is older
// than ours. Empty when none is known (the store's host, rank 0, being
// unreachable is said so). Reads only keys that exist: a get would wait.
std::string absent_ranks(Communicator::Group& g, int rank, int world_size) {
  std::vector<std::string> out;
  try {
    const std::string here = host_name();
    const auto heartbeats = [&] {
      std::vector<int64_t> beats;
      for (int r = 0; r < world_size; ++r) beats.push_back(g.store->add(fmt::format("rlvr/alive/{}", r), 0));
      return beats;
    };
    const std::vector<int64_t> before = heartbeats();
    std::this_thread::sleep_for(kHeartbeatWatch);
    const std::vector<int64_t> after = heartbeats();
    for (int r = 0; r < world_size; ++r) {
      if (r == rank) continue;
      const std::string pid_key = fmt::format("rlvr/pid/{}", r), seq_key = fmt::format("rlvr/seq/{}", r);
      if (g.store->check({pid_key})) {
        const auto where = g.store->get(pid_key);
        const std::string host_pid(where.begin(), where.end());
        const size_t colon = host_pid.rfind(':');
        const pid_t pid = static_cast<pid_t>(std::stol(host_pid.substr(colon + 1)));
        if (host_pid.substr(0, colon) == here && ::kill(pid, 0) != 0 && errno == ESRCH) {
          out.push_back(fmt::format("rank {} is gone (process {} exited)", r, pid));
          continue;
        }
      }
      if (after[static_cast<size_t>(r)] == before[static_cast<size_t>(r)]) {
        out.push_back(fmt::format("rank {} stopped responding (no heartbeat for {} ms: stopped, hung or dead)", r,
                                  kHeartbeatWatch.count()));
        continue;
      }
      int64_t seq = 0;
      if (g.store->check({seq_key})) {
        const auto bytes = g.store->get(seq_key);
        std::copy_n(bytes.begin(), std::min(bytes.size(), sizeof(int64_t)), reinterpret_cast<uint8_t*>(&seq));
      }
      if (seq < g.sequence) out.push_back(fmt::format("rank {} never reached it (alive but elsewhere)", r));
    }
  } catch (const std::exception&) {
    if (rank != 0) out = {"rank 0, the rendezvous store's host, is unreachable"};
  }
  return out.empty() ? "" : fmt::format("; {}", fmt::join(out, "; "));
}

}  // namespace

// Runs one collective; on failure names the ranks that never entered it (from
// the sequence numbers every rank posts to the store) or the store's host.
template <typename Fn>
void Communicator::run(const char* what, Fn&& fn) {
  Group& g = *group_;
  const int rank = rank_, world_size = world_size_;
  const auto start = std::chrono::steady_clock::now();
  ++g.sequence;
  try {
    auto seq_bytes = std::vector<uint8_t>(reinterpret_cast<const uint8_t*>(&g.sequence),
                                          reinterpret_cast<const uint8_t*>(&g.sequence) + sizeof(int64_t));
    g.store->set(fmt::format("rlvr/seq/{}", rank), seq_bytes);
    fn()->wait(g.timeout);
  } catch (const std::exception& e) {
    const auto* c10_error = dynamic_cast<const c10::Error*>(&e);
    const std::string why = c10_error != nullptr ? c10_error->what_without_backtrace() : e.what();
    throw Error(fmt::format("distributed: {} #{} failed on rank {} of {}{}: {}", what, g.sequence, rank, world_size,
                            absent_ranks(g, rank, world_size), why));
  }
  seconds_[what] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double Communicator::seconds_in(const std::string& kind) const {
  const auto it = seconds_.find(kind);
  return it == seconds_.end() ? 0.0 : it->second;
}

// c10d reads a vector of tensors as one tensor per local device, so each of
// ours is a collective of its own.
void Communicator::all_reduce_sum(std::vector<torch::Tensor>& tensors) {
  if (!group_) return;
  for (auto& t : tensors) {
    std::vector<torch::Tensor> buffer{t.to(group_->device).contiguous()};
    run("all-reduce", [&] { return group_->backend->allreduce(buffer); });
    if (!buffer[0].is_same(t)) t.copy_(buffer[0]);
  }
}

std::vector<double> Communicator::sum(const std::vector<double>& values) {
  if (!group_ || values.empty()) return values;
  std::vector<torch::Tensor> t{torch::tensor(values, torch::kDouble)};
  all_reduce_sum(t);
  const auto cpu = t[0].cpu();
  return {cpu.data_ptr<double>(), cpu.data_ptr<double>() + cpu.numel()};
}

void Communicator::broadcast(std::vector<torch::Tensor>& tensors, int root) {
  if (!group_) return;
  c10d::BroadcastOptions options;
  options.rootRank = root;
  for (auto& t : tensors) {
    std::vector<torch::Tensor> buffer{t.to(group_->device).contiguous()};
    run("broadcast", [&] { return group_->backend->broadcast(buffer, options); });
    if (!buffer[0].is_same(t)) t.copy_(buffer[0]);
  }
}

std::vector<std::string> Communicator::all_gather_bytes(const std::string& bytes) {
  if (!group_) return {bytes};
  const auto gather = [&](const torch::Tensor& local) {
    std::vector<std::vector<torch::Tensor>> out(1);
    for (int r = 0; r < world_size_; ++r) out[0].push_back(torch::empty_like(local));
    std::vector<torch::Tensor> in{local};
    run("all-gather", [&] { return group_->backend->allgather(out, in); });
    return out[0];
  };
  const auto sizes = gather(torch::tensor({static_cast<int64_t>(bytes.size())}, torch::kLong).to(group_->device));
  int64_t longest = 0;
  std::vector<int64_t> lengths;
  for (const auto& s : sizes) {
    lengths.push_back(s.cpu().item<int64_t>());
    longest = std::max(longest, lengths.back());
  }
  auto local = torch::zeros({std::max<int64_t>(1, longest)}, torch::kUInt8);
  std::copy(bytes.begin(), bytes.end(), reinterpret_cast<char*>(local.data_ptr<uint8_t>()));
  const auto parts = gather(local.to(group_->device));
  std::vector<std::string> out;
  for (int r = 0; r < world_size_; ++r) {
    const auto cpu = parts[static_cast<size_t>(r)].cpu();
    const char* data = reinterpret_cast<const char*>(cpu.data_ptr<uint8_t>());
    out.emplace_back(data, data + lengths[static_cast<size_t>(r)]);
  }
  return out;
}

torch::Tensor Communicator::all_gather_rows(const torch::Tensor& t) {
  if (!group_) return t;
  TORCH_CHECK(t.scalar_type() == torch::kFloat, "all_gather_rows: float32 rows only");
  const auto cpu = t.to(torch::kCPU).contiguous();
  const auto parts = all_gather_bytes(
      std::string(reinterpret_cast<const char*>(cpu.data_ptr<float>()), static_cast<size_t>(cpu.nbytes())));
  auto row_shape = cpu.sizes().vec();
  int64_t row_values = 1;
  for (int64_t d = 1; d < cpu.dim(); ++d) row_values *= cpu.size(d);
  std::vector<torch::Tensor> rows;
  for (const std::string& part : parts) {
    row_shape[0] = row_values > 0 ? static_cast<int64_t>(part.size() / sizeof(float)) / row_values : 0;
    rows.push_back(torch::from_blob(const_cast<char*>(part.data()), row_shape, torch::kFloat).clone());
  }
  return torch::cat(rows, 0).to(t.device());
}

void Communicator::barrier() {
  if (!group_) return;
  // An all-reduce of one number: Gloo's barrier takes no timeout of ours.
  std::vector<torch::Tensor> t{torch::zeros({1}, torch::TensorOptions().device(group_->device))};
  all_reduce_sum(t);
}

}  // namespace rlvr::trainer
