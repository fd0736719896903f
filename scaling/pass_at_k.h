// Test-time compute estimators over n sampled completions of one task.
// Torch-free and pure.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rlvr::scaling {

// Unbiased pass@k from n samples of which c are correct (Chen et al. 2021):
// 1 - C(n-c, k) / C(n, k), computed as 1 - prod_{i=n-c+1..n} (1 - k/i) so it
// neither overflows nor loses precision for large n. Requires 1 <= k <= n.
double pass_at_k(int64_t n, int64_t c, int64_t k);

// One sampled completion as a vote: its extracted answer (none when the
// verifier found no answer) and whether it was judged correct.
struct Vote {
  std::optional<std::string> answer;
  bool correct = false;
};

// Whether two extracted answers mean the same thing (e.g. "0.5" and "1/2").
using AnswerEquality = std::function<bool(const std::string&, const std::string&)>;

// maj@k over the first k votes: answers are grouped with `same` (not by string),
// the largest group wins, ties go to the group whose first vote came earliest,
// and the result is whether the winning group's answer is correct. Votes
// without an answer do not vote; no answer at all counts as wrong.
bool majority_at_k(const std::vector<Vote>& votes, int64_t k, const AnswerEquality& same);

}  // namespace rlvr::scaling
