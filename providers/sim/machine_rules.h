// The rules of `sim.machine` that need no world: value checks beyond types, and the plan of a
// change (create, update in place, replace, delete). Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/provider.h"
#include "providers/sdk/value.h"

namespace kc::sim {

// The input attributes present (not null) in `attributes`, in schema order; outputs and names
// the schema does not know are dropped. `attributes` must be a map.
sdk::Value machine_inputs(const sdk::Value& attributes);

// Reports (naming `address` and the attribute) unknown or computed attribute names, values of the
// wrong type, missing required inputs, cpu outside 1..512, memory under 512Mi and an empty zone.
// Unknown values pass: they are checked when known.
void validate_machine(const std::string& address, const sdk::Value& attributes,
                      diag::Diagnostics& diagnostics);

// The planned attributes of a change; see PlanRequest. A changed force_new input (an unknown one
// counts as changed) makes it a replacement whose outputs are unknown again.
sdk::PlanResponse plan_machine(const sdk::PlanRequest& request);

// The inputs of `planned` for an apply `action` ("create", "update"): errors when one is unknown,
// missing, or fails validate_machine.
sdk::Value applicable_inputs(const std::string& address, std::string_view action,
                             const sdk::Value& planned, diag::Diagnostics& diagnostics);

}  // namespace kc::sim
