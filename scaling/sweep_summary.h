// `rlvr sweep FILE --summarize`: one table of a sweep's points and the three
// scaling analyses across them, read from the sweep's output directory (see
// sweep_points.h for its layout). Writes
//   SWEEP_DIR/summary.csv   one row per point: overrides, status, final
//                           metrics, FLOPs, wall time, the point's sigmoid fit
//                           and test-time accuracy at the largest k;
//   SWEEP_DIR/summary.md    the same table, then, with analysis.compare_along,
//                           every phase against that field
//                           (verification_value.h), then pre-training (power law of
//                           SFT loss against parameters), post-training
//                           (per-point sigmoids of eval accuracy against RL
//                           FLOPs, extrapolation check) and test-time (pass@k
//                           and maj@k against k) sections, with plots;
//   SWEEP_DIR/power_law.png, verification_value*.png, rl_by_size.png and
//                           test_time_by_size.png (sweep_size_plots.h), and
//                           SWEEP_DIR/report/ (`rlvr report` of the finished
//                           points, overlaid).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scaling/fit.h"

namespace rlvr::scaling {

struct SweepSummary {
  std::string csv_path;
  std::string markdown_path;
  std::string report_path;         // the overlaid report.md; "" when no point finished
  std::vector<std::string> plots;  // every PNG written
  int points = 0, finished = 0, failed = 0;
  std::optional<FitResult> power_law;  // SFT loss L(N) = E + a * N^-alpha (pre_training_loss), N = parameters
  // Whether power_law was fitted to each size's mean over its seeds, weighted
  // by the mean's standard error (every size had two or more seeds), rather
  // than to every point unweighted.
  bool power_law_weighted = false;
  std::string power_law_error;         // why there is no power law; "" when there is one
};

// Throws rlvr::Error naming the file when sweep.json is missing or malformed,
// when a point's files are malformed, or when gnuplot fails.
SweepSummary summarize_sweep(const std::string& sweep_dir);

}  // namespace rlvr::scaling
