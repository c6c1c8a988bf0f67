// Backend: where the state lives (a local file now; etcd with compare-and-swap and leased locks
// later). The runtime reads and writes state only through this interface.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/schema.h"
#include "runtime/state/state.h"
#include "runtime/state/state_lock.h"

namespace kc::state {

// Not thread-safe: one owner (the CLI, or the executor's single state owner) calls it at a time.
// Implementations report every failure as diagnostics (E0505 I/O, E0506 corrupt state), never
// throw.
class Backend {
 public:
  virtual ~Backend() = default;

  // Where the state lives, for messages: a path, or a URL-like name for remote backends.
  virtual std::string location() const = 0;

  // The stored state. When nothing was stored yet: an empty State with a new lineage and serial 0.
  // nullopt, with errors in `diags`, when the state exists but cannot be read or decoded.
  virtual std::optional<State> load(const sdk::SchemaSource& schemas, diag::Diagnostics& diags) = 0;

  // Stores `state` as the new current state with serial + 1, and sets `state.serial` to the stored
  // serial. Errors in the result mean the save may not have happened (or may not be durable);
  // `state.serial` then still matches what is stored, if anything was.
  virtual diag::Diagnostics save(State& state) = 0;

  // Takes the exclusive lock on this state for `operation` ("apply", "state rm", ...), retrying
  // until `timeout` has passed (0 = one attempt). nullptr with E0503 naming the holder in `diags`
  // when someone else holds it, or with E0505 when the lock cannot be created. Runs that may save
  // hold the lock from before load() until after their last save().
  virtual std::unique_ptr<StateLock> lock(std::string_view operation,
                                          std::chrono::milliseconds timeout,
                                          diag::Diagnostics& diags) = 0;
};

}  // namespace kc::state
