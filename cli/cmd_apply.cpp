// `kc apply` and `kc destroy`: plan, confirm, and carry the plan out through the executor.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/planning.h"
#include "cli/saved_plan.h"
#include "providers/sdk/json.h"
#include "runtime/apply/apply.h"
#include "runtime/apply/interrupt_watcher.h"
#include "runtime/apply/live_progress.h"
#include "runtime/apply/progress.h"
#include "runtime/plan/refresh.h"

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

// The provider blocks' `timeout` settings (positive durations), by provider name.
std::map<std::string, std::chrono::milliseconds> timeouts_of(
    const std::vector<eval::ProviderConfig>& providers) {
  std::map<std::string, std::chrono::milliseconds> timeouts;
  for (const eval::ProviderConfig& p : providers) {
    if (!p.alias.empty() || p.config.kind() != sdk::Kind::Map) continue;
    const sdk::Value* value = p.config.find("timeout");
    if (value && value->kind() == sdk::Kind::Duration && value->as_duration().ms > 0) {
      timeouts[p.name] = std::chrono::milliseconds(value->as_duration().ms);
    }
  }
  return timeouts;
}

// Live redrawn lines on a terminal that takes colour (and so escape sequences); otherwise one
// line per event, prefixed by the time unless KC_PROGRESS_TIMESTAMPS=0 (golden tests).
std::unique_ptr<apply::ProgressSink> make_progress(Session& session) {
  if (isatty(STDOUT_FILENO) == 1 && session.color_stdout()) {
    return std::make_unique<apply::LiveProgress>(std::cout);
  }
  const char* stamps = std::getenv("KC_PROGRESS_TIMESTAMPS");
  bool timestamps = stamps == nullptr || std::string_view(stamps) != "0";
  return std::make_unique<apply::PlainProgress>(std::cout, timestamps);
}

// The failed and skipped steps, each with its error or the step it waited on.
void print_report(const apply::ApplyResult& result) {
  if (!result.failures.empty()) {
    std::cout << "\nFailed steps:\n";
    for (const apply::FailedStep& f : result.failures)
      std::cout << fmt::format("  {}: {}\n", f.address, f.error);
  }
  if (!result.skips.empty()) {
    std::cout << "\nSkipped steps:\n";
    for (const apply::SkippedStep& s : result.skips) {
      std::cout << (s.waited_on.empty()
                        ? fmt::format("  {} (not started: the apply stopped)\n", s.address)
                        : fmt::format("  {} (waited on {})\n", s.address, s.waited_on));
    }
  }
}

// Carries out `run.plan` (shown and approved, or saved) through the executor, stores the outputs
// (clears them for a destroy), prints the summary, and returns the exit code. Both `kc apply`
// paths, fresh and saved plan, and `kc destroy` end here.
int carry_out(Session& session, PlanRun& run, bool destroy, int parallelism) {
  // Blocks SIGINT before the workers start: the executor polls the count (first: start nothing
  // new, second: stop waiting for running steps).
  apply::InterruptWatcher interrupts;
  std::cout << "\n";
  ModuleResolver resolver(session);
  std::unique_ptr<apply::ProgressSink> progress = make_progress(session);
  apply::ApplyOptions options;
  options.parallelism = parallelism;
  options.max_concurrency = plan::max_concurrency_of(run.providers);
  options.timeouts = timeouts_of(run.providers);
  options.interrupts = &interrupts.count();
  options.wait_for_abandoned = false;  // exits below without waiting for them
  apply::ApplyResult result = apply::apply_plan(run.plan, run.state, session.providers(),
                                                *run.backend, &resolver, *progress, options);
  session.diagnostics().append(result.diagnostics);
  // The final save folds the executor's journal into the stored state.
  if (destroy) {
    run.state.outputs.clear();
    run.state.sensitive_outputs.clear();
    session.diagnostics().append(run.backend->save(run.state));
  } else {
    store_outputs(session, run);
  }
  print_report(result);
  std::cout << fmt::format(
      "\n{} {}! Resources: {} created, {} updated, {} replaced, {} deleted, {} failed, {} "
      "skipped in {}.{}\n",
      destroy ? "Destroy" : "Apply", result.ok() ? "complete" : "failed", result.created,
      result.updated, result.replaced, result.deleted, result.failed, result.skipped,
      apply::format_elapsed(result.elapsed),
      result.actions > 0 ? fmt::format(" Hook actions run: {}.", result.actions) : "");
  if (!destroy && result.ok() && !run.state.outputs.empty()) {
    std::cout << "\nOutputs:\n\n";
    const std::vector<std::string>& hidden = run.state.sensitive_outputs;
    for (const auto& [name, value] : run.state.outputs) {
      bool sensitive = std::binary_search(hidden.begin(), hidden.end(), name);
      std::cout << fmt::format("{} = {}\n", name,
                               sensitive ? "(sensitive)" : sdk::to_json(value).dump());
    }
  }
  int exit_code = session.finish();
  if (result.abandoned > 0) {
    // Threads of abandoned steps may still be inside a provider: end the process now rather than
    // tear down the providers under them. Their pending creates stay in the saved state.
    std::cout.flush();
    std::fflush(nullptr);
    run.lock.reset();
    std::_Exit(1);
  }
  return result.ok() ? exit_code : 1;
}

// Without changes there is nothing to carry out, but an apply still records the outputs, and a
// destroy saves the pending creates it settled.
int finish_unchanged(Session& session, PlanRun& run, bool destroy) {
  if (!destroy) {
    store_outputs(session, run);  // saves
  } else if (run.settled_pending) {
    session.diagnostics().append(run.backend->save(run.state));
  }
  return session.finish();
}

// `kc apply FILE`: the saved plan exactly as it was reviewed. No refresh and no confirmation (it
// was reviewed when it was saved); refused with E0502 when the state or the module moved on since.
// Evaluation during the apply uses the inputs saved with the plan, never the command line's.
void run_saved_apply(const CommonOptions& options, const PlanOptions& selection,
                     const LockOptions& lock, int parallelism, int& exit_code) {
  diag::Diagnostics diags;
  std::string text;
  std::optional<plan::PlanFile> file = read_saved_plan(options.path, diags, nullptr, &text);
  CommonOptions module_options = options;
  if (file) module_options.path = file->module;
  module_options.vars.clear();
  module_options.var_files.clear();
  Session session(module_options);
  auto refuse = [&](std::string message) {
    diags.error(diag::Code::E0505, source::Span{}, std::move(message));
    session.diagnostics().append(diags);
    exit_code = session.finish();
  };
  if (!file) {
    session.diagnostics().append(diags);
    exit_code = session.finish();
    return;
  }
  if (!options.vars.empty() || !options.var_files.empty()) {
    return refuse(
        "a saved plan carries the inputs it was made with: --var and --var-file cannot "
        "be used with it");
  }
  if (!selection.targets.empty() || !selection.excludes.empty() || !selection.refresh) {
    return refuse("--target, --exclude and --refresh apply when planning, not to a saved plan");
  }
  session.use_params(saved_inputs(*file));

  PlanRun run;
  run.backend =
      std::make_unique<state::LocalBackend>(state::LocalBackend::default_path(file->module_dir));
  run.lock = lock_state(*run.backend, lock, diags);
  std::optional<state::State> loaded;
  if (run.lock) loaded = run.backend->load(session.providers(), diags);
  session.diagnostics().append(diags);
  if (!loaded) {
    exit_code = session.finish();
    return;
  }
  run.state = std::move(*loaded);
  bool checked = session.check();
  if (!check_saved_plan(*file, session, run.state, session.diagnostics()) || !checked) {
    exit_code = session.finish();
    return;
  }
  // Decoded again now that the module's files are loaded, so that spans point into them.
  diag::Diagnostics redecoded;
  file = plan::decode_plan_file(text, options.path, redecoded, &session.compilation().sources());
  session.diagnostics().append(redecoded);
  if (!file) {
    exit_code = session.finish();
    return;
  }
  std::map<std::string, sdk::Value> known = known_resources(run.state);
  std::optional<eval::DesiredState> desired = session.evaluate(&known);
  if (!desired || !session.configure_providers(*desired)) {
    exit_code = session.finish();
    return;
  }
  run.providers = desired->providers;
  run.drift = std::move(file->drift);
  run.plan = std::move(file->plan);
  std::cout << fmt::format("Applying the saved plan {} (state serial {}).\n", options.path,
                           run.state.serial);
  exit_code = run.plan.has_changes() ? carry_out(session, run, false, parallelism)
                                     : finish_unchanged(session, run, false);
}

void run_apply(const CommonOptions& options, const PlanOptions& selection, const LockOptions& lock,
               bool auto_approve, bool destroy, int parallelism, int& exit_code) {
  if (!destroy && names_saved_plan(options.path)) {
    run_saved_apply(options, selection, lock, parallelism, exit_code);
    return;
  }
  Session session(options);
  std::optional<PlanRun> run = prepare_plan(session, destroy, selection, lock);
  if (!run) {
    exit_code = session.finish();
    return;
  }
  print_plan(*run, session.color_stdout());
  std::string_view verb = destroy ? "destroy" : "apply";
  if (!run->plan.has_changes()) {
    exit_code = finish_unchanged(session, *run, destroy);
    return;
  }
  if (!confirmed(auto_approve, verb, session.diagnostics())) {
    exit_code = session.finish();
    return;
  }
  exit_code = carry_out(session, *run, destroy, parallelism);
}

// `--parallelism N`: steps run at once (N >= 1; a provider's `max_concurrency` caps it further).
void add_parallelism_option(CLI::App& command, int& parallelism) {
  command
      .add_option("--parallelism", parallelism,
                  "Steps run at once (default 10; a provider block's max_concurrency caps its own)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            size_t used = 0;
            long value = 0;
            try {
              value = std::stol(text, &used);
            } catch (const std::exception&) {
              used = 0;
            }
            if (used != text.size() || text.empty() || value < 1 || value > (1 << 20)) {
              return "must be a whole number from 1 to 1048576, got `" + text + "`";
            }
            return {};
          },
          "N>=1"));
}

}  // namespace

void add_apply_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CommonOptions>();
  auto auto_approve = std::make_shared<bool>(false);
  auto selection = std::make_shared<PlanOptions>();
  auto lock = std::make_shared<LockOptions>(LockOptions{.operation = "apply"});
  CLI::App* command = app.add_subcommand("apply", "Plan and apply the changes");
  add_common_options(*command, *options, true);
  add_plan_options(*command, *selection);
  add_lock_options(*command, *lock);
  command->add_flag("--auto-approve", *auto_approve, "Apply without asking for confirmation");
  auto parallelism = std::make_shared<int>(10);
  add_parallelism_option(*command, *parallelism);
  command->callback([options, selection, lock, auto_approve, parallelism, &exit_code] {
    run_apply(*options, *selection, *lock, *auto_approve, false, *parallelism, exit_code);
  });
}

void add_destroy_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CommonOptions>();
  auto auto_approve = std::make_shared<bool>(false);
  auto selection = std::make_shared<PlanOptions>();
  auto lock = std::make_shared<LockOptions>(LockOptions{.operation = "destroy"});
  CLI::App* command = app.add_subcommand("destroy", "Plan and apply the removal of everything");
  add_common_options(*command, *options, true);
  add_plan_options(*command, *selection);
  add_lock_options(*command, *lock);
  command->add_flag("--auto-approve", *auto_approve, "Destroy without asking for confirmation");
  auto parallelism = std::make_shared<int>(10);
  add_parallelism_option(*command, *parallelism);
  command->callback([options, selection, lock, auto_approve, parallelism, &exit_code] {
    run_apply(*options, *selection, *lock, *auto_approve, true, *parallelism, exit_code);
  });
}

}  // namespace kc::cli
