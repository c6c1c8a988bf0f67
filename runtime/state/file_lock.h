// File locks for the local backend: an flock(2) on a lock file that also carries the holder's
// LockInfo as JSON, and the reading and breaking of such locks for `kc state unlock`.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "runtime/state/state_lock.h"

namespace kc::state {

// Takes an exclusive flock on `lock_path` (created 0600, with its directory), polling until
// `timeout`; on success writes the owner information into the file. The lock is on the file's
// inode: a lock whose file was unlinked (broken by `kc state unlock`) is not a lock, so after
// flock succeeds the path must still name the locked inode, or it starts over. The holder unlinks
// the file when it releases the lock; a file left by a dead process holds no flock and its stale
// information is overwritten by the next holder. Refusals are E0503 naming the holder
// (`location` names the state in the message); other failures are E0505.
std::unique_ptr<StateLock> acquire_file_lock(const std::string& lock_path,
                                             std::string_view location, std::string_view operation,
                                             std::chrono::milliseconds timeout,
                                             diag::Diagnostics& diags);

// What `kc state unlock` found and did.
struct UnlockResult {
  enum class Outcome {
    NotLocked,  // no process holds the lock (a stale file's info is in `holder`, if any)
    Mismatch,   // held, but by a lock with another ID (`holder`; may be nullopt if unreadable)
    Broken,     // held with this ID: the lock file was removed, so new runs can lock again
    Failed,     // an I/O error, in `error`
  };
  Outcome outcome = Outcome::NotLocked;
  std::optional<LockInfo> holder;
  std::string error;
};

// Breaks the lock on `lock_path` when it is held with `lock_id`. The holder, if it is still
// running, keeps running and may still write the state: breaking is for holders that are gone or
// stuck.
UnlockResult break_file_lock(const std::string& lock_path, std::string_view lock_id);

// The LockInfo in `text` (the lock file's content); nullopt when it is empty or not one.
std::optional<LockInfo> parse_lock_info(std::string_view text);
std::string encode_lock_info(const LockInfo& info);

}  // namespace kc::state
