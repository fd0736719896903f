// gnuplot series that draw one fitted curve honestly: the points it saw, the
// points it did not (held out for the extrapolation check, or left out as the
// early window), the curve past the data, and its bootstrap band. Shared by
// `rlvr report` and the sweep summary.
#pragma once

#include <string>
#include <vector>

#include "scaling/fit.h"
#include "scaling/series.h"

namespace rlvr::scaling {

// Writes the data files FILE_PREFIX_{seen,unseen,curve,full}.dat and returns
// the plot clauses, in drawing order, labelled with `label`. The curve drawn
// with its band is the extrapolation check's early fit when there is one (so
// the held-out points show how well it predicted them), the full fit
// otherwise; the full fit is then a thin dashed line. Curves run from the
// smallest x to 10x the largest; points carry error bars of one standard
// error when the series has them. `fit` may be null: then only the points.
std::vector<std::string> fit_plot_series(const Series& data, const FitResult* fit,
                                         const std::string& file_prefix, const std::string& label);

}  // namespace rlvr::scaling
