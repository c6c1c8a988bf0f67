// --target and --exclude: which addresses a partial plan keeps, and narrowing a plan to them. The
// rules are stated in docs/cli.md ("Targeting"); this file is their only implementation.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "runtime/plan/plan.h"
#include "runtime/state/state.h"

namespace kc::plan {

struct Selection {
  std::vector<std::string> targets;   // patterns; empty: every change is a candidate
  std::vector<std::string> excludes;  // patterns
  bool empty() const { return targets.empty() && excludes.empty(); }
};

// The patterns that select `address` besides the address itself: each prefix of its instance path
// that ends at a whole segment (`prod`, `prod.pools`, `prod.pools["db"]` for
// `prod.pools["db"].sim.machine["db-0"]`) and that path with the type
// (`prod.pools["db"].sim.machine`; `sim.machine` at the top level). Shortest first.
std::vector<std::string> address_prefixes(std::string_view address);

// Whether `pattern` selects `address`: the same address, or one of its address_prefixes.
bool address_matches(std::string_view pattern, std::string_view address);

// The addresses of `plan`'s changes that `selection` keeps, with the order a change needs: a
// create, update or replace needs its desired dependencies changed first; a delete (and the delete
// half of a replace) needs first the deletes and replaces of the resources whose stored
// dependencies name it. A target keeps the matched changes and, transitively, what they need; an
// exclude drops the matched changes and, transitively, every change that needs a dropped one.
// A pattern matching no change is an E0508 (with a did-you-mean), and then nothing is returned.
std::optional<std::set<std::string>> select_addresses(const Plan& plan, const state::State& prior,
                                                      const Selection& selection,
                                                      diag::Diagnostics& diags);

// Narrows `plan` to select_addresses: drops the other changes, recounts the summary and rebuilds
// the steps and waves (build_steps). Warns that the plan is partial (E0509) when the selection is
// not empty. False (plan untouched) when a pattern matched nothing.
bool narrow_plan(Plan& plan, const state::State& prior, const Selection& selection,
                 diag::Diagnostics& diags);

}  // namespace kc::plan
