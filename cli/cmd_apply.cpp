// `kc apply` and `kc destroy`: plan, confirm, and carry the plan out through the executor.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/planning.h"
#include "providers/sdk/json.h"
#include "runtime/apply/apply.h"
#include "runtime/apply/progress.h"

namespace kc::cli {
namespace {

// On a terminal, asks for `yes`; elsewhere requires --auto-approve, so CI never hangs on a prompt.
bool confirmed(bool auto_approve, std::string_view verb, diag::Diagnostics& diags) {
  if (auto_approve) return true;
  if (isatty(STDIN_FILENO) != 1) {
    diags.error(
        diag::Code::E0505, source::Span{},
        fmt::format("kc {} needs --auto-approve when standard input is not a terminal", verb));
    return false;
  }
  std::cout << fmt::format("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
  std::string answer;
  std::getline(std::cin, answer);
  if (answer == "yes") return true;
  std::cout << fmt::format("{} cancelled.\n", verb == "apply" ? "Apply" : "Destroy");
  return false;
}

void run_apply(const CommonOptions& options, bool auto_approve, bool destroy, int& exit_code) {
  Session session(options);
  std::optional<PlanRun> run = prepare_plan(session, destroy);
  if (!run) {
    exit_code = session.finish();
    return;
  }
  print_plan(*run, session.color_stdout());
  std::string_view verb = destroy ? "destroy" : "apply";
  if (!run->plan.has_changes()) {
    if (!destroy) store_outputs(session, *run);
    exit_code = session.finish();
    return;
  }
  if (!confirmed(auto_approve, verb, session.diagnostics())) {
    exit_code = session.finish();
    return;
  }
  std::cout << "\n";
  ModuleResolver resolver(session);
  apply::PlainProgress progress(std::cout);
  apply::ApplyResult result = apply::apply_plan(run->plan, run->state, session.providers(),
                                                *run->backend, &resolver, progress);
  session.diagnostics().append(result.diagnostics);
  if (destroy) {
    run->state.outputs.clear();
    run->state.sensitive_outputs.clear();
    session.diagnostics().append(run->backend->save(run->state));
  } else {
    store_outputs(session, *run);
  }
  std::cout << fmt::format(
      "\n{} {}! Resources: {} created, {} updated, {} replaced, {} deleted, {} failed, {} "
      "skipped.\n",
      destroy ? "Destroy" : "Apply", result.ok() ? "complete" : "failed", result.created,
      result.updated, result.replaced, result.deleted, result.failed, result.skipped);
  if (!destroy && result.ok() && !run->state.outputs.empty()) {
    std::cout << "\nOutputs:\n\n";
    const std::vector<std::string>& hidden = run->state.sensitive_outputs;
    for (const auto& [name, value] : run->state.outputs) {
      bool sensitive = std::binary_search(hidden.begin(), hidden.end(), name);
      std::cout << fmt::format("{} = {}\n", name,
                               sensitive ? "(sensitive)" : sdk::to_json(value).dump());
    }
  }
  exit_code = session.finish();
  if (!result.ok()) exit_code = 1;
}

}  // namespace

void add_apply_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CommonOptions>();
  auto auto_approve = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("apply", "Plan and apply the changes");
  add_common_options(*command, *options, true);
  command->add_flag("--auto-approve", *auto_approve, "Apply without asking for confirmation");
  command->callback([options, auto_approve, &exit_code] {
    run_apply(*options, *auto_approve, false, exit_code);
  });
}

void add_destroy_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CommonOptions>();
  auto auto_approve = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("destroy", "Plan and apply the removal of everything");
  add_common_options(*command, *options, true);
  command->add_flag("--auto-approve", *auto_approve, "Destroy without asking for confirmation");
  command->callback(
      [options, auto_approve, &exit_code] { run_apply(*options, *auto_approve, true, exit_code); });
}

}  // namespace kc::cli
