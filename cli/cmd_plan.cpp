// `kc plan`: compare the desired state with the refreshed stored state and print the plan.
#include <iostream>

#include "cli/commands.h"
#include "cli/planning.h"
#include "runtime/plan/render_json.h"

namespace kc::cli {

void add_plan_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CommonOptions>();
  auto json = std::make_shared<bool>(false);
  auto detailed = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("plan", "Show what apply would change");
  add_common_options(*command, *options, true);
  command->add_flag("--json", *json, "Print the plan as JSON (CLI.md \"Plan JSON\")");
  command->add_flag("--detailed-exitcode", *detailed,
                    "Exit 2 when the plan has changes, 0 when it has none");
  command->callback([options, json, detailed, &exit_code] {
    Session session(*options);
    std::optional<PlanRun> run = prepare_plan(session, false);
    if (run) {
      if (*json) {
        nlohmann::ordered_json out = plan::render_plan_json(run->plan);
        std::cout << out.dump(2) << "\n";
      } else {
        print_plan(*run, session.color_stdout());
      }
    }
    exit_code = session.finish();
    if (exit_code == 0 && *detailed && run && run->plan.has_changes()) exit_code = 2;
  });
}

}  // namespace kc::cli
