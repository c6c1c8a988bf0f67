// The current state for people and programs (`kc show` without a plan file). Secrets never appear:
// sensitive attributes and outputs print as "(sensitive)".
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "runtime/state/state.h"

namespace kc::state {

// One block per resource ("# ADDRESS (TYPE)" and its attributes as KCL literals, aligned on `=`,
// sorted by name), then "Outputs:". An empty state: "The state is empty: nothing has been
// applied.".
std::string render_state_text(const State& state);

// {"format_version":"1","lineage","serial","resources":[{"address","type","provider",
//  "attributes":{...},"sensitive":[...],"dependencies":[...],"prevent_destroy"}],"outputs":{...}},
// values as sdk::to_json prints them.
nlohmann::ordered_json render_state_json(const State& state);

}  // namespace kc::state
