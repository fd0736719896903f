// The seccomp filter every sandboxed program runs under.
#pragma once

#include <string>

namespace rlvr::sandbox {

// The filter as raw BPF (an array of struct sock_filter), compiled once by
// libseccomp here and installed by each program's process. Throws rlvr::Error
// if libseccomp fails.
std::string seccomp_filter_bpf();

}  // namespace rlvr::sandbox
