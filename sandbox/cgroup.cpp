#include "sandbox/cgroup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.h"
#include "core/text_util.h"

namespace rlvr::sandbox {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool write_text(const std::string& path, const std::string& value) {
  std::ofstream out(path);
  out << value;
  out.flush();
  return static_cast<bool>(out);
}

struct Mount {
  std::string root;   // the hierarchy's path mounted here
  std::string point;  // where it is mounted
};

// v1 hierarchies by controller, and the v2 one under "".
std::map<std::string, Mount> cgroup_mounts() {
  std::map<std::string, Mount> mounts;
  std::istringstream in(read_text("/proc/self/mountinfo"));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, device, root, point;
    fields >> id >> parent >> device >> root >> point;
    const size_t dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream tail(line.substr(dash + 3));
    std::string type, source, options;
    tail >> type >> source >> options;
    if (type == "cgroup2") {
      mounts.emplace("", Mount{root, point});
    } else if (type == "cgroup") {
      for (const std::string& option : split(options, ',')) mounts.emplace(option, Mount{root, point});
    }
  }
  return mounts;
}

// rlvr's own cgroup path per controller ("" for v2).
std::map<std::string, std::string> own_cgroups() {
  std::map<std::string, std::string> paths;
  std::istringstream in(read_text("/proc/self/cgroup"));
  std::string line;
  while (std::getline(in, line)) {
    const size_t first = line.find(':');
    const size_t second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (controllers.empty()) {
      paths[""] = path;
    } else {
      for (const std::string& controller : split(controllers, ',')) paths[controller] = path;
    }
  }
  return paths;
}

// Directory of a new child `name` of rlvr's cgroup in the hierarchy of `controller`.
std::string child_directory(const std::map<std::string, Mount>& mounts,
                            const std::map<std::string, std::string>& own, const std::string& controller,
                            const std::string& name) {
  const auto mount = mounts.find(controller);
  const auto path = own.find(controller);
  if (mount == mounts.end() || path == own.end()) return "";
  std::string relative = path->second;
  if (mount->second.root != "/" && relative.rfind(mount->second.root, 0) == 0) {
    relative = relative.substr(mount->second.root.size());
  }
  if (!relative.empty() && relative.back() == '/') relative.pop_back();
  return mount->second.point + relative + "/" + name;
}

}  // namespace

struct WorkerCgroup::Files {
  bool v2 = false;
  std::vector<std::string> dirs;  // what to remove, in order
  std::string memory, pids, cpu;
  // Control files stay open: each run reads and writes several, and opening
  // them costs more than the access itself.
  std::map<std::string, int> open_files;
  int64_t memory_limit = -1;  // last written, to skip rewriting the same value
  int64_t process_limit = -1;

  ~Files() {
    for (const auto& [path, fd] : open_files) close(fd);
  }
  int fd(const std::string& path) {
    const auto it = open_files.find(path);
    if (it != open_files.end()) return it->second;
    int opened = open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (opened < 0) opened = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (opened >= 0) open_files.emplace(path, opened);
    return opened;
  }
  std::string read(const std::string& path) {
    const int file = fd(path);
    char buffer[4096];
    const ssize_t got = file < 0 ? -1 : pread(file, buffer, sizeof buffer, 0);
    return got > 0 ? std::string(buffer, static_cast<size_t>(got)) : std::string();
  }
  bool write(const std::string& path, const std::string& value) {
    const int file = fd(path);
    return file >= 0 && pwrite(file, value.data(), value.size(), 0) == static_cast<ssize_t>(value.size());
  }
  int64_t read_int(const std::string& path) {
    const std::string text = trim(read(path));
    if (text.empty() || text == "max") return -1;
    return std::stoll(text);
  }
  // The value after `key` in a "key value" per line file (memory.events, cpu.stat, ...).
  int64_t read_keyed(const std::string& path, const std::string& key) {
    std::istringstream in(read(path));
    std::string name;
    int64_t value = 0;
    while (in >> name >> value) {
      if (name == key) return value;
    }
    return 0;
  }
};

WorkerCgroup::WorkerCgroup(std::unique_ptr<Files> files) : files_(std::move(files)) {}

std::unique_ptr<WorkerCgroup> WorkerCgroup::create(const std::string& name, std::string* why_not) {
  const auto mounts = cgroup_mounts();
  const auto own = own_cgroups();
  auto files = std::make_unique<Files>();
  auto make = [&](const std::string& dir) {
    if (dir.empty()) return false;
    if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return false;
    files->dirs.push_back(dir);
    return true;
  };
  auto give_up = [&](const std::string& reason) -> std::unique_ptr<WorkerCgroup> {
    for (auto it = files->dirs.rbegin(); it != files->dirs.rend(); ++it) rmdir(it->c_str());
    *why_not = reason;
    return nullptr;
  };
  if (mounts.count("memory") && mounts.count("pids") && mounts.count("cpuacct")) {
    files->memory = child_directory(mounts, own, "memory", name);
    files->pids = child_directory(mounts, own, "pids", name);
    files->cpu = child_directory(mounts, own, "cpuacct", name);
    if (!make(files->memory) || !make(files->pids) || !make(files->cpu)) {
      return give_up("cannot create cgroup v1 directories (" + std::string(std::strerror(errno)) + ")");
    }
    return std::unique_ptr<WorkerCgroup>(new WorkerCgroup(std::move(files)));
  }
  if (mounts.count("")) {
    const std::string dir = child_directory(mounts, own, "", name);
    const std::string parent = dir.substr(0, dir.rfind('/'));
    const std::string enabled = read_text(parent + "/cgroup.subtree_control");
    if (enabled.find("memory") == std::string::npos || enabled.find("pids") == std::string::npos) {
      return give_up("the cgroup v2 controllers memory and pids are not delegated to " + parent);
    }
    if (!make(dir)) return give_up("cannot create " + dir + " (" + std::strerror(errno) + ")");
    files->v2 = true;
    files->memory = files->pids = files->cpu = dir;
    write_text(dir + "/memory.swap.max", "0");
    return std::unique_ptr<WorkerCgroup>(new WorkerCgroup(std::move(files)));
  }
  return give_up("no cgroup hierarchy with the memory, pids and cpuacct controllers is mounted");
}

WorkerCgroup::~WorkerCgroup() {
  for (const auto& [path, fd] : files_->open_files) close(fd);
  files_->open_files.clear();
  for (auto it = files_->dirs.rbegin(); it != files_->dirs.rend(); ++it) {
    // The last processes may still be exiting: give the kernel a moment.
    for (int attempt = 0; attempt < 50 && rmdir(it->c_str()) != 0 && errno == EBUSY; ++attempt) {
      usleep(2000);
    }
  }
}

void WorkerCgroup::add_process(pid_t pid) const {
  for (const std::string& dir : files_->dirs) {
    if (!write_text(dir + "/cgroup.procs", std::to_string(pid))) {
      throw Error("sandbox: cannot move the worker into " + dir + ": " + std::strerror(errno));
    }
  }
}

void WorkerCgroup::set_memory_limit(int64_t bytes) const {
  if (bytes == files_->memory_limit) return;
  files_->memory_limit = bytes;
  const std::string value = std::to_string(bytes);
  if (files_->v2) {
    files_->write(files_->memory + "/memory.max", value);
    return;
  }
  // memsw (memory + swap) must stay >= memory: set them in the order that keeps it so.
  const std::string memory = files_->memory + "/memory.limit_in_bytes";
  const std::string memsw = files_->memory + "/memory.memsw.limit_in_bytes";
  const bool has_memsw = access(memsw.c_str(), F_OK) == 0;
  if (!files_->write(memory, value)) {
    if (has_memsw) files_->write(memsw, value);
    files_->write(memory, value);
  } else if (has_memsw) {
    files_->write(memsw, value);
  }
}

void WorkerCgroup::set_process_limit(int64_t count) const {
  if (count == files_->process_limit) return;
  files_->process_limit = count;
  files_->write(files_->pids + "/pids.max", std::to_string(count));
}

int64_t WorkerCgroup::memory_usage() const {
  return files_->read_int(files_->memory + (files_->v2 ? "/memory.current" : "/memory.usage_in_bytes"));
}

void WorkerCgroup::reset_memory_peak() const {
  files_->write(files_->memory + (files_->v2 ? "/memory.peak" : "/memory.max_usage_in_bytes"), "0");
}

int64_t WorkerCgroup::memory_peak() const {
  return files_->read_int(files_->memory + (files_->v2 ? "/memory.peak" : "/memory.max_usage_in_bytes"));
}

int64_t WorkerCgroup::cpu_usage_ns() const {
  if (files_->v2) return files_->read_keyed(files_->cpu + "/cpu.stat", "usage_usec") * 1000;
  return files_->read_int(files_->cpu + "/cpuacct.usage");
}

int64_t WorkerCgroup::oom_kills() const {
  if (files_->v2) return files_->read_keyed(files_->memory + "/memory.events", "oom_kill");
  return files_->read_keyed(files_->memory + "/memory.oom_control", "oom_kill");
}

}  // namespace rlvr::sandbox
