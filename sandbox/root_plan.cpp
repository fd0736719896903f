#include "sandbox/root_plan.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <set>

#include "core/error.h"

namespace rlvr::sandbox {
namespace {

constexpr const char* kPasswd =
    "root:x:0:0:root:/tmp:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
constexpr const char* kGroup = "root:x:0:\nnogroup:x:65534:\n";
constexpr const char* kHosts = "127.0.0.1 localhost\n::1 localhost\n";

// Flags of the mount holding `path` that a bind remount inside a user
// namespace may not clear (the kernel refuses a remount that drops them).
unsigned long locked_flags_of(const std::string& path) {
  struct statvfs info {};
  if (statvfs(path.c_str(), &info) != 0) return 0;
  unsigned long flags = 0;
  if (info.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (info.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (info.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (info.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

class Planner {
 public:
  void directory(const std::string& path, int mode = 0755) {
    if (!made_.insert(path).second) return;
    const size_t slash = path.rfind('/');
    if (slash > 0) directory(path.substr(0, slash));
    RootEntry entry;
    entry.path = path;
    entry.mode = mode;
    entries_.push_back(std::move(entry));
  }
  void file(const std::string& path, std::string content, int mode = 0644) {
    directory(parent_of(path));
    RootEntry entry;
    entry.kind = RootEntry::Kind::kFile;
    entry.path = path;
    entry.content = std::move(content);
    entry.mode = mode;
    entries_.push_back(std::move(entry));
  }
  void symlink(const std::string& path, const std::string& target) {
    RootEntry entry;
    entry.kind = RootEntry::Kind::kSymlink;
    entry.path = path;
    entry.source = target;
    entries_.push_back(std::move(entry));
  }
  // Shows host `path` at the same place, read-only unless said otherwise.
  void bind(const std::string& path, bool read_only = true) { bind_at(path, path, read_only); }
  void bind_at(const std::string& source, const std::string& path, bool read_only = true) {
    struct stat info {};
    if (stat(source.c_str(), &info) != 0) return;
    if (S_ISDIR(info.st_mode)) {
      directory(path);
    } else {
      file(path, "");
    }
    RootEntry entry;
    entry.kind = RootEntry::Kind::kBind;
    entry.path = path;
    entry.source = source;
    entry.read_only = read_only;
    entry.locked_flags = locked_flags_of(source);
    entries_.push_back(std::move(entry));
    bound_.push_back(path + "/");
  }
  bool covered(const std::string& path) const {
    for (const std::string& prefix : bound_) {
      if ((path + "/").rfind(prefix, 0) == 0) return true;
    }
    return false;
  }
  std::vector<RootEntry> take() { return std::move(entries_); }

 private:
  static std::string parent_of(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
  }
  std::set<std::string> made_{"/"};
  std::vector<std::string> bound_;
  std::vector<RootEntry> entries_;
};

}  // namespace

std::vector<RootEntry> plan_root(const std::vector<std::string>& read_only_paths, const RootFiles& files) {
  Planner plan;
  plan.bind("/usr");
  for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    struct stat info {};
    if (lstat(top, &info) != 0) continue;
    if (S_ISLNK(info.st_mode)) {
      char target[4096];
      const ssize_t length = readlink(top, target, sizeof target - 1);
      if (length > 0) plan.symlink(top, std::string(target, static_cast<size_t>(length)));
    } else if (S_ISDIR(info.st_mode)) {
      plan.bind(top);
    }
  }
  for (const std::string& path : read_only_paths) {
    if (access(path.c_str(), F_OK) != 0) {
      throw ConfigError("sandbox.read_only_paths: " + path + " does not exist");
    }
    if (!plan.covered(path)) plan.bind(path);
  }
  plan.file("/etc/passwd", kPasswd);
  plan.file("/etc/group", kGroup);
  plan.file("/etc/hosts", kHosts);
  plan.bind("/etc/ld.so.cache");
  for (const char* device : {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"}) {
    plan.bind(device, /*read_only=*/false);
  }
  plan.symlink("/dev/fd", "/proc/self/fd");
  plan.symlink("/dev/stdin", "/proc/self/fd/0");
  plan.symlink("/dev/stdout", "/proc/self/fd/1");
  plan.symlink("/dev/stderr", "/proc/self/fd/2");
  // POSIX shared memory lands in the run's scratch space (and its size limit).
  plan.symlink("/dev/shm", "/tmp");
  // The kernel lets a user namespace mount a new /proc only where a proc is
  // already fully visible: each stage's init mounts its own over this one
  // before the program starts. Only the zygote's code ever sees it.
  plan.bind("/proc");
  plan.directory("/tmp", 01777);
  plan.file("/rlvr/child.so", std::string(files.child_library), 0755);
  plan.file("/rlvr/zygote.py", std::string(files.zygote));
  plan.file("/rlvr/filter.bpf", std::string(files.seccomp_filter));
  return plan.take();
}

}  // namespace rlvr::sandbox
