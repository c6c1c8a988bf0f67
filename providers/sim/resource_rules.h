// The rules every sim kind shares, driven by its schema: checking attributes against the schema,
// planning a change (create, update in place, replace, delete), the inputs an apply may use, and
// checking an action's params. Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/provider.h"
#include "providers/sdk/value.h"
#include "providers/sim/kind.h"

namespace kc::sim {

// The input attributes present (not null) in `attributes`, in schema order; outputs and names
// the schema does not know are dropped. `attributes` must be a map.
sdk::Value inputs_of(const sdk::ResourceSchema& schema, const sdk::Value& attributes);

// The attributes of an object in schema order: the inputs present in `inputs`, then the outputs
// found in `outputs`.
sdk::Value assemble(const sdk::ResourceSchema& schema, const sdk::Value& inputs,
                    const sdk::Entries& outputs);

// Reports (naming `address` and the attribute) unknown or computed attribute names, values of the
// wrong type, missing required inputs, and whatever kind.check_inputs finds in the known values.
// Unknown values pass: they are checked when known.
void validate_resource(const SimKind& kind, const std::string& address,
                       const sdk::Value& attributes, diag::Diagnostics& diagnostics);

// The planned attributes of a change; see PlanRequest. A changed force_new input (an unknown one
// counts as changed) makes it a replacement whose outputs are unknown again; an update leaves the
// outputs derived from changed inputs (SimKind::derived) unknown and keeps the others.
sdk::PlanResponse plan_resource(const SimKind& kind, const sdk::PlanRequest& request);

// The inputs of `planned` for an apply `action` ("create", "update"): errors when one is unknown,
// missing, or fails validate_resource.
sdk::Value applicable_inputs(const SimKind& kind, const std::string& address,
                             std::string_view action, const sdk::Value& planned,
                             diag::Diagnostics& diagnostics);

// Reports params `action` does not declare, missing required ones, wrong types, unknown values and
// negative `timeout`s. `params` may be null (no params).
void check_params(const sdk::ActionSchema& action, const std::string& address,
                  const sdk::Value& params, diag::Diagnostics& diagnostics);

}  // namespace kc::sim
