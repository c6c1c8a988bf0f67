// A lossless JSON form of sdk::Value for files kc reads back itself (saved plans): every kind
// survives the round trip, unlike sdk::to_json, whose printed form cannot tell a size from a string
// or an unknown from the text "(known after apply)".
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "providers/sdk/value.h"

namespace kc::plan {

// null, booleans, integers, finite floats, strings and lists as themselves; every other kind as a
// one-key object naming it: {"map": {...}}, {"duration_ms": 90000}, {"bytes": 1024},
// {"percent": 12.5}, {"version": "v1.29.4"}, {"ip": "10.0.0.1"}, {"cidr": "10.0.0.0/16"},
// {"unknown": true}, {"float": "inf"} (JSON has no inf or nan).
nlohmann::ordered_json exact_json(const sdk::Value& value);

// The inverse of exact_json. nullopt with a sentence in `error` (saying where) when `json` is not
// such an encoding. Never throws; nesting deeper than 256 levels is refused.
std::optional<sdk::Value> exact_value(const nlohmann::ordered_json& json, std::string* error);

}  // namespace kc::plan
