// Backend-independent parts of state locking: describing a holder, the E0503 diagnostic and the
// --lock-timeout parser.
#include "runtime/state/state_lock.h"

#include "providers/sdk/value.h"

namespace kc::state {

std::string LockInfo::describe() const {
  std::string who = user.empty() ? std::string("an unknown user") : user;
  if (!host.empty()) who += "@" + host;
  std::string text = who + " (pid " + std::to_string(pid) + ")";
  if (!operation.empty()) text += " running `kc " + operation + "`";
  if (!created.empty()) text += " since " + created;
  return text;
}

std::optional<std::chrono::milliseconds> parse_lock_timeout(std::string_view text,
                                                            std::string* error) {
  std::string why;
  std::optional<sdk::Duration> d = sdk::parse_duration(text, &why);
  if (!d || d->ms < 0) {
    if (error) {
      *error = "`" + std::string(text) + "` is not a lock timeout: write a duration such as 0s, " +
               "30s or 2m" + (why.empty() ? std::string() : " (" + why + ")");
    }
    return std::nullopt;
  }
  return std::chrono::milliseconds(d->ms);
}

diag::Diagnostic& report_locked(diag::Diagnostics& diags, std::string_view location,
                                const std::optional<LockInfo>& holder) {
  std::string message = "state `" + std::string(location) + "` is locked by ";
  message += holder ? holder->describe() : std::string("another run");
  diag::Diagnostic& d = diags.error(diag::Code::E0503, source::Span{}, std::move(message));
  if (holder && !holder->id.empty()) d.with_note("lock ID: " + holder->id);
  d.with_note("wait for that run to finish, or pass `--lock-timeout 2m` to wait for it");
  if (holder && !holder->id.empty()) {
    d.with_note("if that process is gone or stuck, `kc state unlock " + holder->id +
                "` releases the lock");
  }
  return d;
}

}  // namespace kc::state
