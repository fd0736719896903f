#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

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
  std::string model = "sigmoid";
  std::string kind;
  double fit_fraction = 0.5;
  bool fix_r0 = false;
  int resamples = 200;
  uint64_t seed = 0;
  bool json = false;
};

void print_json(const scaling::FitResult& r, const FitArgs& args) {
  nlohmann::ordered_json j;
  j["model"] = r.model;
  j["points"] = r.num_points;
  // JSON has no NaN: intervals are null when no bootstrap resample was fitted.
  const auto number = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nullptr; };
  for (const auto& p : r.params) {
    j["params"][p.name] = p.value;
    j["intervals"][p.name] = {number(p.lower), number(p.upper)};
  }
  j["confidence"] = scaling::FitOptions{}.confidence;
  j["bootstrap_resamples"] = r.bootstrap_used;
  j["r_squared"] = r.r_squared;
  j["rmse"] = r.rmse;
  if (r.extrapolation) {
    const auto& e = *r.extrapolation;
    j["extrapolation"] = {{"fit_fraction", args.fit_fraction}, {"fit_points", e.fit_points},
                          {"x", e.x}, {"observed", e.observed}, {"predicted", e.predicted},
                          {"relative_error", e.relative_error}};
  } else {
    j["extrapolation"] = nullptr;
  }
  std::cout << j.dump() << std::endl;
}

void print_table(const scaling::FitResult& r, const FitArgs& args) {
  std::cout << fmt::format("{} fit of {} against {}: {} points, R^2 {:.4f}, RMSE {:.4g}\n", r.model,
                           args.y, args.x, r.num_points, r.r_squared, r.rmse);
  std::cout << fmt::format("  {:<8} {:>12}   95% interval ({} bootstrap resamples)\n", "param",
                           "value", r.bootstrap_used);
  for (const auto& p : r.params) {
    const std::string interval = std::isfinite(p.lower)
                                     ? fmt::format("[{:.5g}, {:.5g}]", p.lower, p.upper)
                                     : "n/a";
    std::cout << fmt::format("  {:<8} {:>12.5g}   {}\n", p.name, p.value, interval);
  }
  if (r.extrapolation) {
    const auto& e = *r.extrapolation;
    std::cout << fmt::format(
        "extrapolation: fit on the first {} points by x, predicted {:.5g} at x={:.4g} "
        "(observed {:.5g}), relative error {:.2f}%\n",
        e.fit_points, e.predicted, e.x, e.observed, 100 * e.relative_error);
  } else {
    std::cout << "extrapolation: not available (too few points below the fit fraction)\n";
  }
}

void run(const FitArgs& args) {
  const auto series = scaling::read_series(args.input, args.x, args.y, args.kind);
  scaling::FitOptions options;
  options.fit_fraction = args.fit_fraction;
  options.fix_r0_to_first_point = args.fix_r0;
  options.bootstrap_resamples = args.resamples;
  options.seed = args.seed;
  scaling::FitResult result;
  try {
    result = scaling::fit_series(series.xs, series.ys, scaling::parse_model(args.model), options);
  } catch (const Error& e) {
    throw Error(args.input + " (x='" + args.x + "', y='" + args.y + "'): " + e.what());
  }
  if (args.json) {
    print_json(result, args);
  } else {
    print_table(result, args);
  }
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto args = std::make_shared<FitArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fit", "Fit a scaling curve (sigmoid in compute, or power law) to logged metrics");
  cmd->add_option("--input", args->input, "metrics.jsonl, or a .csv table with a header row")
      ->required();
  cmd->add_option("--x", args->x, "Field or column for x (must be > 0)")->capture_default_str();
  cmd->add_option("--y", args->y, "Field or column for y")->capture_default_str();
  cmd->add_option("--model", args->model,
                  "sigmoid: R0 + (A-R0)/(1+(C_mid/C)^B); power: E + a*x^-alpha")
      ->check(CLI::IsMember({"sigmoid", "power"}))
      ->capture_default_str();
  cmd->add_option("--fit-fraction", args->fit_fraction,
                  "Extrapolation check: fit the first floor(f*n) points by x, predict the last "
                  "(0 disables)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--kind", args->kind, "JSONL only: read records of this kind, e.g. rl_eval");
  cmd->add_flag("--fix-r0", args->fix_r0,
                "Sigmoid only: pin R0 to the y of the smallest-x point instead of fitting it");
  cmd->add_option("--resamples", args->resamples, "Bootstrap resamples for the intervals")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Bootstrap seed")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->callback([args] { run(*args); });
}

}  // namespace rlvr::cli
