// kc graph: resource and step graphs in DOT and Mermaid, with their quoting.
#include <doctest/doctest.h>

#include "runtime/plan/render_graph.h"

using namespace kc;

namespace {

eval::DesiredResource resource(std::string address, std::string type,
                               std::vector<std::string> deps = {}) {
  eval::DesiredResource r;
  r.address = std::move(address);
  r.type = std::move(type);
  r.provider = "sim";
  r.depends_on = std::move(deps);
  return r;
}

}  // namespace

TEST_CASE("graph: the resource graph in DOT and Mermaid") {
  eval::DesiredState desired;
  desired.resources = {resource("sim.machine[\"a\"]", "sim.machine", {"sim.network[\"n\"]"}),
                       resource("sim.network[\"n\"]", "sim.network")};
  plan::Graph graph = plan::resource_graph(desired);
  CHECK(plan::render_dot(graph) ==
        "digraph kc {\n"
        "  rankdir=LR;\n"
        "  node [shape=box];\n"
        "  n0 [label=\"sim.machine[\\\"a\\\"]\\nsim.machine\"];\n"
        "  n1 [label=\"sim.network[\\\"n\\\"]\\nsim.network\"];\n"
        "  n1 -> n0;\n"
        "}\n");
  CHECK(plan::render_mermaid(graph) ==
        "flowchart LR\n"
        "  n0[\"sim.machine[#quot;a#quot;]<br/>sim.machine\"]\n"
        "  n1[\"sim.network[#quot;n#quot;]<br/>sim.network\"]\n"
        "  n1 --> n0\n");
}

TEST_CASE("graph: labels that need escaping") {
  eval::DesiredState desired;
  desired.resources = {resource("sim.machine[\"a\\\\b#<&>\"]", "sim.machine")};
  plan::Graph graph = plan::resource_graph(desired);
  CHECK(plan::render_dot(graph).find("n0 [label=\"sim.machine[\\\"a\\\\\\\\b#<&>\\\"]") !=
        std::string::npos);
  CHECK(plan::render_mermaid(graph).find(
            "n0[\"sim.machine[#quot;a\\\\b#35;#lt;#amp;#gt;#quot;]<br/>sim.machine\"]") !=
        std::string::npos);
}

TEST_CASE("graph: plan steps grouped by wave") {
  plan::Plan p;
  auto step = [](int id, plan::StepKind kind, std::string address, std::string action, int wave,
                 std::vector<int> deps) {
    plan::Step s;
    s.id = id;
    s.kind = kind;
    s.address = std::move(address);
    s.action = std::move(action);
    s.wave = wave;
    s.depends_on = std::move(deps);
    return s;
  };
  p.steps = {step(0, plan::StepKind::Create, "sim.network[\"n\"]", "create", 0, {}),
             step(1, plan::StepKind::Action, "sim.machine[\"a\"]", "drain", 1, {0}),
             step(2, plan::StepKind::Delete, "sim.machine[\"a\"]", "replace", 1, {1}),
             step(3, plan::StepKind::Create, "sim.machine[\"a\"]", "replace", 1, {0, 2}),
             step(4, plan::StepKind::Update, "sim.machine[\"b\"]", "update", 2, {3})};
  plan::Wave w1;
  w1.number = 1;
  w1.group = "workers";
  w1.index = 1;
  w1.count = 2;
  plan::Wave w2 = w1;
  w2.number = 2;
  w2.index = 2;
  p.waves = {w1, w2};
  plan::Graph graph = plan::step_graph(p);
  CHECK(plan::render_dot(graph) ==
        "digraph kc {\n"
        "  rankdir=LR;\n"
        "  node [shape=box];\n"
        "  n0 [label=\"create sim.network[\\\"n\\\"]\"];\n"
        "  subgraph cluster_0 {\n"
        "    label=\"wave 1: workers 1/2\";\n"
        "    n1 [label=\"action drain sim.machine[\\\"a\\\"]\"];\n"
        "    n2 [label=\"delete sim.machine[\\\"a\\\"]\\n(replace)\"];\n"
        "    n3 [label=\"create sim.machine[\\\"a\\\"]\\n(replace)\"];\n"
        "  }\n"
        "  subgraph cluster_1 {\n"
        "    label=\"wave 2: workers 2/2\";\n"
        "    n4 [label=\"update sim.machine[\\\"b\\\"]\"];\n"
        "  }\n"
        "  n0 -> n1;\n"
        "  n0 -> n3;\n"
        "  n1 -> n2;\n"
        "  n2 -> n3;\n"
        "  n3 -> n4;\n"
        "}\n");
  CHECK(plan::render_mermaid(graph) ==
        "flowchart LR\n"
        "  n0[\"create sim.network[#quot;n#quot;]\"]\n"
        "  subgraph c0[\"wave 1: workers 1/2\"]\n"
        "    n1[\"action drain sim.machine[#quot;a#quot;]\"]\n"
        "    n2[\"delete sim.machine[#quot;a#quot;]<br/>(replace)\"]\n"
        "    n3[\"create sim.machine[#quot;a#quot;]<br/>(replace)\"]\n"
        "  end\n"
        "  subgraph c1[\"wave 2: workers 2/2\"]\n"
        "    n4[\"update sim.machine[#quot;b#quot;]\"]\n"
        "  end\n"
        "  n0 --> n1\n"
        "  n0 --> n3\n"
        "  n1 --> n2\n"
        "  n2 --> n3\n"
        "  n3 --> n4\n");
  CHECK(plan::render_dot(plan::step_graph(plan::Plan{})) ==
        "digraph kc {\n  rankdir=LR;\n  node [shape=box];\n}\n");
}
