#include "core/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace rlvr {

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("rlvr");
  logger->set_pattern("%^[%H:%M:%S %l]%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

}  // namespace rlvr
