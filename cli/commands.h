// One function per `rlvr` subcommand: each registers its options on the app
// and the callback that runs it. Callbacks throw rlvr::Error on failure; main
// turns that into a message and an exit status.
#pragma once

#include <CLI/CLI.hpp>

namespace rlvr::cli {

void add_train_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_generate_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_fit_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_verify_command(CLI::App& app);
void add_exec_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_tasks_command(CLI::App& app);

// Adds the repeatable `--set FIELD.PATH=VALUE` option.
CLI::Option* add_set_option(CLI::App& command, std::vector<std::string>& overrides);

}  // namespace rlvr::cli
