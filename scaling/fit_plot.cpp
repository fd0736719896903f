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
  Series seen, unseen;
  for (size_t i = 0; i < data.xs.size(); ++i) {
    Series& part = data.xs[i] >= seen_from && data.xs[i] <= seen_up_to ? seen : unseen;
    part.xs.push_back(data.xs[i]);
    part.ys.push_back(data.ys[i]);
    if (!data.sigmas.empty()) part.sigmas.push_back(data.sigmas[i]);
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
  const auto points = [&](const Series& part, const std::string& what, const std::string& style,
                           const std::string& title) {
    if (part.xs.empty()) return;
    const bool bars = !part.sigmas.empty();
    atomic_write(file(what), bars ? data_columns({part.xs, part.ys, part.sigmas}) : data_columns({part.xs, part.ys}));
    clauses.push_back(fmt::format("'{}' using {} {} title '{} ({})'", file(what), bars ? "1:2:3 with yerrorbars" : "1:2 with points",
                                  style, label, title));
  };
  points(seen, "seen", "pt 7 ps 1.2", "fitted");
  points(unseen, "unseen", "pt 6 ps 1.5 lw 2", "not seen by the fit");
  return clauses;
}

}  // namespace rlvr::scaling
