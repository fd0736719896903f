#include "scaling/sweep_summary.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>

#include "core/error.h"
#include "core/files.h"
#include "core/stats.h"
#include "core/text_util.h"
#include "scaling/fit_plot.h"
#include "scaling/fit_table.h"
#include "scaling/gnuplot.h"
#include "scaling/report.h"
#include "scaling/sweep_findings.h"
#include "scaling/sweep_points.h"
#include "scaling/sweep_size_plots.h"
#include "scaling/sweep_table.h"
#include "scaling/verification_value.h"

namespace rlvr::scaling {
namespace fs = std::filesystem;
namespace {

// The power law has three parameters: fewer sizes cannot pin them.
constexpr size_t kMinPowerLawSizes = 3;

// The pre-training loss against parameters over the finished points, every
// seed a point of its own.
struct LossSeries {
  std::vector<double> parameters, loss;
};

LossSeries loss_series(const SweepResults& results) {
  LossSeries s;
  for (const auto& p : results.points) {
    const double loss = pre_training_loss(p);
    if (!p.finished || !std::isfinite(loss) || p.parameters <= 0) continue;
    s.parameters.push_back(static_cast<double>(p.parameters));
    s.loss.push_back(loss);
  }
  return s;
}

// What the power law is fitted to. When every size has two or more seeds with
// losses that differ, each size's mean loss, weighted by the standard error
// of that mean: a narrow model's loss can vary several times more from seed
// to seed than a wide one's (which step it leaves its plateau at), and an
// unweighted fit to every seed lets the noisiest sizes set the exponent.
// Otherwise every point unweighted.
Series power_law_series(const LossSeries& s) {
  std::map<double, std::vector<double>> by_size;
  for (size_t i = 0; i < s.parameters.size(); ++i) by_size[s.parameters[i]].push_back(s.loss[i]);
  Series means;
  for (const auto& [parameters, losses] : by_size) {
    if (losses.size() < 2) return {s.parameters, s.loss, {}};
    const double mean = mean_of(losses.data(), losses.size());
    const double se = sample_std_of(losses.data(), losses.size(), mean) / std::sqrt(static_cast<double>(losses.size()));
    if (!(se > 0)) return {s.parameters, s.loss, {}};
    means.xs.push_back(parameters);
    means.ys.push_back(mean);
    means.sigmas.push_back(se);
  }
  return means;
}

void fit_power_law(const Series& data, SweepSummary& summary) {
  const size_t sizes = std::set<double>(data.xs.begin(), data.xs.end()).size();
  if (sizes < kMinPowerLawSizes) {
    summary.power_law_error = fmt::format(
        "needs finished points of at least {} distinct model sizes with an SFT loss; the finished points have {}",
        kMinPowerLawSizes, sizes);
    return;
  }
  try {
    // The size extrapolation: fit every size but the largest (all its seeds),
    // predict it.
    const std::set<double> distinct(data.xs.begin(), data.xs.end());
    FitOptions options;
    options.fit_up_to = *std::prev(distinct.end(), 2);
    summary.power_law = fit_series(data, Model::kPowerLaw, options);
  } catch (const Error& e) {
    summary.power_law_error = e.what();
  }
}

// The fitted series and curve with its band, and every seed's loss as a small
// point when the fit saw their means; the curve runs to 10x the largest model,
// past the data, to show what the fit predicts for the next size up, and the
// largest size is marked as the one the size extrapolation predicted.
void plot_power_law(const std::string& sweep_dir, const LossSeries& s, const Series& fitted,
                    SweepSummary& summary) {
  if (s.parameters.empty()) return;
  const auto path = [&](const std::string& name) { return (fs::path(sweep_dir) / name).string(); };
  const std::string png = path("power_law.png");
  const bool means = !fitted.sigmas.empty();
  std::vector<std::string> series = fit_plot_series(
      fitted, summary.power_law ? &*summary.power_law : nullptr, path("power_law"),
      means ? "mean SFT loss over seeds" : "SFT loss");
  if (means) {
    atomic_write(path("power_law_seeds.dat"), data_columns({s.parameters, s.loss}));
    series.push_back(fmt::format("'{}' using 1:2 with points pt 1 ps 0.8 lc rgb 'gray40' title 'each seed'",
                                 path("power_law_seeds.dat")));
  }
  const std::string gp =
      plot_header(png, "Pre-training: SFT loss against parameters", "parameters N", "SFT loss") +
      "set logscale x\nset format x '1e%L'\nset key right top\nplot " + join(series, ", \\\n     ") + "\n";
  run_gnuplot(path("power_law.gp"), gp, path("power_law_gnuplot.log"));
  summary.plots.push_back(png);
}

std::string power_law_section(const SweepSummary& summary) {
  std::string md = "## Pre-training: SFT loss against parameters\n\nL(N) = E + a * N^-alpha, N = parameters, "
                   "L = the SFT policy's loss on the eval tasks' solutions (the last SFT step's training loss for "
                   "runs from before it was measured), over the finished points.\n\n";
  if (!summary.power_law) return md + "No fit: " + markdown_cell(summary.power_law_error) + "\n\n";
  const FitResult& f = *summary.power_law;
  if (summary.power_law_weighted) {
    md += "Every size has several seeds: the fit sees each size's mean loss, weighted by the standard error of "
          "that mean over its seeds, so a size whose seeds disagree counts for less.\n\n";
  }
  md += "| E (irreducible loss) | a | alpha | R^2 | points | largest size predicted from the others |\n|---|---|---|---|---|---|\n";
  md += fmt::format("| {} | {} | {} | {:.3f} | {} | {} |\n", param_cell(f, "E"), param_cell(f, "a"),
                    param_cell(f, "alpha"), f.r_squared, f.num_points, extrapolation_cell(f));
  md += "\nE is bounded to E >= 0. Intervals are 95% residual-bootstrap intervals; \"unconstrained\" marks a "
        "parameter the points do not pin.\n";
  if (!f.constrained) md += "\nThe fit is unconstrained: " + f.unconstrained_reason + ".\n";
  return md + "\n" + pre_training_finding(f);
}

// The sweep's by-size plot `png` as a Markdown image, "" when it was not drawn
// (no point has the data for it).
std::string by_size_image(const std::string& sweep_dir, const SweepSummary& summary, const std::string& png) {
  const std::string path = (fs::path(sweep_dir) / png).string();
  if (std::find(summary.plots.begin(), summary.plots.end(), path) == summary.plots.end()) return "";
  return "![" + fs::path(png).stem().string() + "](" + png + ")\n\n";
}

std::string post_training_section(const std::string& sweep_dir, const SweepResults& results,
                                  const SweepSummary& summary) {
  std::vector<std::pair<std::string, const RlEvalCurve*>> rows;
  for (const auto& p : results.points) {
    if (p.finished) rows.emplace_back(markdown_cell(p.name), &p.rl_eval);
  }
  std::string md = "## Post-training: eval accuracy against RL FLOPs\n\n"
                   "R(C) = R0 + (A - R0) / (1 + (C_mid / C)^B), C = RL FLOPs since RL started, R = sampled "
                   "eval pass@1 where the point logged it, greedy eval accuracy otherwise, fitted per point.\n\n";
  if (rows.empty()) return md + "No finished points.\n\n";
  return md + sigmoid_fit_table("point", rows) + "\n" + rl_by_size_markdown(rl_fits_by_size(results)) +
         by_size_image(sweep_dir, summary, "rl_by_size.png");
}

// pass@k / maj@k in percent, one row per point, one column per k any point has.
std::string test_time_section(const std::string& sweep_dir, const SweepResults& results,
                              const SweepSummary& summary) {
  std::set<int64_t> ks;
  for (const auto& p : results.points) {
    for (const auto& row : p.test_time) ks.insert(row.k);
  }
  std::string md = "## Test-time: pass@k and maj@k against k\n\n";
  if (ks.empty()) return md + "No point has a test_time.csv (`rlvr eval RUN_DIR --samples N --csv`).\n\n";
  md += "Each cell is pass@k / maj@k.\n\n| point |";
  for (const int64_t k : ks) md += fmt::format(" k={} |", k);
  md += "\n|---|";
  for (size_t i = 0; i < ks.size(); ++i) md += "---|";
  md += "\n";
  for (const auto& p : results.points) {
    if (p.test_time.empty()) continue;
    md += "| " + markdown_cell(p.name) + " |";
    for (const int64_t k : ks) {
      const auto it = std::find_if(p.test_time.begin(), p.test_time.end(), [&](const auto& r) { return r.k == k; });
      md += it == p.test_time.end()
                ? std::string(" |")
                : fmt::format(" {:.1f}% / {:.1f}% |", 100 * it->pass_at_k, 100 * it->maj_at_k);
    }
    md += "\n";
  }
  std::vector<std::pair<std::string, const RunTestTime*>> law_rows;
  for (const auto& p : results.points) {
    if (p.finished) law_rows.emplace_back(markdown_cell(p.name), &p.test_time_law);
  }
  const std::string law_table = test_time_law_table("point", law_rows);
  if (!law_table.empty()) md += "\n### The test-time law\n\n" + law_table + "\n" + test_time_finding(results);
  return md + "\n" + by_size_image(sweep_dir, summary, "test_time_by_size.png");
}

}  // namespace

SweepSummary summarize_sweep(const std::string& sweep_dir) {
  const SweepResults results = load_sweep_results(sweep_dir);
  SweepSummary summary;
  std::vector<std::string> finished_dirs;
  for (const auto& p : results.points) {
    ++summary.points;
    if (p.status == "failed") ++summary.failed;
    if (p.finished) finished_dirs.push_back(p.run_dir);
  }
  summary.finished = static_cast<int>(finished_dirs.size());
  summary.csv_path = (fs::path(sweep_dir) / "summary.csv").string();
  atomic_write(summary.csv_path, sweep_csv(results));

  const LossSeries losses = loss_series(results);
  const Series law_data = power_law_series(losses);
  summary.power_law_weighted = !law_data.sigmas.empty();
  fit_power_law(law_data, summary);
  plot_power_law(sweep_dir, losses, law_data, summary);
  const std::vector<std::string> by_size = plot_by_size(sweep_dir, results);
  summary.plots.insert(summary.plots.end(), by_size.begin(), by_size.end());
  if (!finished_dirs.empty()) {
    const ReportResult report = write_report(finished_dirs, (fs::path(sweep_dir) / "report").string());
    summary.report_path = report.markdown_path;
    summary.plots.insert(summary.plots.end(), report.plots.begin(), report.plots.end());
  }

  std::string md = fmt::format("# Sweep {}\n\n{} points: {} finished, {} failed, {} not finished. "
                               "The table is also in [summary.csv](summary.csv).\n\n",
                               markdown_cell(results.name), summary.points, summary.finished, summary.failed,
                               summary.points - summary.finished - summary.failed);
  md += sweep_points_markdown(results) + "\n";
  md += power_law_section(summary);
  if (!losses.parameters.empty()) md += "![power_law](power_law.png)\n\n";
  if (!results.compare_along.empty()) {
    const VerificationComparison comparison = compare_phases(results);
    const std::vector<std::string> plots = plot_verification_value(sweep_dir, comparison);
    summary.plots.insert(summary.plots.end(), plots.begin(), plots.end());
    md += verification_value_markdown(comparison);
  }
  md += post_training_section(sweep_dir, results, summary);
  md += test_time_section(sweep_dir, results, summary);
  md += "## Plots\n\n";
  md += summary.report_path.empty()
            ? std::string("No finished points to plot.\n")
            : "Every finished point overlaid (accuracy and reward against RL FLOPs with the sigmoid fits, "
              "pass@k and maj@k against k, time per RL step): [report/report.md](report/report.md)\n";
  summary.markdown_path = (fs::path(sweep_dir) / "summary.md").string();
  atomic_write(summary.markdown_path, md);
  spdlog::info("sweep {}: {} of {} points finished; summary in {}", results.name, summary.finished,
               summary.points, summary.markdown_path);
  return summary;
}

}  // namespace rlvr::scaling
