#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "scaling/fit.h"
#include "scaling/fit_data.h"

namespace rlvr::cli {
namespace {

struct FitArgs {
  std::string input;
  std::string x = "flops/total";
  std::string y = "eval/accuracy";
  std::string sigma;
  std::string model = "sigmoid";
  std::string kind;
  std::vector<double> range;
  double r0 = NAN;
  bool fix_r0 = false;
  double exclude_below = 0;
  double fit_fraction = 0.5;
  double fit_up_to = NAN;
  int resamples = scaling::FitOptions{}.bootstrap_resamples;
  double confidence = 0.95;
  uint64_t seed = 0;
  bool json = false;
};

// JSON has no NaN: absent values are null.
nlohmann::ordered_json number(double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nullptr; }

void print_json(const scaling::FitResult& r) {
  nlohmann::ordered_json j;
  j["model"] = r.model;
  j["points"] = r.num_points;
  j["excluded_points"] = r.excluded_points;
  if (r.range) j["range"] = {r.range->lower, r.range->upper};
  for (const auto& p : r.params) {
    j["params"][p.name] = p.value;
    j["intervals"][p.name] = {number(p.lower), number(p.upper)};
    j["constrained_params"][p.name] = p.constrained;
  }
  j["constrained"] = r.constrained;
  j["unconstrained_reason"] = r.unconstrained_reason;
  j["flat_p_value"] = number(r.flat_p_value);
  j["confidence"] = r.confidence;
  j["bootstrap_resamples"] = r.bootstrap_used;
  j["r_squared"] = r.r_squared;
  j["rmse"] = r.rmse;
  j["reduced_chi2"] = number(r.reduced_chi2);
  if (r.extrapolation) {
    const auto& e = *r.extrapolation;
    j["extrapolation"] = {{"fit_up_to", e.fit_up_to},   {"fit_points", e.fit_points},
                          {"x", e.x},                   {"observed", e.observed},
                          {"observed_sigma", number(e.observed_sigma)},
                          {"predicted", e.predicted},   {"band", {number(e.lower), number(e.upper)}},
                          {"error", e.error()},         {"relative_error", e.relative_error}};
  } else {
    j["extrapolation"] = nullptr;
  }
  std::cout << j.dump() << std::endl;
}

void print_table(const scaling::FitResult& r, const FitArgs& args) {
  std::cout << fmt::format("{} fit of {} against {}: {} points", r.model, args.y, args.x, r.num_points);
  if (r.excluded_points > 0) {
    std::cout << fmt::format(" ({} below x={:.4g} excluded)", r.excluded_points, r.exclude_below_x);
  }
  std::cout << fmt::format(", R^2 {:.4f}, RMSE {:.4g}", r.r_squared, r.rmse);
  if (std::isfinite(r.reduced_chi2)) std::cout << fmt::format(", reduced chi^2 {:.3g}", r.reduced_chi2);
  std::cout << "\n";
  if (!r.constrained) std::cout << "UNCONSTRAINED: " << r.unconstrained_reason << "\n";
  std::cout << fmt::format("  {:<8} {:>12}   {:.0f}% interval ({} residual-bootstrap resamples)\n", "param",
                           "value", 100 * r.confidence, r.bootstrap_used);
  for (const auto& p : r.params) {
    const std::string interval = std::isfinite(p.lower)
                                     ? fmt::format("[{:.5g}, {:.5g}]", p.lower, p.upper)
                                     : "n/a";
    std::cout << fmt::format("  {:<8} {:>12.5g}   {}{}\n", p.name, p.value, interval,
                             p.constrained ? "" : "  unconstrained");
  }
  if (r.extrapolation) {
    const auto& e = *r.extrapolation;
    std::cout << fmt::format(
        "extrapolation: fit on the {} points with x <= {:.4g}, predicted {:.5g} [{:.5g}, {:.5g}] at x={:.4g} "
        "(observed {:.5g}), error {:+.4g} ({:.2f}%)\n",
        e.fit_points, e.fit_up_to, e.predicted, e.lower, e.upper, e.x, e.observed, e.error(),
        100 * e.relative_error);
  } else {
    std::cout << "extrapolation: not available (too few points below the cut, or disabled)\n";
  }
}

scaling::FitOptions options_of(const FitArgs& args, const scaling::Series& series) {
  scaling::FitOptions options;
  if (!args.range.empty()) options.range = scaling::MetricRange{args.range[0], args.range[1]};
  if (std::isfinite(args.r0)) options.fixed_r0 = args.r0;
  if (args.fix_r0) {
    const size_t first = std::min_element(series.xs.begin(), series.xs.end()) - series.xs.begin();
    options.fixed_r0 = series.ys[first];
  }
  options.exclude_below = args.exclude_below;
  options.fit_fraction = args.fit_fraction;
  if (std::isfinite(args.fit_up_to)) options.fit_up_to = args.fit_up_to;
  options.bootstrap_resamples = args.resamples;
  options.confidence = args.confidence;
  options.seed = args.seed;
  return options;
}

void run(const FitArgs& args) {
  const auto series = scaling::read_series(args.input, args.x, args.y, args.kind, args.sigma);
  scaling::FitResult result;
  try {
    result = scaling::fit_series(series, scaling::parse_model(args.model), options_of(args, series));
  } catch (const Error& e) {
    throw Error(args.input + " (x='" + args.x + "', y='" + args.y + "'): " + e.what());
  }
  if (args.json) {
    print_json(result);
  } else {
    print_table(result, args);
  }
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto args = std::make_shared<FitArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fit", "Fit a scaling curve (sigmoid in compute, or power law) to logged metrics, with "
             "residual-bootstrap intervals and an extrapolation check");
  cmd->add_option("--input", args->input, "metrics.jsonl, or a .csv table with a header row")
      ->required();
  cmd->add_option("--x", args->x, "Field or column for x (must be > 0)")->capture_default_str();
  cmd->add_option("--y", args->y, "Field or column for y")->capture_default_str();
  cmd->add_option("--sigma", args->sigma,
                  "Field or column with each y's standard error: the fit is weighted by 1/sigma^2");
  cmd->add_option("--model", args->model,
                  "sigmoid: R0 + (A-R0)/(1+(C_mid/C)^B); power: E + a*x^-alpha with E >= 0")
      ->check(CLI::IsMember({"sigmoid", "power"}))
      ->capture_default_str();
  cmd->add_option("--range", args->range,
                  "Sigmoid only: the metric's range LO HI (accuracy: 0 1); bounds R0 to it and A to [R0, HI]")
      ->expected(2);
  auto* r0 = cmd->add_option("--r0", args->r0, "Sigmoid only: pin R0 to this value (e.g. the accuracy before RL)");
  cmd->add_flag("--fix-r0", args->fix_r0,
                "Sigmoid only: pin R0 to the y of the smallest-x point instead of fitting it")
      ->excludes(r0);
  cmd->add_option("--exclude-below", args->exclude_below,
                  "Leave out the early points with x < F * (largest x), e.g. 0.01")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  auto* fraction = cmd->add_option("--fit-fraction", args->fit_fraction,
                                   "Extrapolation check: fit the points with x <= F * (largest x), predict the "
                                   "last (0 disables)")
                       ->check(CLI::Range(0.0, 1.0))
                       ->capture_default_str();
  cmd->add_option("--fit-up-to", args->fit_up_to,
                  "Extrapolation check: fit the points with x <= X instead (e.g. all sizes but the largest)")
      ->excludes(fraction);
  cmd->add_option("--kind", args->kind, "JSONL only: read records of this kind, e.g. rl_eval");
  cmd->add_option("--resamples", args->resamples, "Residual-bootstrap resamples for intervals and bands")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--confidence", args->confidence, "Coverage of the intervals")
      ->check(CLI::Range(0.5, 0.999))
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Bootstrap seed")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->callback([args] { run(*args); });
}

}  // namespace rlvr::cli
