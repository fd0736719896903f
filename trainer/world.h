// Where this process sits among the ranks of a data-parallel run, from the
// environment that torchrun, Slurm's srun or `rlvr train --nproc N` set.
// Torch-free, so the CLI can ask before anything is built.
#pragma once

#include <string>

namespace rlvr::trainer {

// Where this process sits, from RANK, WORLD_SIZE, LOCAL_RANK,
// LOCAL_WORLD_SIZE, MASTER_ADDR and MASTER_PORT (torchrun), or SLURM_PROCID,
// SLURM_NTASKS, SLURM_LOCALID and SLURM_NTASKS_PER_NODE when those are absent.
struct WorldInfo {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;
  int local_world_size = 1;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
};

// Throws rlvr::Error naming the variable when one is malformed or out of range.
WorldInfo world_from_environment();

// A TCP port free on 127.0.0.1 now, for a rendezvous on this machine (the
// ranks bind it moments later). Throws rlvr::Error when there is none.
int free_loopback_port();

}  // namespace rlvr::trainer
