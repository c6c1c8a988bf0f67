// Plan: what applying the configuration would do. Computed by make_plan/make_destroy_plan (diff.h),
// read by the renderers and the executor, never changed after it is made.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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
  bool create_before_destroy = false;  // a replace creates the new object before deleting the old
  bool prevent_destroy = false;        // recorded in the state when applied (state.h)
  source::Span span;                   // the `resource` expression; invalid for deletes
};

// One unit of work for the executor. A replace is two steps (delete and create) of one address.
struct Step {
  int id = 0;
  StepKind kind = StepKind::Create;
  std::string address;
  std::string action;  // the change's action name ("replace" for both halves of a replace), or
                       // the provider action of an `action` step
  int wave = 0;
  std::vector<int> depends_on;  // ids of steps that must finish first, sorted
};

struct Summary {
  int create = 0, update = 0, replace = 0;
  int destroy = 0;  // printed as "delete"
  int unchanged = 0;
};

struct Plan {
  std::vector<ResourceChange> changes;  // sorted by address; no-ops included
  std::vector<Step> steps;              // in id order (a topological order); steps[i].id == i
  Summary summary;
  bool destroy = false;  // made by make_destroy_plan

  bool has_changes() const;
  const ResourceChange* find(std::string_view address) const;
};

}  // namespace kc::plan
