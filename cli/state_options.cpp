// --module for the state commands, and loading the stored state of a module.
#include "cli/state_options.h"

#include <filesystem>

namespace kc::cli {

void add_state_options(CLI::App& command, StateOptions& options) {
  command.add_option("--module", options.common.path,
                     "Module whose state to use: a directory or a .kcl file (default: .)");
  command
      .add_option("--diagnostics", options.common.diagnostics,
                  "Diagnostic format: human, short or json")
      ->check(CLI::IsMember({"human", "short", "json"}));
  command.add_flag("--no-color", options.common.no_color, "Never colour the output");
}

state::LocalBackend state_backend(const StateOptions& options) {
  namespace fs = std::filesystem;
  const std::string& path = options.common.path;
  std::error_code ec;
  std::string dir = fs::is_directory(path, ec) ? path : fs::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  return state::LocalBackend(state::LocalBackend::default_path(dir));
}

std::optional<state::State> load_state(Session& session, state::LocalBackend& backend) {
  return backend.load(session.providers(), session.diagnostics());
}

}  // namespace kc::cli
