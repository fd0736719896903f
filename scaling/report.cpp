#include "scaling/report.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <filesystem>
#include <optional>

#include "core/error.h"
#include "core/files.h"
#include "core/text_util.h"
#include "scaling/fit_plot.h"
#include "scaling/fit_table.h"
#include "scaling/gnuplot.h"
#include "scaling/metrics_sink.h"
#include "scaling/rl_eval_curve.h"
#include "scaling/test_time_summary.h"

namespace rlvr::scaling {
namespace fs = std::filesystem;
namespace {

struct RunSeries {
  std::string name;
  RlEvalCurve eval;  // sampled pass@1 (or greedy accuracy) against RL FLOPs, with its sigmoid fit
  // Greedy accuracy as well when `eval` is pass@1: the accuracy the run's
  // summary reports, whose extrapolation a reader will want to see too.
  std::optional<RlEvalCurve> greedy;
  std::vector<double> rl_flops, reward;
  std::vector<double> steps, t_generate, t_verify, t_train;
  RunTestTime test_time;  // the final and SFT policies' pass@k tables and laws, where evaluated
};

RunSeries load_run(const std::string& dir) {
  RunSeries s;
  s.name = fs::path(dir).lexically_normal().filename().string();
  if (s.name.empty()) s.name = fs::path(dir).lexically_normal().parent_path().filename().string();
  const auto records = read_jsonl_metrics((fs::path(dir) / "metrics.jsonl").string());
  s.eval = rl_eval_curve(records);
  if (s.eval.metric != "eval/accuracy") s.greedy = rl_eval_curve(records, "eval/accuracy");
  const double rl_start = rl_start_flops(records);
  for (const auto& r : records) {
    if (r.kind != "rl") continue;
    const double x = r.value_or("flops/total", NAN) - rl_start;
    if (x > 0) {
      s.rl_flops.push_back(x);
      s.reward.push_back(r.value_or("reward/mean", NAN));
    }
    s.steps.push_back(static_cast<double>(r.step));
    s.t_generate.push_back(r.value_or("time/generate", NAN));
    s.t_verify.push_back(r.value_or("time/verify_wait", NAN));
    s.t_train.push_back(r.value_or("time/train", NAN));
  }
  s.test_time = load_run_test_time(dir);
  return s;
}

}  // namespace

ReportResult write_report(const std::vector<std::string>& run_dirs, const std::string& out_dir) {
  if (run_dirs.empty()) throw Error("report needs at least one run directory");
  fs::create_directories(out_dir);
  std::vector<RunSeries> runs;
  for (const auto& dir : run_dirs) runs.push_back(load_run(dir));

  const auto path = [&](const std::string& name) { return (fs::path(out_dir) / name).string(); };
  std::string gp;
  std::vector<std::string> accuracy_plots, greedy_plots, reward_plots, time_plots, tt_plots, tt_flops_plots;
  for (size_t i = 0; i < runs.size(); ++i) {
    const auto& s = runs[i];
    const std::string tag = std::to_string(i);
    if (!s.eval.flops.empty()) {
      const std::string label = s.name + (s.eval.metric == "eval/pass@1" ? " pass@1" : " greedy accuracy");
      const auto clauses =
          fit_plot_series(s.eval.series(), s.eval.fit ? &*s.eval.fit : nullptr, path("eval_" + tag), label);
      accuracy_plots.insert(accuracy_plots.end(), clauses.begin(), clauses.end());
    }
    if (s.greedy && !s.greedy->flops.empty()) {
      const auto clauses = fit_plot_series(s.greedy->series(), s.greedy->fit ? &*s.greedy->fit : nullptr,
                                           path("greedy_" + tag), s.name + " greedy accuracy");
      greedy_plots.insert(greedy_plots.end(), clauses.begin(), clauses.end());
    }
    if (!s.rl_flops.empty()) {
      atomic_write(path("reward_" + tag + ".dat"), data_columns({s.rl_flops, s.reward}));
      reward_plots.push_back(fmt::format("'{}' using 1:2 with lines lw 2 title '{} reward'",
                                         path("reward_" + tag + ".dat"), s.name));
    }
    if (!s.steps.empty()) {
      atomic_write(path("time_" + tag + ".dat"), data_columns({s.steps, s.t_generate, s.t_verify, s.t_train}));
      for (const auto& [col, what] : std::vector<std::pair<int, std::string>>{{2, "generation"}, {3, "verification wait"}, {4, "training"}}) {
        time_plots.push_back(fmt::format("'{}' using 1:{} with lines lw 2 title '{} {}'",
                                         path("time_" + tag + ".dat"), col, s.name, what));
      }
    }
    for (const auto& [policy, label] : {std::pair{&s.test_time.final_policy, ""}, {&s.test_time.sft, " SFT"}}) {
      if (!*policy) continue;
      const PolicyTestTime& p = **policy;
      for (const auto& [col, what] : std::vector<std::pair<int, std::string>>{{2, "pass@k"}, {3, "maj@k"}}) {
        tt_plots.push_back(fmt::format("'{}' using 1:{} every ::1 with linespoints lw 2 title '{}{} {}'",
                                       p.table_csv, col, s.name, label, what));
        tt_flops_plots.push_back(fmt::format("'{}' using 5:{} every ::1 with linespoints lw 2 title '{}{} {}'",
                                             p.table_csv, col, s.name, label, what));
      }
      if (!p.law) continue;
      // The law past the samples drawn: 4x further, where a reader wants the extrapolation.
      const std::string law_file = path("law_" + tag + (*label ? "_sft" : "") + ".dat");
      atomic_write(law_file, law_curve_data(p.law->law, 4.0 * static_cast<double>(p.law->samples)));
      tt_plots.push_back(fmt::format("'{}' using 1:2 with lines dt 2 lw 2 title '{}{} law'", law_file, s.name, label));
    }
  }
  ReportResult result;
  const auto add_plot = [&](const std::string& png, const std::string& header, const std::vector<std::string>& series) {
    if (series.empty()) return;
    gp += header + "plot " + join(series, ", \\\n     ") + "\n";
    result.plots.push_back(path(png));
  };
  add_plot("accuracy_vs_flops.png",
           plot_header(path("accuracy_vs_flops.png"), "Eval accuracy against RL compute", "RL FLOPs", "accuracy") +
               "set logscale x\nset format x '1e%L'\nset yrange [0:1]\n",
           accuracy_plots);
  add_plot("greedy_accuracy_vs_flops.png",
           plot_header(path("greedy_accuracy_vs_flops.png"), "Greedy eval accuracy against RL compute", "RL FLOPs",
                       "greedy accuracy") +
               "set logscale x\nset format x '1e%L'\nset yrange [0:1]\n",
           greedy_plots);
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
  run_gnuplot(path("report.gp"), gp, path("gnuplot.log"));

  std::string md = "# rlvr report\n\nRuns: " + join(run_dirs, ", ") + "\n\n";
  md += "## Fitted sigmoid R(C) = R0 + (A - R0) / (1 + (C_mid / C)^B), C = RL FLOPs\n\n"
        "R is sampled pass@1 where the run logged it (eval.pass_samples > 0), with a second row for greedy "
        "accuracy, and greedy accuracy alone otherwise, with error bars of one standard error. In the accuracy "
        "plots, filled points are the evaluations "
        "the first-half fit saw, open circles the ones it predicted; the shaded band is its 95% bootstrap "
        "band and the dashed line the fit on all points.\n\n";
  std::vector<std::pair<std::string, const RlEvalCurve*>> rows;
  for (const auto& s : runs) {
    rows.emplace_back(s.name, &s.eval);
    if (s.greedy) rows.emplace_back(s.name, &*s.greedy);
  }
  md += sigmoid_fit_table("run", rows) + "\n";
  std::vector<std::pair<std::string, const RunTestTime*>> law_rows;
  for (const auto& s : runs) law_rows.emplace_back(s.name, &s.test_time);
  const std::string law_table = test_time_law_table("run", law_rows);
  if (!law_table.empty()) md += "## Test-time law: pass@k against samples k\n\n" + law_table + "\n";
  for (const auto& png : result.plots) md += "![" + fs::path(png).stem().string() + "](" + fs::path(png).filename().string() + ")\n\n";
  result.markdown_path = path("report.md");
  atomic_write(result.markdown_path, md);
  return result;
}

}  // namespace rlvr::scaling
