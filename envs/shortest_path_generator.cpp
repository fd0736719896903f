// "shortest_path": the cheapest route between two nodes of a small connected
// graph with positive integer weights, undirected, nodes 0..nodes-1. Edges are
// "u-v:weight" (u < v, in order), then "from>to=":
//   prompt   "0-1:3 0-2:4 1-2:2 2-3:1 0>3="
//   solution "0-2-3" (a shortest path as its nodes, reference the same),
//   meta["edges"] the edge list of the prompt.
// Verified by "path": a valid path of the shortest length (any of them, when
// several tie) is right; a valid but longer one gets partial credit. The graph
// is a random spanning tree (so every pair is connected) plus extra_edges more
// random edges, the node labels shuffled so the tree's shape is not in them.
// Difficulty: nodes, extra_edges and max_weight.
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "core/text_util.h"
#include "envs/generator_util.h"

namespace rlvr::envs {
namespace {

using WeightMatrix = std::vector<std::vector<int64_t>>;  // [u][v], 0 for no edge

int64_t most_extra_edges(int64_t nodes) { return (nodes - 1) * (nodes - 2) / 2; }

// A shortest path from `from` to `to` by Dijkstra's algorithm (O(nodes^2), the
// graphs are tiny); among equal distances the lower node is settled first, so
// the path is a function of the graph alone.
std::vector<int64_t> shortest_path(const WeightMatrix& weights, int64_t from, int64_t to) {
  const auto n = static_cast<int64_t>(weights.size());
  std::vector<int64_t> distance(n, std::numeric_limits<int64_t>::max()), previous(n, -1);
  std::vector<bool> settled(n, false);
  distance[from] = 0;
  for (int64_t round = 0; round < n; ++round) {
    int64_t u = -1;
    for (int64_t v = 0; v < n; ++v) {
      if (!settled[v] && (u < 0 || distance[v] < distance[u])) u = v;
    }
    settled[u] = true;
    for (int64_t v = 0; v < n; ++v) {
      if (weights[u][v] > 0 && distance[u] + weights[u][v] < distance[v]) {
        distance[v] = distance[u] + weights[u][v];
        previous[v] = u;
      }
    }
  }
  std::vector<int64_t> path;
  for (int64_t v = to; v >= 0; v = previous[v]) path.push_back(v);
  std::reverse(path.begin(), path.end());
  return path;
}

class ShortestPathGenerator : public TaskGenerator {
 public:
  explicit ShortestPathGenerator(const config::EnvConfig&) {}

  std::vector<DifficultyAttribute> attributes() const override {
    return {{"nodes", "nodes in the graph (at most 10: one digit each)", {4, 5, 6, 8, 10}},
            {"extra_edges", "edges beyond a spanning tree", {1, 2, 3, 5, 8}},
            {"max_weight", "edge weights are drawn from 1..max_weight", {5, 9, 9, 20, 50}}};
  }

  void check(const Difficulty& difficulty) const override {
    require_in_range("shortest_path", difficulty, "nodes", 2, 10);
    require_in_range("shortest_path", difficulty, "extra_edges", 0, most_extra_edges(difficulty["nodes"]));
    require_in_range("shortest_path", difficulty, "max_weight", 1, 1000);
  }

  Task generate(Rng& rng, const Difficulty& difficulty) const override {
    const int64_t n = difficulty["nodes"];
    WeightMatrix weights(n, std::vector<int64_t>(n, 0));
    const auto connect = [&](int64_t u, int64_t v) {
      weights[u][v] = weights[v][u] = uniform_int(rng, 1, difficulty["max_weight"]);
    };
    std::vector<int64_t> labels(n);
    for (int64_t i = 0; i < n; ++i) labels[i] = i;
    partial_shuffle(labels, labels.size(), rng);
    for (int64_t i = 1; i < n; ++i) connect(labels[i], labels[uniform_int(rng, 0, i - 1)]);

    std::vector<std::pair<int64_t, int64_t>> absent;
    for (int64_t u = 0; u < n; ++u) {
      for (int64_t v = u + 1; v < n; ++v) {
        if (weights[u][v] == 0) absent.emplace_back(u, v);
      }
    }
    const auto extra = static_cast<size_t>(difficulty["extra_edges"]);
    partial_shuffle(absent, extra, rng);
    for (size_t i = 0; i < extra; ++i) connect(absent[i].first, absent[i].second);

    const int64_t from = uniform_int(rng, 0, n - 1);
    int64_t to = uniform_int(rng, 0, n - 2);
    if (to >= from) ++to;

    std::vector<std::string> edges;
    for (int64_t u = 0; u < n; ++u) {
      for (int64_t v = u + 1; v < n; ++v) {
        if (weights[u][v] == 0) continue;
        edges.push_back(std::to_string(u) + "-" + std::to_string(v) + ":" + std::to_string(weights[u][v]));
      }
    }
    Task t;
    t.meta["edges"] = join(edges, " ");
    t.prompt = t.meta["edges"] + " " + std::to_string(from) + ">" + std::to_string(to) + "=";
    t.reference = join_numbers(shortest_path(weights, from, to), "-");
    t.solution = t.reference;
    t.verifier = "path";
    return t;
  }
};

}  // namespace

RLVR_REGISTER_GENERATOR("shortest_path", ShortestPathGenerator);

}  // namespace rlvr::envs
