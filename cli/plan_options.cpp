// Registration of the plan-selection flags.
#include "cli/plan_options.h"

namespace kc::cli {

void add_plan_options(CLI::App& command, PlanOptions& options) {
  // A flag that also takes `=VALUE`: `--refresh` alone means true, `--refresh=false` turns it off.
  command.add_flag("--refresh{true}", options.refresh,
                   "Read every resource from its provider before planning (default true; "
                   "--refresh=false plans against the stored state)");
  // Deletes run dependents first, so a destroy's selection closes over the other direction.
  bool destroy = command.get_name() == "destroy";
  // One value per occurrence, so `--target a main.kcl` leaves the path alone.
  command
      .add_option("--target", options.targets,
                  destroy ? "Destroy only this address or instance path and what depends on it "
                            "(repeatable)"
                          : "Plan only this address or instance path and what it depends on "
                            "(repeatable)")
      ->allow_extra_args(false);
  command
      .add_option("--exclude", options.excludes,
                  destroy ? "Keep this address or instance path and what it depends on (repeatable)"
                          : "Leave out this address or instance path and what depends on it "
                            "(repeatable)")
      ->allow_extra_args(false);
}

}  // namespace kc::cli
