// `kc graph`: the resource graph of a desired state and the step graph of a plan, as Graphviz DOT
// or a Mermaid flowchart. Only reads its input; the output is deterministic.
#pragma once

#include <string>
#include <vector>

#include "compiler/eval/desired_state.h"
#include "runtime/plan/plan.h"

namespace kc::plan {

// A graph ready to print. An edge {from, to} means `to` depends on `from` (from runs first).
struct Graph {
  struct Node {
    std::string label;  // lines separated by '\n'
    int cluster = -1;   // index into clusters, or -1 for none
  };
  std::vector<Node> nodes;
  std::vector<std::string> clusters;       // cluster labels
  std::vector<std::pair<int, int>> edges;  // sorted
};

// Nodes are the resources by address, labelled with address and type; edges are depends_on.
Graph resource_graph(const eval::DesiredState& desired);

// Nodes are the steps in id order ("create sim.machine[\"a\"]", "action drain ..."); edges are
// their depends_on; steps of a rollout wave are grouped in one cluster per wave.
Graph step_graph(const Plan& plan);

// `digraph kc { ... }`; clusters become `subgraph cluster_N`.
std::string render_dot(const Graph& graph);
// `flowchart LR`; clusters become `subgraph`; labels are quoted with Mermaid's entity escapes.
std::string render_mermaid(const Graph& graph);

}  // namespace kc::plan
