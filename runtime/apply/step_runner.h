// run_step: the provider calls of one plan step. It reads the state but never changes it; the
// executor alone records outcomes, so steps can later run on worker threads.
#pragma once

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/provider.h"
#include "runtime/apply/resolver.h"
#include "runtime/plan/plan.h"
#include "runtime/state/state.h"

namespace kc::apply {

struct StepOutcome {
  bool ok = false;
  sdk::Value state;  // the object's attributes after a create/update; null after a delete
  diag::Diagnostics diagnostics;
};

// Create/update: applies the planned attributes. When planned inputs hold unknowns, asks `resolver`
// for the inputs now that the dependencies exist and plans again first; the create half of a
// replace is always planned again as a new object. Delete: deletes the stored object (for a
// create_before_destroy replace, the old object the plan saw). Action: runs the hook's provider
// action on the object it concerns: the old object for before_/after_destroy, the stored (just
// applied) one for after_create and the update hooks, none for before_create.
StepOutcome run_step(const plan::Step& step, const plan::ResourceChange& change,
                     const state::State& current, sdk::Providers& providers,
                     InputResolver* resolver);

}  // namespace kc::apply
