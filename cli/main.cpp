// rlvr: reinforcement learning with verifiable rewards.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "core/logging.h"

namespace rlvr::cli {

CLI::Option* add_set_option(CLI::App& command, std::vector<std::string>& overrides) {
  return command
      .add_option("--set", overrides,
                  "Override a config field, e.g. --set rl.group_size=16 (repeatable); an element of a "
                  "repeated field by index, --set env.mixture.component[1].weight=2 (one past the end "
                  "appends), or the whole field as a list, --set verifier.math.extraction_priority=[BOXED]")
      ->allow_extra_args(false)
      ->type_name("FIELD.PATH=VALUE");
}

}  // namespace rlvr::cli

int main(int argc, char** argv) {
  CLI::App app{
      "rlvr: reinforcement learning with verifiable rewards.\n"
      "A policy samples answers to tasks, verifiers score them, the trainer turns rewards into\n"
      "updates, and every step is charged in compute. Start with:\n"
      "  rlvr train configs/quickstart.pbtxt",
      "rlvr"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn or error")
      ->capture_default_str();
  rlvr::cli::add_train_command(app);
  rlvr::cli::add_eval_command(app);
  rlvr::cli::add_generate_command(app);
  rlvr::cli::add_bench_command(app);
  rlvr::cli::add_fit_command(app);
  rlvr::cli::add_report_command(app);
  rlvr::cli::add_verify_command(app);
  rlvr::cli::add_exec_command(app);
  rlvr::cli::add_tasks_command(app);
  rlvr::cli::add_sweep_command(app);
  rlvr::cli::add_export_command(app);
  app.parse_complete_callback([&] { rlvr::setup_logging(log_level); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const rlvr::ConfigError& e) {
    spdlog::error("{}", e.what());
    return 2;
  } catch (const rlvr::Error& e) {
    spdlog::error("{}", e.what());
    return 1;
  } catch (const std::exception& e) {
    spdlog::error("unexpected error: {}", e.what());
    return 1;
  }
  return 0;
}
