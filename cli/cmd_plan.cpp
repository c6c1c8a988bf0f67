// `kc plan`: compare the desired state with the refreshed stored state and print the plan.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/planning.h"
#include "cli/saved_plan.h"
#include "runtime/plan/render_drift.h"
#include "runtime/plan/render_json.h"

namespace kc::cli {

void add_plan_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CommonOptions>();
  auto json = std::make_shared<bool>(false);
  auto detailed = std::make_shared<bool>(false);
  auto out_file = std::make_shared<std::string>();
  auto selection = std::make_shared<PlanOptions>();
  CLI::App* command = app.add_subcommand("plan", "Show what apply would change");
  add_common_options(*command, *options, true);
  add_plan_options(*command, *selection);
  auto lock = std::make_shared<LockOptions>(LockOptions{.operation = "plan"});
  add_lock_options(*command, *lock);
  command->add_flag("--json", *json, "Print the plan as JSON (CLI.md \"Plan JSON\")");
  command->add_flag("--detailed-exitcode", *detailed,
                    "Exit 2 when the plan has changes, 0 when it has none");
  command->add_option(
      "--out", *out_file,
      "Also save the plan to FILE (mode 0600; it holds secrets) for `kc apply FILE`");
  command->callback([options, json, detailed, selection, lock, out_file, &exit_code] {
    Session session(*options);
    std::optional<PlanRun> run = prepare_plan(session, false, *selection, *lock);
    if (run) {
      if (*json) {
        nlohmann::ordered_json out = plan::render_plan_json(run->plan);
        out["drift"] = plan::render_drift_json(run->drift);
        std::cout << out.dump(2) << "\n";
      } else {
        print_plan(*run, session.color_stdout());
      }
      if (!out_file->empty() &&
          write_saved_plan(session, make_plan_file(session, options->path, *run), *out_file)) {
        // With --json, stdout holds only the JSON document.
        (*json ? std::cerr : std::cout) << fmt::format(
            "\nSaved the plan to {0}. To apply exactly this plan: kc apply {0}\n", *out_file);
      }
    }
    exit_code = session.finish();
    if (exit_code == 0 && *detailed && run && run->plan.has_changes()) exit_code = 2;
  });
}

}  // namespace kc::cli
