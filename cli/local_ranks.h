// `rlvr train --nproc N` (and `bench rl-step --nproc N`): this command started
// N times on this machine as the ranks of one data-parallel run, the way
// torchrun --standalone would.
#pragma once

namespace rlvr::cli {

// Runs this process's own command line, less `--nproc N`, as ranks 0..N-1
// (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1 and a
// free MASTER_PORT in their environment) and waits for them. When one fails the
// others are stopped; throws rlvr::Error naming it. Linux only (/proc/self).
void run_local_ranks(int nproc);

}  // namespace rlvr::cli
