// "path": the answer is a path through task.meta["edges"], a weighted
// undirected graph "0-1:3 0-2:4 1-2:2 2-3:1", written as its nodes joined by
// '-' ("0-2-3"; blanks around them are allowed). task.reference is a shortest
// path (shortest_path's): its ends are the ends asked for and its length the
// shortest length. The answer is the tagged answer or the first non-empty line
// (extract_answer_line).
// Rewards: 1 and correct for a path between the reference's ends, along
// edges, as short as the reference (any of equal length); 0.5 for such a path
// that is longer (it solves the routing, not the optimisation); 0 for a path
// with a missing edge or other ends (kWrong) or one that is not a list of node
// numbers (kInvalid). Never throws on model output; linear in the completion
// (answers longer than kMaxPathChars are kInvalid unread). Stateless and
// thread-safe.
#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/text_util.h"
#include "verifiers/answer_extraction.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {
namespace {

// Far more than a path through any graph a prompt can list.
constexpr size_t kMaxPathChars = 4096;
constexpr double kLongerPathReward = 0.5;

using EdgeWeights = std::map<std::pair<int64_t, int64_t>, int64_t>;  // both directions

std::optional<int64_t> node_number(std::string_view text) {
  const std::string word = trim(text);
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), n);
  if (word.empty() || ec != std::errc() || end != word.data() + word.size() || n < 0) return std::nullopt;
  return n;
}

// The nodes of "0-2-3", or nullopt when a part is not a node number.
std::optional<std::vector<int64_t>> parse_path(std::string_view text) {
  std::vector<int64_t> nodes;
  for (const std::string& part : split(text, '-')) {
    const std::optional<int64_t> node = node_number(part);
    if (!node) return std::nullopt;
    nodes.push_back(*node);
  }
  return nodes;
}

// The edges of "0-1:3 1-2:2", or nullopt when one is not "u-v:weight" with a positive weight.
std::optional<EdgeWeights> parse_edges(std::string_view text) {
  EdgeWeights weights;
  for (const std::string& edge : split(trim(text), ' ')) {
    const size_t colon = edge.find(':');
    if (colon == std::string::npos) return std::nullopt;
    const std::optional<std::vector<int64_t>> ends = parse_path(std::string_view(edge).substr(0, colon));
    const std::optional<int64_t> weight = node_number(std::string_view(edge).substr(colon + 1));
    if (!ends || ends->size() != 2 || !weight || *weight <= 0) return std::nullopt;
    weights[{(*ends)[0], (*ends)[1]}] = weights[{(*ends)[1], (*ends)[0]}] = *weight;
  }
  return weights;
}

// The length of `path` along `weights`, or nullopt with `missing` set to the
// first hop that is no edge.
std::optional<int64_t> path_length(const std::vector<int64_t>& path, const EdgeWeights& weights, std::string& missing) {
  int64_t length = 0;
  for (size_t i = 1; i < path.size(); ++i) {
    const auto edge = weights.find({path[i - 1], path[i]});
    if (edge == weights.end()) {
      missing = std::to_string(path[i - 1]) + "-" + std::to_string(path[i]);
      return std::nullopt;
    }
    length += edge->second;
  }
  return length;
}

class PathVerifier : public Verifier {
 public:
  std::string name() const override { return "path"; }

  // Throws rlvr::Error when meta "edges" is no edge list or the reference no
  // path along it: a bug in the environment, not in the model's output.
  Verdict verify(const Task& task, std::string_view completion) const override {
    const auto meta = task.meta.find("edges");
    const std::optional<EdgeWeights> weights = meta == task.meta.end() ? std::nullopt : parse_edges(meta->second);
    const std::optional<std::vector<int64_t>> reference = parse_path(task.reference);
    std::string missing;
    const std::optional<int64_t> shortest =
        weights && reference ? path_length(*reference, *weights, missing) : std::nullopt;
    if (!shortest || reference->size() < 2) {
      throw Error("path task '" + task.id +
                  "' needs a meta \"edges\" list (\"0-1:3 1-2:2\") and a reference path along it, got '" +
                  clip_for_detail(task.reference) + "'");
    }

    const std::string answer = extract_answer_line(completion);
    if (answer.empty()) return make_verdict(VerdictStatus::kNoAnswer, "no path in the answer");
    if (answer.size() > kMaxPathChars) {
      return make_verdict(VerdictStatus::kInvalid, "the answer is longer than " + std::to_string(kMaxPathChars) +
                          " characters, no path here is", clip_for_detail(answer));
    }
    const std::optional<std::vector<int64_t>> path = parse_path(answer);
    if (!path) {
      return make_verdict(VerdictStatus::kInvalid, "'" + clip_for_detail(answer) + "' is not nodes joined by '-'",
                          answer);
    }
    std::string nodes;  // the answer without blanks: "0 - 2" and "0-2" are the same answer
    for (const int64_t node : *path) nodes += (nodes.empty() ? "" : "-") + std::to_string(node);
    if (path->front() != reference->front() || path->back() != reference->back()) {
      return make_verdict(VerdictStatus::kWrong, "'" + clip_for_detail(answer) + "' does not go from " +
                          std::to_string(reference->front()) + " to " + std::to_string(reference->back()), nodes);
    }
    const std::optional<int64_t> length = path_length(*path, *weights, missing);
    if (!length) return make_verdict(VerdictStatus::kWrong, "no edge " + missing, nodes);
    const std::string lengths = "length " + std::to_string(*length) + ", shortest " + std::to_string(*shortest);
    if (*length <= *shortest) return make_verdict(VerdictStatus::kCorrect, lengths, nodes);
    Verdict v = make_verdict(VerdictStatus::kWrong, lengths, nodes);
    v.reward = kLongerPathReward;
    return v;
  }
};

}  // namespace

RLVR_REGISTER_VERIFIER("path", [](const config::VerifierConfig&) { return std::make_unique<PathVerifier>(); });

}  // namespace rlvr::verifiers
