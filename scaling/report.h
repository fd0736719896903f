// `rlvr report`: a Markdown report with PNG plots (gnuplot) of one or more
// runs, overlaid: eval accuracy and reward against RL FLOPs (log x) with the
// fitted sigmoid and its extrapolation, pass@k / maj@k against k (from
// RUN_DIR/test_time.csv, written by `rlvr eval --samples N --csv`; the SFT
// policy's from RUN_DIR/test_time_sft.csv, the same on RUN_DIR/sft_final.pt)
// with the fitted test-time law, and the time split of RL steps, plus tables
// of the fitted parameters (scaling/fit_table.h, scaling/test_time_summary.h).
#pragma once

#include <string>
#include <vector>

namespace rlvr::scaling {

struct ReportResult {
  std::string markdown_path;
  std::vector<std::string> plots;  // PNG files written
};

// Throws rlvr::Error when a run has no metrics.jsonl or gnuplot fails.
ReportResult write_report(const std::vector<std::string>& run_dirs, const std::string& out_dir);

}  // namespace rlvr::scaling
