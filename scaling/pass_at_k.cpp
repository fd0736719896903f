#include "scaling/pass_at_k.h"

#include "core/error.h"

namespace rlvr::scaling {

double pass_at_k(int64_t n, int64_t c, int64_t k) {
  if (k < 1 || k > n || c < 0 || c > n) {
    throw Error("pass@k needs 1 <= k <= n and 0 <= c <= n, got n=" + std::to_string(n) +
                " c=" + std::to_string(c) + " k=" + std::to_string(k));
  }
  if (n - c < k) return 1.0;  // every k-subset holds a correct sample
  double all_wrong = 1.0;
  for (int64_t i = n - c + 1; i <= n; ++i) all_wrong *= 1.0 - static_cast<double>(k) / i;
  return 1.0 - all_wrong;
}

bool majority_at_k(const std::vector<Vote>& votes, int64_t k, const AnswerEquality& same) {
  struct Group {
    const Vote* representative;
    int64_t count;
  };
  std::vector<Group> groups;  // in order of first appearance
  const size_t limit = std::min(votes.size(), static_cast<size_t>(std::max<int64_t>(k, 0)));
  for (size_t i = 0; i < limit; ++i) {
    const Vote& v = votes[i];
    if (!v.answer) continue;
    bool placed = false;
    for (Group& g : groups) {
      if (same(*g.representative->answer, *v.answer)) {
        ++g.count;
        placed = true;
        break;
      }
    }
    if (!placed) groups.push_back({&v, 1});
  }
  const Group* best = nullptr;
  for (const Group& g : groups) {
    if (best == nullptr || g.count > best->count) best = &g;  // strict: earlier wins ties
  }
  return best != nullptr && best->representative->correct;
}

}  // namespace rlvr::scaling
