// The host's processes as /proc shows them to the tests, which use it to find
// what a sandboxed run left behind and to find a worker's zygote.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace rlvr::sandbox {

struct HostProcess {
  pid_t pid = 0;
  pid_t parent = 0;
  char state = '?';     // R, S, D, T, Z (a zombie: dead, not yet reaped), ...
  std::string name;     // /proc/PID/comm: the name a process gives itself
  std::string cmdline;  // arguments joined with spaces
};

// Every process alive now; those that end while being read are left out.
std::vector<HostProcess> host_processes();

// "pid NAME (state S, parent PID): CMDLINE", for failure messages.
std::string describe(const HostProcess& process);

}  // namespace rlvr::sandbox
