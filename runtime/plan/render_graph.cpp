// Building and printing resource and step graphs.
#include "runtime/plan/render_graph.h"

#include <algorithm>
#include <map>

namespace kc::plan {
namespace {

// A DOT double-quoted string; '\n' becomes DOT's centred line break.
std::string dot_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// A Mermaid quoted label: characters Mermaid or its HTML labels would read become entity codes.
std::string mermaid_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '#':
        out += "#35;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '\n':
        out += "<br/>";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

void finish_edges(Graph& graph) {
  std::sort(graph.edges.begin(), graph.edges.end());
  graph.edges.erase(std::unique(graph.edges.begin(), graph.edges.end()), graph.edges.end());
}

std::string step_label(const Step& step) {
  std::string label(step_kind_name(step.kind));
  if (step.kind == StepKind::Action) return label + " " + step.action + " " + step.address;
  label += " " + step.address;
  if (step.action == "replace") label += "\n(replace)";
  return label;
}

}  // namespace

Graph resource_graph(const eval::DesiredState& desired) {
  Graph graph;
  std::map<std::string, int, std::less<>> index;
  for (const eval::DesiredResource& r : desired.resources) {
    index[r.address] = static_cast<int>(graph.nodes.size());
    graph.nodes.push_back({r.address + "\n" + r.type, -1});
  }
  for (const eval::DesiredResource& r : desired.resources) {
    for (const std::string& dep : r.depends_on) {
      auto it = index.find(dep);
      if (it != index.end()) graph.edges.emplace_back(it->second, index[r.address]);
    }
  }
  finish_edges(graph);
  return graph;
}

Graph step_graph(const Plan& plan) {
  Graph graph;
  std::map<int, int> cluster_of_wave;
  for (const Step& step : plan.steps) {
    int cluster = -1;
    if (step.wave > 0) {
      auto [it, added] =
          cluster_of_wave.emplace(step.wave, static_cast<int>(graph.clusters.size()));
      if (added) {
        std::string label = "wave " + std::to_string(step.wave);
        if (step.wave <= static_cast<int>(plan.waves.size())) {
          const Wave& w = plan.waves[step.wave - 1];
          label += ": " + w.group + " " + std::to_string(w.index) + "/" + std::to_string(w.count);
        }
        graph.clusters.push_back(label);
      }
      cluster = it->second;
    }
    graph.nodes.push_back({step_label(step), cluster});
  }
  for (const Step& step : plan.steps) {
    for (int dep : step.depends_on) {
      if (dep >= 0 && dep < static_cast<int>(plan.steps.size()))
        graph.edges.emplace_back(dep, step.id);
    }
  }
  finish_edges(graph);
  return graph;
}

std::string render_dot(const Graph& graph) {
  std::string out = "digraph kc {\n  rankdir=LR;\n  node [shape=box];\n";
  auto node = [&](size_t i, const char* indent) {
    out += std::string(indent) + "n" + std::to_string(i) +
           " [label=" + dot_quoted(graph.nodes[i].label) + "];\n";
  };
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    if (graph.nodes[i].cluster < 0) node(i, "  ");
  }
  for (size_t c = 0; c < graph.clusters.size(); ++c) {
    out += "  subgraph cluster_" + std::to_string(c) + " {\n";
    out += "    label=" + dot_quoted(graph.clusters[c]) + ";\n";
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
      if (graph.nodes[i].cluster == static_cast<int>(c)) node(i, "    ");
    }
    out += "  }\n";
  }
  for (const auto& [from, to] : graph.edges)
    out += "  n" + std::to_string(from) + " -> n" + std::to_string(to) + ";\n";
  return out + "}\n";
}

std::string render_mermaid(const Graph& graph) {
  std::string out = "flowchart LR\n";
  auto node = [&](size_t i, const char* indent) {
    out += std::string(indent) + "n" + std::to_string(i) + "[" +
           mermaid_quoted(graph.nodes[i].label) + "]\n";
  };
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    if (graph.nodes[i].cluster < 0) node(i, "  ");
  }
  for (size_t c = 0; c < graph.clusters.size(); ++c) {
    out += "  subgraph c" + std::to_string(c) + "[" + mermaid_quoted(graph.clusters[c]) + "]\n";
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
      if (graph.nodes[i].cluster == static_cast<int>(c)) node(i, "    ");
    }
    out += "  end\n";
  }
  for (const auto& [from, to] : graph.edges)
    out += "  n" + std::to_string(from) + " --> n" + std::to_string(to) + "\n";
  return out;
}

}  // namespace kc::plan
