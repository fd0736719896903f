// Plots of a sweep's finished points grouped by model size: one colour per
// size, every seed of a size drawn alike and named once in the key. The
// overlaid report (`report/`) gives each point its own legend entries, which
// past a handful of points buries the curves; these stay readable at any
// number of seeds. Torch-free; runs gnuplot.
#pragma once

#include <string>
#include <vector>

#include "scaling/sweep_points.h"

namespace rlvr::scaling {

// Writes, where the points have the data for them:
//   SWEEP_DIR/rl_by_size.png         RL's eval metric against RL FLOPs: each
//                                    point's evaluations and its sigmoid fit;
//   SWEEP_DIR/test_time_by_size.png  pass@k against k, averaged over the seeds
//                                    of a size: the final policy solid, the SFT
//                                    policy it started from dashed.
// Data files go to SWEEP_DIR/by_size/. Returns the PNGs drawn, in that order.
// Throws rlvr::Error when gnuplot fails.
std::vector<std::string> plot_by_size(const std::string& sweep_dir, const SweepResults& results);

// "16K", "650K", "1.2M": a parameter count as the plots' keys write it.
std::string short_count(int64_t parameters);

}  // namespace rlvr::scaling
