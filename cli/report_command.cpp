#include <iostream>

#include "cli/commands.h"
#include "scaling/report.h"

namespace rlvr::cli {
namespace {

struct ReportArgs {
  std::vector<std::string> runs;
  std::string output = "report";
};

}  // namespace

void add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Write a Markdown report with plots (accuracy and reward against FLOPs with the "
                "fitted curve, pass@k/maj@k against k, time per step) of one or more runs");
  cmd->add_option("runs", args->runs, "Run directories, overlaid in every plot")->required();
  cmd->add_option("-o,--output", args->output, "Directory for report.md and the PNGs")->capture_default_str();
  cmd->callback([args] {
    const auto r = scaling::write_report(args->runs, args->output);
    std::cout << "wrote " << r.markdown_path << " with " << r.plots.size() << " plots\n";
  });
}

}  // namespace rlvr::cli
