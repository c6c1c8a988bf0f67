// The step graph of a plan: which executor steps exist and which must finish before which.
#pragma once

#include <vector>

#include "compiler/diag/diagnostic.h"
#include "runtime/plan/plan.h"
#include "runtime/state/state.h"

namespace kc::plan {

// One step per create, update and delete; a replace is a delete and a create of the same address
// (the create first when create_before_destroy or when its rollout wave creates first). Each
// `hooks` action is an `action` step: before_EVENT actions run in order before the step of that
// event, after_EVENT actions in order after it. Ordering:
//  - a create/update (with its before_ actions) runs after the create/update/replace-create steps
//    of its desired dependencies and their after_create/after_update actions;
//  - a delete of X runs after the deletes of everything that depended on X in `prior`;
//  - an update of X runs after the deletes (and their before_destroy actions) of the resources
//    deleted outright that depended on X, unless that edge would close a cycle;
//  - a replace's create runs after its delete, or the reverse when it creates first;
//  - rollout groups (waves.h) split their members' changes into waves: every step of a group's
//    wave k+1 runs after every step of its wave k. Steps carry their global wave number (0 outside
//    waves). A quorum group whose waves would lose quorum is reported as E0507.
// Ids follow a deterministic topological order: among ready steps the one listed first (changes by
// address; a replace's delete before its create) goes first. Dependencies recorded in `prior` that
// form a cycle are reported as E0506 and broken.
std::vector<Step> build_steps(const std::vector<ResourceChange>& changes, const state::State& prior,
                              diag::Diagnostics& diags);
// The same, also describing the waves (by number) in `waves` when it is not null.
std::vector<Step> build_steps(const std::vector<ResourceChange>& changes, const state::State& prior,
                              diag::Diagnostics& diags, std::vector<Wave>* waves);

}  // namespace kc::plan
