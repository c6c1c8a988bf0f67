// The planner's entry points: compare the desired state with the stored state through the
// providers and produce a Plan. Provider failures are diagnostics; the plan holds what could be
// planned.
#pragma once

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/desired_state.h"
#include "providers/sdk/provider.h"
#include "runtime/plan/plan.h"
#include "runtime/state/state.h"

namespace kc::plan {

// Every desired resource is validated and planned by its provider: create when `prior` has no such
// address, replace when the provider names inputs that force replacement, update when the planned
// attributes differ from the stored ones, no-op otherwise. Stored resources that are not desired
// are deleted, and so is every deposed object of `prior` (a change with `deposed` set). Attributes
// named in lifecycle.ignore_changes keep their stored values. A resource
// whose provider is missing is an E0504 at its span and gets no change.
Plan make_plan(const eval::DesiredState& desired, const state::State& prior,
               sdk::Providers& providers, diag::Diagnostics& diags);

// Deletes everything in `prior`, deposed objects included, dependents first.
Plan make_destroy_plan(const state::State& prior, sdk::Providers& providers,
                       diag::Diagnostics& diags);

}  // namespace kc::plan
