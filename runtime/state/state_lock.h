// StateLock: the exclusive lock a run holds on one state while it may write it, with the owner
// information shown to whoever is refused (E0503). Backends create locks (Backend::lock).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"

namespace kc::state {

// Who holds (or held) a lock. `id` is random per acquisition: `kc state unlock ID` names it.
struct LockInfo {
  std::string id;
  std::string user;
  std::string host;
  long pid = 0;
  std::string operation;  // "plan", "apply", "destroy", "state rm", ...
  std::string created;    // RFC 3339 UTC, e.g. 2026-11-21T10:00:00Z

  // "alice@host (pid 4242) running `kc apply` since 2026-11-21T10:00:00Z"
  std::string describe() const;
};

// Held from construction until destruction (RAII). The OS releases it when the holding process
// dies, so a crashed run never blocks later runs forever. Not copyable or movable: hold it in a
// std::unique_ptr.
class StateLock {
 public:
  StateLock() = default;
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;
  virtual ~StateLock() = default;

  virtual const LockInfo& info() const = 0;
};

// The default for --lock-timeout: fail at once when the state is locked (like Terraform).
inline constexpr std::chrono::milliseconds kDefaultLockTimeout{0};

// Parses a --lock-timeout value: a KCL duration literal ("0s", "500ms", "30s", "2m", "1h30m").
// nullopt with a sentence in `error` when it is not one.
std::optional<std::chrono::milliseconds> parse_lock_timeout(std::string_view text,
                                                            std::string* error = nullptr);

// The E0503 "state is locked" diagnostic for `holder` (span-less, with the notes on waiting,
// --lock-timeout and `kc state unlock`). `holder` may be nullopt when the holder's information
// could not be read.
diag::Diagnostic& report_locked(diag::Diagnostics& diags, std::string_view location,
                                const std::optional<LockInfo>& holder);

}  // namespace kc::state
