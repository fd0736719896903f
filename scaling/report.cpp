#include "scaling/report.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

#include "core/error.h"
#include "core/files.h"
#include "core/text_util.h"
#include "scaling/fit.h"
#include "scaling/metrics_sink.h"

namespace rlvr::scaling {
namespace fs = std::filesystem;
namespace {

struct RunSeries {
  std::string name;
  std::vector<double> eval_flops, eval_accuracy;  // RL compute since RL start, greedy accuracy
  std::vector<double> rl_flops, reward;
  std::vector<double> steps, t_generate, t_verify, t_train;
  std::optional<FitResult> fit;
  std::string fit_error;
  std::string test_time_csv;  // path, "" when absent
};

double value_or_nan(const MetricsRecord& r, const std::string& name) {
  for (const auto& [n, v] : r.values) {
    if (n == name) return v;
  }
  return NAN;
}

RunSeries load_run(const std::string& dir) {
  RunSeries s;
  s.name = fs::path(dir).lexically_normal().filename().string();
  if (s.name.empty()) s.name = fs::path(dir).lexically_normal().parent_path().filename().string();
  const auto records = read_jsonl_metrics((fs::path(dir) / "metrics.jsonl").string());
  double rl_start = NAN;
  for (const auto& r : records) {
    if (r.kind == "rl_eval" && r.step == 0) rl_start = value_or_nan(r, "flops/total");
  }
  for (const auto& r : records) {
    const double x = value_or_nan(r, "flops/total") - rl_start;
    if (r.kind == "rl_eval" && r.step > 0 && x > 0) {
      s.eval_flops.push_back(x);
      s.eval_accuracy.push_back(value_or_nan(r, "eval/accuracy"));
    } else if (r.kind == "rl") {
      if (x > 0) {
        s.rl_flops.push_back(x);
        s.reward.push_back(value_or_nan(r, "reward/mean"));
      }
      s.steps.push_back(static_cast<double>(r.step));
      s.t_generate.push_back(value_or_nan(r, "time/generate"));
      s.t_verify.push_back(value_or_nan(r, "time/verify_wait"));
      s.t_train.push_back(value_or_nan(r, "time/train"));
    }
  }
  if (s.eval_flops.size() >= 5) {
    try {
      s.fit = fit_series(s.eval_flops, s.eval_accuracy, Model::kSigmoid);
    } catch (const Error& e) {
      s.fit_error = e.what();
    }
  } else {
    s.fit_error = "fewer than 5 RL evaluations";
  }
  const fs::path tt = fs::path(dir) / "test_time.csv";
  if (fs::exists(tt)) s.test_time_csv = tt.string();
  return s;
}

std::string columns(const std::vector<std::vector<double>>& cols) {
  std::string out;
  for (size_t i = 0; i < cols[0].size(); ++i) {
    for (size_t c = 0; c < cols.size(); ++c) out += fmt::format("{}{:.10g}", c ? " " : "", cols[c][i]);
    out += '\n';
  }
  return out;
}

double sigmoid(const FitResult& f, double c) {
  return f.param("R0") + (f.param("A") - f.param("R0")) / (1 + std::pow(f.param("C_mid") / c, f.param("B")));
}

// The fitted curve from the first point to 10x the last: past the data is extrapolation.
std::string fitted_curve(const RunSeries& s) {
  std::string out;
  const double lo = std::log10(s.eval_flops.front()), hi = std::log10(s.eval_flops.back()) + 1;
  for (int i = 0; i <= 100; ++i) {
    const double c = std::pow(10.0, lo + (hi - lo) * i / 100);
    out += fmt::format("{:.10g} {:.10g}\n", c, sigmoid(*s.fit, c));
  }
  return out;
}

std::string plot_header(const std::string& png, const std::string& title, const std::string& xlabel,
                        const std::string& ylabel) {
  return fmt::format(
      "reset\nset terminal pngcairo size 900,560 font 'sans,11'\nset output '{}'\nset title '{}'\n"
      "set xlabel '{}'\nset ylabel '{}'\nset grid\nset key left top\nset termoption noenhanced\n",
      png, title, xlabel, ylabel);
}

}  // namespace

ReportResult write_report(const std::vector<std::string>& run_dirs, const std::string& out_dir) {
  if (run_dirs.empty()) throw Error("report needs at least one run directory");
  fs::create_directories(out_dir);
  std::vector<RunSeries> runs;
  for (const auto& dir : run_dirs) runs.push_back(load_run(dir));

  const auto path = [&](const std::string& name) { return (fs::path(out_dir) / name).string(); };
  std::string gp;
  std::vector<std::string> accuracy_plots, reward_plots, time_plots, tt_plots, tt_flops_plots;
  for (size_t i = 0; i < runs.size(); ++i) {
    const auto& s = runs[i];
    const std::string tag = std::to_string(i);
    if (!s.eval_flops.empty()) {
      atomic_write(path("eval_" + tag + ".dat"), columns({s.eval_flops, s.eval_accuracy}));
      accuracy_plots.push_back(fmt::format("'{}' using 1:2 with linespoints lw 2 title '{} eval accuracy'",
                                           path("eval_" + tag + ".dat"), s.name));
      if (s.fit) {
        atomic_write(path("fit_" + tag + ".dat"), fitted_curve(s));
        accuracy_plots.push_back(fmt::format("'{}' using 1:2 with lines dt 2 lw 2 title '{} sigmoid fit (dashed past the data)'",
                                             path("fit_" + tag + ".dat"), s.name));
      }
    }
    if (!s.rl_flops.empty()) {
      atomic_write(path("reward_" + tag + ".dat"), columns({s.rl_flops, s.reward}));
      reward_plots.push_back(fmt::format("'{}' using 1:2 with lines lw 2 title '{} reward'",
                                         path("reward_" + tag + ".dat"), s.name));
    }
    if (!s.steps.empty()) {
      atomic_write(path("time_" + tag + ".dat"), columns({s.steps, s.t_generate, s.t_verify, s.t_train}));
      for (const auto& [col, what] : std::vector<std::pair<int, std::string>>{{2, "generation"}, {3, "verification wait"}, {4, "training"}}) {
        time_plots.push_back(fmt::format("'{}' using 1:{} with lines lw 2 title '{} {}'",
                                         path("time_" + tag + ".dat"), col, s.name, what));
      }
    }
    if (!s.test_time_csv.empty()) {
      for (const auto& [col, what] : std::vector<std::pair<int, std::string>>{{2, "pass@k"}, {3, "maj@k"}}) {
        tt_plots.push_back(fmt::format("'{}' using 1:{} every ::1 with linespoints lw 2 title '{} {}'",
                                       s.test_time_csv, col, s.name, what));
        tt_flops_plots.push_back(fmt::format("'{}' using 5:{} every ::1 with linespoints lw 2 title '{} {}'",
                                             s.test_time_csv, col, s.name, what));
      }
    }
  }
  ReportResult result;
  const auto add_plot = [&](const std::string& png, const std::string& header, const std::vector<std::string>& series) {
    if (series.empty()) return;
    gp += header + "plot " + join(series, ", \\\n     ") + "\n";
    result.plots.push_back(path(png));
  };
  add_plot("accuracy_vs_flops.png",
           plot_header(path("accuracy_vs_flops.png"), "Eval accuracy against RL compute", "RL FLOPs", "greedy accuracy") +
               "set logscale x\nset format x '1e%L'\nset yrange [0:1]\n",
           accuracy_plots);
  add_plot("reward_vs_flops.png",
           plot_header(path("reward_vs_flops.png"), "Training reward against RL compute", "RL FLOPs", "mean reward") +
               "set logscale x\nset format x '1e%L'\n",
           reward_plots);
  add_plot("test_time.png",
           plot_header(path("test_time.png"), "Test-time compute: accuracy against samples", "k samples", "accuracy") +
               "set logscale x 2\nset datafile separator ','\n",
           tt_plots);
  add_plot("test_time_flops.png",
           plot_header(path("test_time_flops.png"), "Test-time compute: accuracy against inference FLOPs",
                       "inference FLOPs per task", "accuracy") +
               "set logscale x\nset format x '1e%L'\nset datafile separator ','\n",
           tt_flops_plots);
  add_plot("time_per_step.png",
           plot_header(path("time_per_step.png"), "Wall-clock per RL step", "RL step", "seconds") +
               "set key outside right top\nset size ratio 0.6\n",
           time_plots);
  const std::string script = path("report.gp");
  atomic_write(script, gp);
  const std::string cmd = "gnuplot '" + script + "' 2>'" + path("gnuplot.log") + "'";
  if (std::system(cmd.c_str()) != 0) {
    throw Error("gnuplot failed on " + script + " (see " + path("gnuplot.log") +
                "; install gnuplot-nox)");
  }

  std::string md = "# rlvr report\n\nRuns: " + join(run_dirs, ", ") + "\n\n";
  md += "## Fitted sigmoid R(C) = R0 + (A - R0) / (1 + (C_mid / C)^B), C = RL FLOPs\n\n";
  md += "| run | A (asymptote) | B (efficiency) | C_mid | R0 | R^2 | extrapolation error |\n|---|---|---|---|---|---|---|\n";
  for (const auto& s : runs) {
    if (!s.fit) {
      md += fmt::format("| {} | no fit: {} | | | | | |\n", s.name, s.fit_error);
      continue;
    }
    const auto cell = [&](const std::string& p) {
      for (const auto& e : s.fit->params) {
        if (e.name == p) return fmt::format("{:.4g} [{:.3g}, {:.3g}]", e.value, e.lower, e.upper);
      }
      return std::string("-");
    };
    md += fmt::format("| {} | {} | {} | {} | {} | {:.3f} | {} |\n", s.name, cell("A"), cell("B"), cell("C_mid"),
                      cell("R0"), s.fit->r_squared,
                      s.fit->extrapolation ? fmt::format("{:.1f}%", 100 * s.fit->extrapolation->relative_error) : "-");
  }
  md += "\nIntervals are 95% bootstrap intervals; the extrapolation error fits the first half of the points and predicts the last.\n\n";
  for (const auto& png : result.plots) md += "![" + fs::path(png).stem().string() + "](" + fs::path(png).filename().string() + ")\n\n";
  result.markdown_path = path("report.md");
  atomic_write(result.markdown_path, md);
  return result;
}

}  // namespace rlvr::scaling
