// `kc show [PLANFILE | PATH] [--json]`: a saved plan rendered exactly as `kc plan` printed it, or
// the current state of a module, secrets hidden either way.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/planning.h"
#include "cli/saved_plan.h"
#include "runtime/plan/render_drift.h"
#include "runtime/plan/render_json.h"
#include "runtime/state/local_backend.h"
#include "runtime/state/render_state.h"

namespace kc::cli {
namespace {

void show_plan(Session& session, const CommonOptions& options, bool json) {
  std::optional<plan::PlanFile> file = read_saved_plan(options.path, session.diagnostics());
  if (!file) return;
  if (json) {
    nlohmann::ordered_json out = plan::render_plan_json(file->plan);
    out["drift"] = plan::render_drift_json(file->drift);
    std::cout << out.dump(2) << "\n";
    return;
  }
  PlanRun run;
  run.drift = std::move(file->drift);
  run.plan = std::move(file->plan);
  print_plan(run, session.color_stdout());
}

void show_state(Session& session, const CommonOptions& options, bool json) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(options.path, ec)) {
    session.diagnostics().error(
        diag::Code::E0505, source::Span{},
        fmt::format("`{}` is neither a module (a directory or a .kcl file) nor a saved plan",
                    options.path));
    return;
  }
  std::string dir = fs::is_directory(options.path, ec)
                        ? options.path
                        : fs::path(options.path).parent_path().string();
  state::LocalBackend backend(state::LocalBackend::default_path(dir.empty() ? "." : dir));
  std::optional<state::State> state = backend.load(session.providers(), session.diagnostics());
  if (!state) return;
  if (json) {
    std::cout << state::render_state_json(*state).dump(2) << "\n";
  } else {
    std::cout << state::render_state_text(*state);
  }
}

}  // namespace

void add_show_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CommonOptions>();
  auto json = std::make_shared<bool>(false);
  CLI::App* command =
      app.add_subcommand("show", "Show a saved plan (PLANFILE), or the current state of a module");
  add_common_options(*command, *options, false);
  command->add_flag("--json", *json, "Print as JSON (a plan as `kc plan --json` does)");
  command->callback([options, json, &exit_code] {
    Session session(*options);
    if (names_saved_plan(options->path)) {
      show_plan(session, *options, *json);
    } else {
      show_state(session, *options, *json);
    }
    exit_code = session.finish();
  });
}

}  // namespace kc::cli
