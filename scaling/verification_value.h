// The value of a verifier, read from a sweep that varies one field (usually
// sft.num_demonstrations, with analysis.compare_along naming it): every phase
// and control of every point, grouped by that field's value, as mean and
// spread over the seeds; then where the verifier-driven phases (RL: GRPO,
// RFT, ...) pull away from the label-only ones (SFT, the SFT-only and the
// answer-only controls) and how many labels the label-only ones would need to
// catch up. Pure except plot_verification_value.
#pragma once

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scaling/sweep_points.h"

namespace rlvr::scaling {

// Accuracy over the seeds that reached one value of the compared field.
struct SeedSpread {
  double mean = 0, std = 0;  // std: sample standard deviation, 0 for one seed
  int seeds = 0;
};

struct PhaseCurve {
  std::string label;     // "SFT", "GRPO", "SFT-only control", ...
  bool verifier = false;  // trained with the verifier's reward (an RL phase)
  bool label_only = false;  // trained on labels only: SFT and the SFT-only / answer-only controls
  std::map<double, SeedSpread> in_distribution, harder;  // by the compared field's value
};

// Where one verifier curve stands against the best label-only curve.
struct Crossover {
  std::string verifier;
  // The smallest value where the verifier beats every label-only curve by at
  // least kWinMargin in distribution; NaN when it never does.
  double wins_from = NAN;
  double previous = NAN;  // the value before wins_from (NaN when wins_from is the first)
  // The smallest value where the best label-only curve reaches the verifier's
  // accuracy at wins_from; NaN when none does within the sweep.
  double labels_needed = NAN;
  std::string sentence;  // all of it, for the report
};

struct VerificationComparison {
  std::string field;
  std::vector<double> values;  // ascending
  std::vector<PhaseCurve> curves;  // SFT, the label-only controls, the verifiers, the rest; by label within each
  std::vector<Crossover> crossovers;  // one per verifier curve
};

// Points count as a win when the verifier leads by this much (accuracy, 0-1).
inline constexpr double kWinMargin = 0.10;

// Groups the finished points of `results` by results.compare_along's value
// (from each point's overrides). A phase that two points report for the same
// value and seed (the SFT start of a GRPO and an RFT point) counts once.
// Throws rlvr::Error when compare_along is empty or a point's value is not a number.
VerificationComparison compare_phases(const SweepResults& results);

// The Markdown section: a table per split (mean +- std over seeds, in %), the
// crossover sentences and the plots (relative paths, as written by
// plot_verification_value).
std::string verification_value_markdown(const VerificationComparison& comparison);

// SWEEP_DIR/verification_value.png (in distribution) and
// verification_value_harder.png (when any phase has a harder split): accuracy
// against the compared field on a log axis, one line per phase with seed
// spread bars. Returns the PNGs written.
std::vector<std::string> plot_verification_value(const std::string& sweep_dir,
                                                 const VerificationComparison& comparison);

}  // namespace rlvr::scaling
