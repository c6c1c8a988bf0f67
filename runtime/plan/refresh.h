// Refresh: bring the stored state up to date with the world before planning, and describe what
// changed behind kc's back (drift) so it can be shown apart from the plan's own changes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/desired_state.h"
#include "providers/sdk/provider.h"
#include "runtime/plan/drift.h"
#include "runtime/state/state.h"

namespace kc::plan {

struct RefreshOptions {
  int parallelism = 10;  // reads in flight at once, over all providers
  // Provider name -> the most reads in flight on it (a provider block's `max_concurrency`).
  std::map<std::string, int> max_concurrency;
};

// Reads every resource through its provider, up to `parallelism` at a time (providers are
// thread-safe per call, provider.h): attributes become what the provider reports, and resources
// the provider reports gone are dropped. Deposed objects are read too (one at a time, after the
// resources), their attributes updated or, when gone, their records dropped, without drift.
// Returns the drift sorted by address. A resource whose
// provider is missing or fails to read is left as stored, with an E0504; diagnostics come in
// address order whatever order the reads finished in.
std::vector<Drift> refresh(state::State& state, sdk::Providers& providers,
                           const RefreshOptions& options, diag::Diagnostics& diags);

// Settles the creates an interrupted apply left pending (`state.pending`), one provider read each
// (with the create's idempotency key and a null state), whether or not the plan refreshes: a
// pending create the plan ignored would be made a second time. When the provider reports the
// object the create made, it is stored as a ready resource of the pending record's type and
// provider, with its dependencies, lifecycle, rollout, hooks and secret attributes from `desired`
// when that declares the address (else none), and reported as drift with Action::Create ("created
// by an interrupted apply"; `before` is what was stored at the address, usually null). An object
// stored at the address (a create_before_destroy replacement killed before its depose record)
// becomes a deposed object under a key derived from the create's key, never forgotten. When the
// provider reports nothing, the record is just dropped. A pending create at an address whose
// stored object the provider reports (same `id`) was finished and is dropped silently. A missing
// or failing provider keeps the record, with an E0504. Returns the drift sorted by address.
std::vector<Drift> adopt_pending(state::State& state, sdk::Providers& providers,
                                 const eval::DesiredState* desired, diag::Diagnostics& diags);

// The provider configurations' `max_concurrency` settings (positive ints), by provider name.
std::map<std::string, int> max_concurrency_of(const std::vector<eval::ProviderConfig>& providers);

}  // namespace kc::plan
