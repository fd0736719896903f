#include "models/rope.h"

#include <cmath>

#include "core/error.h"

namespace rlvr::models {
namespace {

// Llama 3.1's scheme: wavelengths longer than the original context divided by
// factor, shorter than original/high_freq_factor kept, a linear blend between.
torch::Tensor llama3_scaled(const torch::Tensor& inv_freq, const RopeScaling& r) {
  const double old_context = static_cast<double>(r.original_max_position_embeddings);
  const double low_freq_wavelen = old_context / r.low_freq_factor;
  const double high_freq_wavelen = old_context / r.high_freq_factor;
  const auto wavelen = 2 * M_PI / inv_freq;
  auto scaled = torch::where(wavelen > low_freq_wavelen, inv_freq / r.factor, inv_freq);
  const auto smooth =
      (old_context / wavelen - r.low_freq_factor) / (r.high_freq_factor - r.low_freq_factor);
  const auto blended = (1 - smooth) * scaled / r.factor + smooth * scaled;
  const auto medium = (wavelen >= high_freq_wavelen) & (wavelen <= low_freq_wavelen);
  return torch::where(medium, blended, scaled);
}

}  // namespace

torch::Tensor rope_inv_freq(const ModelShape& shape) {
  const int64_t dim = shape.head_dim();
  const auto exponents =
      torch::arange(0, dim, 2, torch::kLong).to(torch::kFloat) / static_cast<float>(dim);
  const auto inv_freq = 1.0 / torch::pow(static_cast<float>(shape.rope_theta), exponents);
  const RopeScaling& r = shape.rope_scaling;
  if (r.type.empty()) return inv_freq;
  if (r.type == "linear") return inv_freq / r.factor;
  if (r.type == "llama3") return llama3_scaled(inv_freq, r);
  throw Error("rope_scaling type '" + r.type + "' is not supported (supported: linear, llama3)");
}

}  // namespace rlvr::models
