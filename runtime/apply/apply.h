// The executor's entry point: carry out a plan's steps through the providers, recording every
// finished step in the state and saving it through the backend.
#pragma once

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/provider.h"
#include "runtime/apply/progress.h"
#include "runtime/apply/resolver.h"
#include "runtime/plan/plan.h"
#include "runtime/state/backend.h"
#include "runtime/state/state.h"

namespace kc::apply {

struct ApplyResult {
  int created = 0, updated = 0, replaced = 0, deleted = 0;
  int actions = 0;  // hook actions run (action steps); they change no resource
  int failed = 0;   // steps whose provider call failed
  int skipped = 0;  // steps not run because a step they depend on failed, or the apply stopped
  diag::Diagnostics diagnostics;

  bool ok() const { return failed == 0 && skipped == 0 && !diagnostics.has_errors(); }
};

// Runs the steps in dependency order (one at a time for now; scheduling lives in Scheduler).
// After every successful step the resource is upserted into (or removed from) `state` with its
// dependencies, and `state` is saved through `backend` before any later step starts. A failed step
// skips its dependents while independent steps go on; a failed save stops the apply. `resolver`
// may be null when no planned input holds an unknown. Outputs in `state` are left to the caller.
ApplyResult apply_plan(const plan::Plan& plan, state::State& state, sdk::Providers& providers,
                       state::Backend& backend, InputResolver* resolver, ProgressSink& progress);

}  // namespace kc::apply
