#include "scaling/fit_plot.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>

#include "core/files.h"
#include "scaling/gnuplot.h"

namespace rlvr::scaling {
namespace {

// The curve and its band as "x y lower upper" rows; the band columns repeat
// y when the fit has no resamples, so the band collapses onto the line.
std::string curve_with_band(const FitResult& fit, double lo, double hi) {
  return sampled_columns(lo, hi, [&](double x) {
    const double y = fit.predict(x);
    const auto [lower, upper] = fit.band(x);
    return std::isnan(lower) ? std::vector<double>{y, y, y} : std::vector<double>{y, lower, upper};
  });
}

}  // namespace

std::vector<std::string> fit_plot_series(const Series& data, const FitResult* fit,
                                         const std::string& file_prefix, const std::string& label) {
  const FitResult* drawn = fit && fit->extrapolation ? fit->extrapolation->fit.get() : fit;
  // Seen: inside the early-window cut and at or below the drawn fit's reach.
  const double seen_up_to = fit && fit->extrapolation ? fit->extrapolation->fit_up_to : INFINITY;
  const double seen_from = fit ? fit->exclude_below_x : 0;
  std::vector<double> seen_x, seen_y, unseen_x, unseen_y;
  for (size_t i = 0; i < data.xs.size(); ++i) {
    const bool seen = data.xs[i] >= seen_from && data.xs[i] <= seen_up_to;
    (seen ? seen_x : unseen_x).push_back(data.xs[i]);
    (seen ? seen_y : unseen_y).push_back(data.ys[i]);
  }
  std::vector<std::string> clauses;
  const auto file = [&](const std::string& what) { return file_prefix + "_" + what + ".dat"; };
  if (drawn) {
    const auto [lo, hi] = std::minmax_element(data.xs.begin(), data.xs.end());
    atomic_write(file("curve"), curve_with_band(*drawn, *lo, 10 * *hi));
    const std::string which = drawn == fit ? "fit" : "fit on the first points";
    clauses.push_back(fmt::format("'{}' using 1:3:4 with filledcurves fs transparent solid 0.2 noborder "
                                  "title '{} {} {:.0f}% band'",
                                  file("curve"), label, which, 100 * drawn->confidence));
    clauses.push_back(fmt::format("'{}' using 1:2 with lines lw 2 title '{} {}'", file("curve"), label, which));
    if (drawn != fit) {
      atomic_write(file("full"), sampled_curve(*lo, 10 * *hi, [&](double x) { return fit->predict(x); }));
      clauses.push_back(
          fmt::format("'{}' using 1:2 with lines dt 2 lw 1 title '{} fit on all points'", file("full"), label));
    }
  }
  if (!seen_x.empty()) {
    atomic_write(file("seen"), data_columns({seen_x, seen_y}));
    clauses.push_back(fmt::format("'{}' using 1:2 with points pt 7 ps 1.2 title '{} (fitted)'", file("seen"), label));
  }
  if (!unseen_x.empty()) {
    atomic_write(file("unseen"), data_columns({unseen_x, unseen_y}));
    clauses.push_back(fmt::format("'{}' using 1:2 with points pt 6 ps 1.5 lw 2 title '{} (not seen by the fit)'",
                                  file("unseen"), label));
  }
  return clauses;
}

}  // namespace rlvr::scaling
