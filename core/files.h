// File helpers with crash-safe writes.
#pragma once

#include <functional>
#include <string>

namespace rlvr {

// Writes `content` to `path` atomically: a temporary file in the same
// directory, flushed, then renamed over `path`. A crash leaves either the old
// file or the new one, never a torn one.
void atomic_write(const std::string& path, const std::string& content);

// Same, for writers that need a file name (torch archives): `write` receives the
// temporary path and must create it.
void atomic_write_with(const std::string& path, const std::function<void(const std::string&)>& write);

std::string read_file(const std::string& path);

}  // namespace rlvr
