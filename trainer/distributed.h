// The ranks of a data-parallel run and the collectives they exchange, on
// PyTorch's c10d (Gloo on the CPU, NCCL on CUDA): the process group that
// torchrun, Slurm's srun or `rlvr train --nproc N` describe in the
// environment. One process needs no environment and gets a communicator whose
// collectives return their input.
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config.pb.h"
#include "trainer/world.h"

namespace rlvr::trainer {

class Communicator {
 public:
  // A one-process communicator.
  Communicator();
  ~Communicator();
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

  // Joins the process group of `world` (a no-op group for world_size 1): rank 0
  // serves the rendezvous store at MASTER_ADDR:MASTER_PORT. `device` picks the
  // backend when config says AUTO_BACKEND. Throws rlvr::Error when the group
  // cannot form within the timeout or the backend is not in this build.
  static std::unique_ptr<Communicator> connect(const WorldInfo& world, const config::DistributedConfig& config,
                                               const torch::Device& device);

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }
  bool is_root() const { return rank_ == 0; }
  bool distributed() const { return world_size_ > 1; }

  // In place: every tensor becomes the sum of its values on all ranks.
  void all_reduce_sum(std::vector<torch::Tensor>& tensors);
  // Sums of `values` over all ranks (host numbers: losses, counters).
  std::vector<double> sum(const std::vector<double>& values);
  // In place: every tensor takes its value on `root`.
  void broadcast(std::vector<torch::Tensor>& tensors, int root = 0);
  // Every rank's `bytes`, in rank order (lengths may differ).
  std::vector<std::string> all_gather_bytes(const std::string& bytes);
  // Every rank's rows of `t` (float32, equal sizes but the first), concatenated
  // in rank order, on t's device.
  torch::Tensor all_gather_rows(const torch::Tensor& t);
  void barrier();

  // Wall-clock seconds this rank has spent in each kind of collective
  // ("all-reduce", "all-gather", "broadcast"), waiting for slower ranks included.
  double seconds_in(const std::string& kind) const;

  struct Group;  // the c10d store and backend, opaque here

 private:
  // One collective of `kind` (timed), with the error handling of distributed.cpp.
  template <typename Fn>
  void run(const char* kind, Fn&& start);

  int rank_ = 0;
  int world_size_ = 1;
  std::unique_ptr<Group> group_;
  std::map<std::string, double> seconds_;
};

// The communicator of a process that runs alone.
Communicator& single_process_communicator();

// Rank r's part of [0, n): [n * r / world, n * (r + 1) / world).
std::pair<int64_t, int64_t> rank_share(int64_t n, int rank, int world_size);

}  // namespace rlvr::trainer
