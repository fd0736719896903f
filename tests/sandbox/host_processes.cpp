#include "tests/sandbox/host_processes.h"

#include <dirent.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace rlvr::sandbox {
namespace {

bool read_whole(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream content;
  content << in.rdbuf();
  *text = content.str();
  return true;
}

// The state and parent pid from /proc/PID/stat, whose second field (the
// name, in parentheses) may itself hold spaces and parentheses.
void parse_stat(const std::string& stat, HostProcess* process) {
  const size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) return;
  std::istringstream rest(stat.substr(name_end + 1));
  rest >> process->state >> process->parent;
}

}  // namespace

std::vector<HostProcess> host_processes() {
  std::vector<HostProcess> processes;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return processes;
  while (const dirent* entry = readdir(proc)) {
    const std::string pid = entry->d_name;
    if (pid.empty() || !std::all_of(pid.begin(), pid.end(), [](char c) { return std::isdigit(c); })) continue;
    HostProcess p;
    std::string stat;
    if (!read_whole("/proc/" + pid + "/stat", &stat) || !read_whole("/proc/" + pid + "/comm", &p.name) ||
        !read_whole("/proc/" + pid + "/cmdline", &p.cmdline)) {
      continue;
    }
    p.pid = std::stoi(pid);
    parse_stat(stat, &p);
    if (!p.name.empty() && p.name.back() == '\n') p.name.pop_back();
    std::replace(p.cmdline.begin(), p.cmdline.end(), '\0', ' ');
    processes.push_back(std::move(p));
  }
  closedir(proc);
  return processes;
}

std::string describe(const HostProcess& process) {
  return std::to_string(process.pid) + " " + process.name + " (state " + process.state + ", parent " +
         std::to_string(process.parent) + "): " + process.cmdline;
}

}  // namespace rlvr::sandbox
