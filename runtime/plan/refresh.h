// Refresh: bring the stored state up to date with the world before planning.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/provider.h"
#include "runtime/state/state.h"

namespace kc::plan {

// Reads every resource through its provider: attributes become what the provider reports, and
// resources the provider reports gone are dropped. Returns the addresses that drifted (changed or
// vanished), sorted. A resource whose provider is missing or fails to read is left as stored, with
// an E0504.
std::vector<std::string> refresh(state::State& state, sdk::Providers& providers,
                                 diag::Diagnostics& diags);

}  // namespace kc::plan
