// Error types shared by every layer. Messages carry what failed, where (file:line,
// field, task id) and, where possible, how to fix it.
#pragma once

#include <stdexcept>
#include <string>

namespace rlvr {

// Any failure rlvr reports to the user; the message is complete on its own.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Invalid configuration: raised before any work starts.
class ConfigError : public Error {
 public:
  using Error::Error;
};

}  // namespace rlvr
