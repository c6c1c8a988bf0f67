// Refresh: bring the stored state up to date with the world before planning, and describe what
// changed behind kc's back (drift) so it can be shown apart from the plan's own changes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/desired_state.h"
#include "providers/sdk/provider.h"
#include "runtime/plan/action.h"
#include "runtime/state/state.h"

namespace kc::plan {

// One stored resource the world no longer matches.
struct Drift {
  std::string address, type;
  Action action = Action::Update;      // Update: attributes changed; Delete: the object is gone
  sdk::Value before;                   // the stored attributes
  sdk::Value after;                    // what the provider reports now; null when gone
  std::vector<std::string> changed;    // attribute names whose value differs, sorted
  std::vector<std::string> sensitive;  // attribute names never printed, sorted
};

struct RefreshOptions {
  int parallelism = 10;  // reads in flight at once, over all providers
  // Provider name -> the most reads in flight on it (a provider block's `max_concurrency`).
  std::map<std::string, int> max_concurrency;
};

// Reads every resource through its provider, up to `parallelism` at a time (providers are
// thread-safe per call, provider.h): attributes become what the provider reports, and resources
// the provider reports gone are dropped. Returns the drift sorted by address. A resource whose
// provider is missing or fails to read is left as stored, with an E0504; diagnostics come in
// address order whatever order the reads finished in.
std::vector<Drift> refresh(state::State& state, sdk::Providers& providers,
                           const RefreshOptions& options, diag::Diagnostics& diags);

// The provider configurations' `max_concurrency` settings (positive ints), by provider name.
std::map<std::string, int> max_concurrency_of(const std::vector<eval::ProviderConfig>& providers);

}  // namespace kc::plan
