// The file system a worker sees: a read-only tmpfs root holding read-only
// views of /usr (and the /bin, /lib* links of a merged-/usr system or binds of
// them), the configured read-only paths, a minimal /etc and /dev, mount points
// for each run's /proc, /tmp and /dev/shm, and the zygote's own files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rlvr::sandbox {

struct RootEntry {
  enum class Kind { kDirectory, kSymlink, kFile, kBind };
  Kind kind = Kind::kDirectory;
  std::string path;      // inside the sandbox, absolute
  std::string source;    // symlink target, or the host path bound here
  std::string content;   // of a file
  int mode = 0755;       // of a directory or file
  bool read_only = true; // binds: remounted read-only
  unsigned long locked_flags = 0;  // mount flags of the source a remount must keep
};

struct RootFiles {
  std::string_view child_library;  // librlvr_sandbox_child.so
  std::string_view zygote;         // zygote.py
  std::string_view seccomp_filter; // BPF
};

// Throws rlvr::ConfigError for a read-only path that does not exist.
std::vector<RootEntry> plan_root(const std::vector<std::string>& read_only_paths, const RootFiles& files);

}  // namespace rlvr::sandbox
