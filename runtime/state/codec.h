// The versioned JSON form of State (format_version 1). Encoding is deterministic; decoding never
// throws: malformed input, a newer format_version or attributes that do not fit their schema are an
// E0506 diagnostic naming where the state came from.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/schema.h"
#include "runtime/state/state.h"

namespace kc::state {

// {"format_version":1,"lineage","serial","resources":[{"address","type","provider","attributes",
//  "dependencies","status"}],"outputs":{}}
nlohmann::ordered_json state_to_json(const State& state);
// state_to_json pretty-printed with two-space indents and a final newline: the bytes a backend
// stores.
std::string encode_state(const State& state);

// Attributes decode through the resource schema found in `schemas` (types the provider no longer
// declares decode as `any`); outputs decode as `any`. `origin` names the file in messages.
std::optional<State> state_from_json(const nlohmann::ordered_json& json,
                                     const sdk::SchemaSource& schemas, std::string_view origin,
                                     diag::Diagnostics& diags);
std::optional<State> decode_state(std::string_view text, const sdk::SchemaSource& schemas,
                                  std::string_view origin, diag::Diagnostics& diags);

}  // namespace kc::state
