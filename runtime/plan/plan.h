// Plan: what applying the configuration would do. Computed by make_plan/make_destroy_plan (diff.h),
// read by the renderers and the executor, never changed after it is made.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/eval/desired_state.h"
#include "compiler/source/source.h"
#include "providers/sdk/value.h"
#include "runtime/plan/action.h"

namespace kc::plan {

// What happens to one resource address.
struct ResourceChange {
  std::string address, type, provider;
  Action action = Action::NoOp;
  sdk::Value before;  // stored attributes; null for a create
  sdk::Value after;  // planned attributes (unknown where known only after apply); null for a delete
  std::vector<std::string> after_unknown;    // attribute names unknown after apply, sorted
  std::vector<std::string> replace_because;  // inputs whose change forces the replacement, sorted
  std::vector<std::string> depends_on;       // desired dependencies; for a delete, the stored ones
  // Attribute names whose value differs between before and after, sorted. Computed here so the
  // renderers never diff.
  std::vector<std::string> changed;
  std::vector<std::string> sensitive;  // attribute names the schema marks secret, sorted
  // A replace creates the new object before deleting the old: lifecycle.create_before_destroy, or
  // its rollout wave creates first (set by make_plan from the steps).
  bool create_before_destroy = false;
  bool prevent_destroy = false;  // recorded in the state when applied (state.h)
  // The resource's `rollout` and `hooks` (event -> provider actions, in order); for a delete, the
  // ones stored when it was last applied. They shape the steps (docs/planning.md).
  eval::Rollout rollout;
  std::map<std::string, std::vector<std::string>> hooks;
  source::Span span;  // the `resource` expression; invalid for deletes
  // Set on the delete of a deposed object (state.h DeposedObject): its key. Such a change shares
  // its address with the address's current object (whose change, if any, sorts first).
  std::string deposed;
};

// One unit of work for the executor. A replace is two steps (delete and create) of one address.
struct Step {
  int id = 0;
  StepKind kind = StepKind::Create;
  std::string address;
  std::string action;  // the change's action name ("replace" for both halves of a replace), or
                       // the provider action of an `action` step
  std::string hook;    // for an `action` step: its event ("before_destroy", "after_create")
  int wave = 0;        // 0 outside rollout waves; else Plan::waves[wave - 1]
  std::vector<int> depends_on;  // ids of steps that must finish first, sorted
  std::string deposed{};        // the change's deposed key: the step acts on that deposed object
};

// One rollout wave of a group (docs/planning.md): its members change together, after every step of
// the group's previous wave. Bounds are resolved against the group's size.
struct Wave {
  int number = 0;  // global, from 1: groups by name, then their waves in order
  std::string group;
  int index = 0, count = 0;  // wave `index` (from 1) of the group's `count`
  int members = 0;           // the group's size N: desired members, or stored ones when none is
  int surge = 0, unavailable = 0;  // max_surge and max_unavailable as counts
  bool quorum = false;
  int serving = 0;   // with quorum: members existing at the wave's start that stay up through it
  int existing = 0;  // members existing at the wave's start
  std::vector<std::string> addresses;  // the members it changes, in order
};

struct Summary {
  int create = 0, update = 0, replace = 0;
  int destroy = 0;  // printed as "delete"
  int unchanged = 0;
};

// The order of Plan::changes: by address, the current object's change before deposed ones.
bool change_before(const ResourceChange& a, const ResourceChange& b);

// The counts of each action among `changes`.
Summary summarize(const std::vector<ResourceChange>& changes);

struct Plan {
  std::vector<ResourceChange> changes;  // sorted by (address, deposed); no-ops included
  std::vector<Step> steps;              // in id order (a topological order); steps[i].id == i
  std::vector<Wave> waves;              // by number; waves[i].number == i + 1
  Summary summary;
  bool destroy = false;  // made by make_destroy_plan

  bool has_changes() const;
  // The change of the address's current object (deposed empty) or of one deposed object.
  const ResourceChange* find(std::string_view address, std::string_view deposed = {}) const;
};

}  // namespace kc::plan
