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

// One step's effect on the state, as the executor journals it between full saves.
struct JournalEntry {
  enum class Kind {
    Upsert,   // `resource` is now stored at resource.address (any pending create there is settled)
    Remove,   // `address` is gone from the state
    Pending,  // `pending` is a create about to start
    // `deposed` (the whole old record, with its key) is now a deposed object, and the current
    // object at its address is gone (the Upsert of its successor follows)
    Depose,
    DropDeposed,  // the deposed object `address`/`deposed.key` is gone
  };
  Kind kind = Kind::Upsert;
  ResourceState resource;
  std::string address;
  PendingCreate pending;
  DeposedObject deposed;  // Depose: the object; DropDeposed: only its key matters
};

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

  // Records `entry`, which the caller has already applied to `state`, so that a run that dies
  // afterwards loses nothing once sync() has returned: the executor calls it for every finished
  // step and before every create, then sync() once per batch before a dependent step starts. A
  // later save() folds the records into the stored state. The default saves the whole state.
  virtual diag::Diagnostics record(State& state, const JournalEntry& entry) {
    (void)entry;
    return save(state);
  }
  // Makes every record() so far durable. The default (whose record() saves) has nothing to do.
  virtual diag::Diagnostics sync() { return {}; }

  // Takes the exclusive lock on this state for `operation` ("apply", "state rm", ...), retrying
  // until `timeout` has passed (0 = one attempt). nullptr with E0503 naming the holder in `diags`
  // when someone else holds it, or with E0505 when the lock cannot be created. Runs that may save
  // hold the lock from before load() until after their last save().
  virtual std::unique_ptr<StateLock> lock(std::string_view operation,
                                          std::chrono::milliseconds timeout,
                                          diag::Diagnostics& diags) = 0;
};

}  // namespace kc::state
