// Logging set-up: spdlog to stderr, so stdout stays free for results and JSON.
#pragma once

#include <string>

namespace rlvr {

// level: "trace", "debug", "info", "warn", "error".
void setup_logging(const std::string& level = "info");

}  // namespace rlvr
