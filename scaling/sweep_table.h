// The per-point table of a sweep summary, as CSV and as Markdown. Pure.
#pragma once

#include <string>

#include "scaling/sweep_points.h"

namespace rlvr::scaling {

// RFC 4180 CSV with a header row, one row per point. Columns: index, name,
// overrides ("; "-separated), status, error, attempts, wall_seconds,
// parameters, sft_steps, sft_final_loss, sft_accuracy, rl_accuracy,
// sft_control_accuracy, training_flops, rl_eval_points, sigmoid_A, sigmoid_B,
// sigmoid_C_mid, sigmoid_R0 (empty when unconstrained), sigmoid_r_squared,
// sigmoid_extrapolation_error (predicted - observed accuracy of the last
// evaluation, from the first half of the RL compute), test_time_k (the largest k),
// pass_at_k, maj_at_k, test_time_ceiling (1 - pi0 of the final policy's
// test-time law), test_time_exponent (its alpha), sft_crossover_k (the
// measured k at which the SFT policy's pass@k reaches it). A value a point
// does not have is an empty field.
std::string sweep_csv(const SweepResults& results);

// The Markdown table of the same points (greedy accuracies in percent), then a
// list of the failed points with their errors.
std::string sweep_points_markdown(const SweepResults& results);

// `text` safe inside a Markdown table cell: pipes escaped, line breaks joined.
std::string markdown_cell(const std::string& text);

}  // namespace rlvr::scaling
