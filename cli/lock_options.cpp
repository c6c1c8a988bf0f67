// --lock-timeout parsing and taking the state lock for a command.
#include "cli/lock_options.h"

#include <fmt/format.h>

#include <iostream>

namespace kc::cli {

void add_lock_options(CLI::App& command, LockOptions& options) {
  command
      .add_option("--lock-timeout", options.timeout,
                  "How long to wait for a lock another run holds, e.g. 30s or 2m (default 0s: "
                  "fail at once)")
      ->type_name("DURATION")
      ->check(CLI::Validator(
          [](std::string& text) {
            std::string error;
            return state::parse_lock_timeout(text, &error) ? std::string() : error;
          },
          ""));
}

std::unique_ptr<state::StateLock> lock_state(state::Backend& backend, const LockOptions& options,
                                             diag::Diagnostics& diags) {
  std::string error;
  std::optional<std::chrono::milliseconds> timeout =
      state::parse_lock_timeout(options.timeout, &error);
  if (!timeout) {
    diags.error(diag::Code::E0505, source::Span{}, error);
    return nullptr;
  }
  if (timeout->count() == 0) return backend.lock(options.operation, *timeout, diags);
  // One attempt first, so that a wait is announced with whom it waits for; a silent wait looks
  // like a hang in CI logs.
  diag::Diagnostics first;
  if (std::unique_ptr<state::StateLock> lock = backend.lock(options.operation, {}, first)) {
    return lock;
  }
  bool held = !first.all().empty() && first.all().front().code == diag::Code::E0503;
  if (!held) {
    diags.append(first);
    return nullptr;
  }
  std::cerr << fmt::format("Waiting up to {} for the state lock: {}\n", options.timeout,
                           first.all().front().message);
  return backend.lock(options.operation, *timeout, diags);
}

}  // namespace kc::cli
