// `rlvr exec`: run one program in the sandbox and print the result as one
// JSON object (the contract outside scripts and the red-team suite rely on).
#include <spdlog/fmt/fmt.h>

#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "core/files.h"
#include "sandbox/sandbox.h"

namespace rlvr::cli {
namespace {

struct ExecArgs {
  std::string language;
  double time_limit_s = 2;
  int64_t memory_limit_mb = 256;
  std::string stdin_path;
  std::string program_path;
};

// A file named on the command line: unreadable is a usage error.
std::string read_argument_file(const std::string& path, const std::string& what) {
  try {
    return read_file(path);
  } catch (const Error&) {
    throw ConfigError(fmt::format("cannot read {} '{}'", what, path));
  }
}

void run_exec(const ExecArgs& args) {
  const sandbox::Language language = sandbox::parse_language(args.language);
  const std::string program = read_argument_file(args.program_path, "PROGRAM_FILE");
  const std::string input = args.stdin_path.empty() ? "" : read_argument_file(args.stdin_path, "--stdin file");
  config::SandboxConfig config;
  config.set_workers(1);
  sandbox::Sandbox box(config);
  box.require_language(language);
  const sandbox::ExecResult result =
      box.run(language, program, input, sandbox::Limits{args.time_limit_s, args.memory_limit_mb});
  std::cout << sandbox::to_json(result) << std::endl;
}

}  // namespace

void add_exec_command(CLI::App& app) {
  auto args = std::make_shared<ExecArgs>();
  CLI::App* command = app.add_subcommand(
      "exec",
      "Run PROGRAM_FILE (Python 3 or C++, compiled first) in the sandbox and print one JSON object:\n"
      "status (OK, RE, TLE, MLE, OLE, CE or SE), exit_code, signal, stdout, stderr, wall_ms, cpu_ms,\n"
      "peak_rss_kb. The program gets fresh namespaces, no network, a private /tmp and empty stdin\n"
      "unless --stdin is given; everything it starts is dead when rlvr returns.");
  command->add_option("--lang", args->language, "python or cpp")->required();
  command->add_option("--time-limit", args->time_limit_s, "CPU and wall-clock limit in seconds (fractions allowed)")
      ->capture_default_str();
  command->add_option("--memory-limit", args->memory_limit_mb, "memory limit in MB")->capture_default_str();
  command->add_option("--stdin", args->stdin_path, "file given to the program as its stdin");
  command->add_option("PROGRAM_FILE", args->program_path, "the program's source")->required();
  command->callback([args] { run_exec(*args); });
}

}  // namespace rlvr::cli
