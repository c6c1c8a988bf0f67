// --lock-timeout for the commands that lock the state (plan, apply, destroy, the writing `kc state`
// commands), and taking the lock with it.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "runtime/state/backend.h"
#include "runtime/state/state_lock.h"

namespace kc::cli {

struct LockOptions {
  std::string timeout = "0s";  // --lock-timeout: how long to wait for a held lock (0s = fail)
  std::string operation;       // set by the command, not a flag: "plan", "apply", "state rm", ...
};

// Adds --lock-timeout DURATION (validated when parsed) to `command`.
void add_lock_options(CLI::App& command, LockOptions& options);

// Locks `backend` for `options.operation` with its --lock-timeout. nullptr with E0503 (or E0505) in
// `diags` when the lock cannot be taken.
std::unique_ptr<state::StateLock> lock_state(state::Backend& backend, const LockOptions& options,
                                             diag::Diagnostics& diags);

}  // namespace kc::cli
