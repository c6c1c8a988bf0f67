// The stored state: what kc believes exists, one record per resource address, plus the outputs of
// the last apply. Plain data; reading and writing it is the codec's and the backends' job.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/eval/desired_state.h"
#include "providers/sdk/value.h"

namespace kc::state {

// One managed object as the provider last reported it.
struct ResourceState {
  std::string address;                    // `sim.machine["web"]`
  std::string type;                       // "sim.machine"
  std::string provider;                   // "sim"
  sdk::Value attributes;                  // a map of inputs and outputs; never holds unknowns
  std::vector<std::string> dependencies;  // addresses it depended on when last applied, sorted
  std::string status = "ready";           // "ready" for now
  // Attributes never printed (the provider's sensitive ones and those computed from a secret),
  // sorted; stored so that a later plan that deletes the resource still hides them.
  std::vector<std::string> sensitive;
  // lifecycle.prevent_destroy when it was last applied: a plan that deletes it fails (E0501) until
  // an apply with prevent_destroy = false clears it, even after its `resource` is removed.
  bool prevent_destroy = false;
  // `rollout` and `hooks` when it was last applied, so that deleting it after its `resource` is
  // gone (a pool scaled down, `kc destroy`) still runs its before_destroy actions in its group's
  // waves. Empty (not stored) when the resource had none.
  eval::Rollout rollout;
  std::map<std::string, std::vector<std::string>> hooks;
};

// A create the executor started whose outcome no record has captured yet: the run may have died
// during it. The next refresh asks the provider for the object a create with `key` made and adopts
// it into `resources`, or drops the record when there is none.
struct PendingCreate {
  std::string address;
  std::string type;
  std::string provider;
  std::string key;  // the create's idempotency key (sdk::ApplyRequest::idempotency_key)
};

// An object that used to be stored at `resource.address` and still exists in the world, but no
// longer is the address's current object: the create half of a create_before_destroy replacement
// made its successor, and its delete has not succeeded yet. The next plan deletes it (with its
// stored before_destroy hooks and rollout group); refresh reads it; `kc destroy` deletes it.
struct DeposedObject {
  std::string key;         // 8 hex digits, unique among the address's deposed objects
  ResourceState resource;  // the old record: address, attributes, dependencies, rollout, hooks...
};

// Invariant kept by upsert/remove: `resources` is sorted by address with no duplicates.
struct State {
  static constexpr int kFormatVersion = 1;

  int format_version = kFormatVersion;
  std::string lineage;  // a UUID fixed when the state is first created; never changes afterwards
  int64_t serial = 0;   // incremented by every save
  std::vector<ResourceState> resources;
  std::vector<std::pair<std::string, sdk::Value>> outputs;  // in declaration order
  std::vector<std::string> sensitive_outputs;               // outputs never printed, sorted
  std::vector<PendingCreate> pending;                       // sorted by address, no duplicates
  std::vector<DeposedObject> deposed;  // sorted by (address, key), no duplicates

  const ResourceState* find(std::string_view address) const;
  ResourceState* find(std::string_view address);
  // Inserts or replaces the record with the same address, keeping the order.
  void upsert(ResourceState resource);
  // Returns false when there was no such address.
  bool remove(std::string_view address);
  // Records a create about to start at `create.address` (replacing an earlier one there).
  void add_pending(PendingCreate create);
  // Forgets the pending create at `address`; false when there was none.
  bool clear_pending(std::string_view address);
  const PendingCreate* find_pending(std::string_view address) const;
  // Adds (or replaces) the deposed object with the same address and key, keeping the order.
  void add_deposed(DeposedObject object);
  // Forgets a deposed object; false when there was none.
  bool remove_deposed(std::string_view address, std::string_view key);
  const DeposedObject* find_deposed(std::string_view address, std::string_view key) const;
  // Moves the current object at `address` to `deposed` under `key`; false when there is none.
  bool depose(std::string_view address, std::string key);
};

}  // namespace kc::state
