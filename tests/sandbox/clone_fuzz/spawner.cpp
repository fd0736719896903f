// The C++ program of the sandbox's clone fuzz test (clone_fuzz_test.cpp). Run
// it only inside the sandbox: it tries to create processes outside its own
// tree. Reads a marker and a script from stdin, names itself after the marker
// (every descendant inherits the name, so the test can find survivors) and
// carries the script out; each process it creates carries on with the steps
// after the one that created it:
//   c<hex flags>/<mode>  clone(flags | SIGCHLD); mode b: both go on, p: the
//                        parent ends at once, c: the child ends at once
//   v                    vfork, and the vfork child forks a grandchild that
//                        goes on while it ends (a double fork)
//   d                    setsid
//   s<ms>                sleep
//   o                    write "o\n" to stdout
//   t                    end this task (a thread leader ends, its threads live)
// A task ends with exit(2) of itself alone, never exit_group, so a thread
// leader can end before its threads. After a CLONE_VM clone parent and child
// share memory, so everything after parsing uses raw system calls only.
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <iostream>
#include <string>

namespace {

struct Step {
  char op = 0;
  unsigned long flags = 0;
  char mode = 'b';
  long ms = 0;
};

constexpr int kMaxSteps = 32;
constexpr size_t kStackBytes = 64 * 1024;
Step steps[kMaxSteps];
int step_count = 0;

[[noreturn]] void end_task() {
  for (;;) syscall(SYS_exit, 0);
}

void sleep_ms(long ms) {
  timespec t{ms / 1000, (ms % 1000) * 1000000};
  syscall(SYS_nanosleep, &t, nullptr);
}

[[noreturn]] void run_from(int first);

// A CLONE_VM child starts here, on its own stack, at the clone step `index`.
int vm_child(void* index) {
  const int step = static_cast<int>(reinterpret_cast<long>(index));
  if (steps[step].mode == 'c') end_task();
  run_from(step + 1);
}

// Returns in the parent, and in the child of a clone without CLONE_VM.
void do_clone(int index) {
  const Step& s = steps[index];
  long pid;
  if (s.flags & CLONE_VM) {
    void* stack = reinterpret_cast<void*>(syscall(SYS_mmap, nullptr, kStackBytes, PROT_READ | PROT_WRITE,
                                                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0));
    if (stack == MAP_FAILED) return;
    pid = clone(vm_child, static_cast<char*>(stack) + kStackBytes, static_cast<int>(s.flags | SIGCHLD),
                reinterpret_cast<void*>(static_cast<long>(index)));
  } else {
    pid = syscall(SYS_clone, s.flags | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0 && s.mode == 'c') end_task();
    if (pid == 0) return;
  }
  if (pid > 0 && s.mode == 'p') end_task();
}

void run_from(int first) {
  for (int i = first; i < step_count; ++i) {
    const Step& s = steps[i];
    switch (s.op) {
      case 'c': do_clone(i); break;
      case 'v':
        if (vfork() == 0) {
          if (syscall(SYS_fork) != 0) end_task();
        }
        break;
      case 'd': syscall(SYS_setsid); break;
      case 's': sleep_ms(s.ms); break;
      case 'o': syscall(SYS_write, 1, "o\n", 2); break;
      case 't': end_task();
    }
  }
  end_task();
}

bool parse(const std::string& word, Step* step) {
  step->op = word[0];
  if (step->op == 'c') {
    const size_t slash = word.find('/');
    if (slash == std::string::npos || slash + 1 >= word.size()) return false;
    step->flags = std::stoul(word.substr(1, slash - 1), nullptr, 16);
    step->mode = word[slash + 1];
  } else if (step->op == 's') {
    step->ms = std::stol(word.substr(1));
  }
  return true;
}

}  // namespace

int main() {
  std::string marker;
  std::cin >> marker;
  prctl(PR_SET_NAME, marker.c_str(), 0, 0, 0);
  for (std::string word; std::cin >> word && step_count < kMaxSteps;) {
    if (!parse(word, &steps[step_count])) {
      std::cerr << "bad step '" << word << "'\n";
      return 2;
    }
    ++step_count;
  }
  std::cout.flush();
  run_from(0);
}
