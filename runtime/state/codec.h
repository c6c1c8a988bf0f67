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
//  "dependencies","status"}],"outputs":{}}, plus "pending":[{"address","type","provider","key"}]
// when some create was interrupted, and "deposed":[{"key","resource":RESOURCE}] when some replaced
// object still awaits its delete (absent = none, as in older files).
nlohmann::ordered_json state_to_json(const State& state);
// One element of "resources" / of "pending", exactly as the state file stores it (the journal
// stores its records with these, so a record round-trips like the state file).
nlohmann::ordered_json resource_to_json(const ResourceState& resource);
nlohmann::ordered_json pending_to_json(const PendingCreate& pending);
nlohmann::ordered_json deposed_to_json(const DeposedObject& deposed);
// state_to_json pretty-printed with two-space indents and a final newline: the bytes a backend
// stores.
std::string encode_state(const State& state);

// Attributes decode through the resource schema found in `schemas` (types the provider no longer
// declares decode as `any`); outputs decode as `any`. `origin` names the file in messages.
std::optional<State> state_from_json(const nlohmann::ordered_json& json,
                                     const sdk::SchemaSource& schemas, std::string_view origin,
                                     diag::Diagnostics& diags);
// The inverses of resource_to_json / pending_to_json; nullopt with `problem` (a phrase, no origin)
// when malformed.
std::optional<ResourceState> resource_from_json(const nlohmann::ordered_json& json,
                                                const sdk::SchemaSource& schemas,
                                                std::string& problem);
std::optional<PendingCreate> pending_from_json(const nlohmann::ordered_json& json,
                                               std::string& problem);
std::optional<DeposedObject> deposed_from_json(const nlohmann::ordered_json& json,
                                               const sdk::SchemaSource& schemas,
                                               std::string& problem);
std::optional<State> decode_state(std::string_view text, const sdk::SchemaSource& schemas,
                                  std::string_view origin, diag::Diagnostics& diags);

}  // namespace kc::state
