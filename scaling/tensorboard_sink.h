// TensorBoard event files written without TensorFlow: TFRecord framing with
// masked CRC-32C around Event/Summary protos (proto/tensorboard.proto).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scaling/metrics_sink.h"

namespace rlvr::scaling {

// Writes every record's values as scalars into a new event file in `dir`:
// tag "<kind>/<name>" at the record's step, and, for records that carry
// "flops/total", tag "<kind>_by_flops/<name>" with the cumulative training
// FLOPs as the step, so TensorBoard can draw curves against compute.
std::unique_ptr<MetricsSink> make_tensorboard_sink(const std::string& dir);

// Forwards every record to each of `sinks`.
std::unique_ptr<MetricsSink> make_tee_sink(std::vector<std::unique_ptr<MetricsSink>> sinks);

}  // namespace rlvr::scaling
