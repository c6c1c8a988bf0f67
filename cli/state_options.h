// What the commands that read the stored state without compiling the module share (`kc state ...`,
// `kc output`): --module PATH, the diagnostic flags, and finding and loading the state.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "cli/session.h"
#include "runtime/state/local_backend.h"
#include "runtime/state/state.h"

namespace kc::cli {

struct StateOptions {
  CommonOptions common;  // `path` is set by --module PATH (positionals are addresses here)
};

// Adds --module PATH, --diagnostics and --no-color.
void add_state_options(CLI::App& command, StateOptions& options);

// The backend of the module at `options.common.path` (a directory, or a .kcl file in it).
state::LocalBackend state_backend(const StateOptions& options);

// Loads the stored state (an empty one when none is stored); nullopt with errors in the session.
std::optional<state::State> load_state(Session& session, state::LocalBackend& backend);

}  // namespace kc::cli
