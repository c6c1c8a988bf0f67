// `kc graph`: the desired state's resource graph, or with --plan the plan's step graph, printed as
// Graphviz DOT or a Mermaid flowchart.
#include <iostream>

#include "cli/commands.h"
#include "cli/planning.h"
#include "runtime/plan/render_graph.h"

namespace kc::cli {

void add_graph_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CommonOptions>();
  auto selection = std::make_shared<PlanOptions>();
  auto steps = std::make_shared<bool>(false);
  auto format = std::make_shared<std::string>("dot");
  CLI::App* command =
      app.add_subcommand("graph", "Print the resource graph, or the plan's step graph");
  add_common_options(*command, *options, true);
  command->add_flag("--plan", *steps,
                    "Graph the plan's steps (grouped by rollout wave) instead of the resources");
  command->add_option("--format", *format, "Output format: dot (default) or mermaid")
      ->check(CLI::IsMember({"dot", "mermaid"}));
  add_plan_options(*command, *selection);
  command->callback([options, selection, steps, format, &exit_code] {
    Session session(*options);
    std::optional<plan::Graph> graph;
    if (*steps) {
      if (std::optional<PlanRun> run = prepare_plan(session, false, *selection)) {
        graph = plan::step_graph(run->plan);
      }
    } else if (session.check()) {
      // The graph's shape does not depend on stored outputs: evaluate without a state.
      if (std::optional<eval::DesiredState> desired = session.evaluate(nullptr)) {
        graph = plan::resource_graph(*desired);
      }
    }
    if (graph) {
      std::cout << (*format == "mermaid" ? plan::render_mermaid(*graph) : plan::render_dot(*graph));
    }
    exit_code = session.finish();
  });
}

}  // namespace kc::cli
