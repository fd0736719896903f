#include "tests/sandbox/clone_fuzz_scripts.h"

#include <sched.h>

#include <random>
#include <sstream>

namespace rlvr::sandbox {
namespace {

// Steps that double the processes running the rest of the script; at most
// this many per script keeps a run far below the sandbox's process limit.
constexpr int kMaxDoublings = 3;
constexpr int kMaxSteps = 5;

// Every flag that changes where a process sits (parent, thread group, PID
// namespace) or what it shares, plus a harmless few.
constexpr unsigned long kFlags[] = {CLONE_PARENT, CLONE_VM,     CLONE_FS,      CLONE_FILES,
                                    CLONE_SIGHAND, CLONE_THREAD, CLONE_VFORK,   CLONE_NEWPID,
                                    CLONE_NEWUSER, CLONE_SYSVSEM, CLONE_UNTRACED, CLONE_IO};

const char* const kFamilies[] = {
    "c8000/c s50",             // a sibling (CLONE_PARENT) that ends at once
    "c8000/b s50 o",           // a sibling and the program both go on
    "c8000/p s30000",          // the program ends, its sibling sleeps
    "c8000/b c8000/b s100",    // siblings of siblings
    "c0/b c8000/p s30000",     // a child makes a sibling of itself and ends
    "c20000000/p o",           // CLONE_NEWPID
    "c0/p d c0/p s30000",      // a daemon: fork, setsid, fork, the parents end
    "v s200 o",                // vfork, then a double fork
    "c4000/b s30",             // CLONE_VFORK
    "c4000/c",
    "d c0/p s30000",           // setsid, then an orphan
    "s30000",                  // just sleeping: a time-out
};

const char* const kCppFamilies[] = {
    "c8100/p s30000",   // a sibling sharing the program's memory
    "c10900/p s30000",  // a thread; the leader ends before it
    "c10900/b t",       // a thread; both end
    "c18900/p s30000",  // a thread created with CLONE_PARENT too
    "c4100/c s20",      // vfork-style: CLONE_VM | CLONE_VFORK
};

// How often each flag is drawn: CLONE_PARENT, the way out of the program's
// tree, most; the namespace flags seldom, since seccomp refuses the whole
// clone when one is set.
double flag_probability(unsigned long flag) {
  if (flag == CLONE_PARENT) return 0.4;
  if (flag == CLONE_NEWPID || flag == CLONE_NEWUSER) return 0.05;
  return 0.2;
}

unsigned long random_flags(std::mt19937& rng, bool python) {
  std::bernoulli_distribution mostly(0.75);
  unsigned long flags = 0;
  for (unsigned long flag : kFlags) {
    if (flag == CLONE_VM && python) continue;
    if (std::bernoulli_distribution(flag_probability(flag))(rng)) flags |= flag;
  }
  // Mostly the combinations the kernel accepts, so that threads get made.
  if (!python && (flags & CLONE_THREAD) && mostly(rng)) flags |= CLONE_SIGHAND | CLONE_VM;
  if (!python && (flags & CLONE_SIGHAND) && mostly(rng)) flags |= CLONE_VM;
  return flags;
}

std::string random_script(std::mt19937& rng, bool python) {
  std::uniform_int_distribution<int> length(1, kMaxSteps), kind(0, 99), pick(0, 2);
  std::bernoulli_distribution long_sleep(0.15);
  const long short_sleeps[] = {0, 20, 100};
  const char modes[] = {'b', 'p', 'c'};
  std::ostringstream script;
  int doublings = 0;
  const int steps = length(rng);
  for (int i = 0; i < steps; ++i) {
    if (i > 0) script << ' ';
    const int k = kind(rng);
    if (k < 45) {
      char mode = modes[pick(rng)];
      if (mode == 'b' && ++doublings > kMaxDoublings) mode = 'p';
      script << 'c' << std::hex << random_flags(rng, python) << std::dec << '/' << mode;
    } else if (k < 60) {
      script << 's' << (long_sleep(rng) ? 30000 : short_sleeps[pick(rng)]);
    } else if (k < 70) {
      script << 'd';
    } else if (k < 80 && ++doublings <= kMaxDoublings) {
      script << 'v';
    } else {
      script << 'o';
    }
  }
  // Ending early only means something once there are threads to outlive it.
  if (script.str().find('c') != std::string::npos && kind(rng) < 30) script << " t";
  return script.str();
}

}  // namespace

std::vector<std::string> clone_fuzz_scripts(bool python, uint32_t seed, int random_count) {
  std::vector<std::string> scripts(std::begin(kFamilies), std::end(kFamilies));
  if (!python) scripts.insert(scripts.end(), std::begin(kCppFamilies), std::end(kCppFamilies));
  std::mt19937 rng(seed);
  for (int i = 0; i < random_count; ++i) scripts.push_back(random_script(rng, python));
  return scripts;
}

}  // namespace rlvr::sandbox
