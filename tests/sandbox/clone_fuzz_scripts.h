// Scripts for the sandbox's clone fuzz test: process-creation steps in the
// little language of clone_fuzz/spawner.cpp and spawner.py (clone with any
// mix of CLONE_* flags, vfork double forks, setsid, sleeps, parents or
// children that end at once, thread leaders that end before their threads).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rlvr::sandbox {

// The hand-picked families first (siblings through CLONE_PARENT, daemons,
// vfork, threads, new PID namespaces), then `random_count` scripts drawn from
// `seed`: the same arguments always give the same scripts. Python's have no
// CLONE_VM (its interpreter cannot share a stack between two tasks).
std::vector<std::string> clone_fuzz_scripts(bool python, uint32_t seed, int random_count);

}  // namespace rlvr::sandbox
