// The settings the state keeps beside a resource's attributes (dependencies, rollout, hooks,
// prevent_destroy) are what later plans read when the resource is deleted after its `resource` is
// gone. An apply records them for every resource it changes; this records them for the resources
// the plan leaves unchanged, whose settings may still have changed (`prevent_destroy = false`
// before removing a protected resource, a new `depends_on`).
#pragma once

#include <string>
#include <vector>

#include "runtime/plan/plan.h"
#include "runtime/state/state.h"

namespace kc::plan {

// Copies the desired settings of the plan's unchanged (NoOp) resources into `state`; returns the
// addresses whose stored settings changed, in plan order.
std::vector<std::string> record_unchanged_settings(const Plan& plan, state::State& state);

}  // namespace kc::plan
