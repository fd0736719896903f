#include "trainer/data_parallel.h"

#include <spdlog/fmt/fmt.h>

#include "core/error.h"

namespace rlvr::trainer {
namespace {

constexpr int64_t kBucketBytes = int64_t{16} << 20;

// FNV-1a over a tensor's bytes: equal weights give equal digests on every rank.
uint64_t digest(const torch::Tensor& t) {
  const auto cpu = t.detach().cpu().contiguous();
  const auto* bytes = static_cast<const uint8_t*>(cpu.data_ptr());
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < cpu.nbytes(); ++i) h = (h ^ bytes[i]) * 1099511628211ULL;
  return h;
}

}  // namespace

void broadcast_weights(models::Policy& policy, Communicator& comm) {
  if (!comm.distributed()) return;
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> tensors;
  for (const auto& p : policy.model()->parameters()) tensors.push_back(p);
  for (const auto& b : policy.model()->buffers()) tensors.push_back(b);
  comm.broadcast(tensors, 0);
}

void all_reduce_gradients(models::Policy& policy, Communicator& comm) {
  if (!comm.distributed()) return;
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> bucket_grads;
  int64_t bucket_bytes = 0;
  const auto flush = [&] {
    if (bucket_grads.empty()) return;
    std::vector<torch::Tensor> rows;
    for (const auto& g : bucket_grads) rows.push_back(g.reshape({-1}));
    std::vector<torch::Tensor> flat{torch::cat(rows)};
    comm.all_reduce_sum(flat);
    int64_t offset = 0;
    for (auto& g : bucket_grads) {
      g.copy_(flat[0].narrow(0, offset, g.numel()).view_as(g));
      offset += g.numel();
    }
    bucket_grads.clear();
    bucket_bytes = 0;
  };
  for (auto& p : policy.model()->parameters()) {
    if (!p.requires_grad()) continue;
    if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
    bucket_grads.push_back(p.grad());
    bucket_bytes += p.grad().nbytes();
    if (bucket_bytes >= kBucketBytes) flush();
  }
  flush();
}

void check_replicas(models::Policy& policy, Communicator& comm) {
  if (!comm.distributed()) return;
  const auto named = policy.model()->named_parameters();
  std::string digests;
  for (const auto& p : named) {
    const uint64_t d = digest(p.value());
    digests.append(reinterpret_cast<const char*>(&d), sizeof d);
  }
  const auto all = comm.all_gather_bytes(digests);
  for (int r = 1; r < comm.world_size(); ++r) {
    if (all[static_cast<size_t>(r)] == all[0]) continue;
    size_t first = 0;
    while (first + sizeof(uint64_t) <= all[0].size() &&
           all[0].compare(first, sizeof(uint64_t), all[static_cast<size_t>(r)], first, sizeof(uint64_t)) == 0) {
      first += sizeof(uint64_t);
    }
    const size_t index = first / sizeof(uint64_t);
    throw Error(fmt::format("distributed: rank {} holds other weights than rank 0 (first differing parameter: {}); "
                            "the ranks' updates diverged",
                            r, index < named.size() ? named[index].key() : "?"));
  }
}

std::vector<int64_t> owned_rows(const std::vector<int64_t>& rows, int64_t total, const Communicator& comm) {
  if (!comm.distributed()) return rows;
  const auto [first, last] = rank_share(total, comm.rank(), comm.world_size());
  std::vector<int64_t> out;
  for (int64_t r : rows) {
    if (r >= first && r < last) out.push_back(r);
  }
  return out;
}

}  // namespace rlvr::trainer
