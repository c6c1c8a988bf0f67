// The step graph of a plan: which executor steps exist and which must finish before which.
#pragma once

#include <vector>

#include "compiler/diag/diagnostic.h"
#include "runtime/plan/plan.h"
#include "runtime/state/state.h"

namespace kc::plan {

// One step per create, update and delete; a replace is a delete and a create of the same address
// (the create first when create_before_destroy). Ordering:
//  - a create/update runs after the create/update/replace-create steps of its desired dependencies;
//  - a delete of X runs after the deletes of everything that depended on X in `prior`;
//  - a replace's create runs after its delete, or the reverse with create_before_destroy.
// Ids follow a deterministic topological order: among ready steps the one listed first (changes by
// address; a replace's delete before its create) goes first. Dependencies recorded in `prior` that
// form a cycle are reported as E0506 and broken.
std::vector<Step> build_steps(const std::vector<ResourceChange>& changes, const state::State& prior,
                              diag::Diagnostics& diags);

}  // namespace kc::plan
