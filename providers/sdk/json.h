// Value <-> JSON. Encoding writes the printed form of LANGUAGE.md section 8a (domain values as
// canonical strings, unknowns as "(known after apply)"); decoding is guided by a schema type, since
// JSON alone cannot tell a size from a string.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "providers/sdk/schema.h"
#include "providers/sdk/value.h"

namespace kc::sdk {

inline constexpr const char* kUnknownText = "(known after apply)";

nlohmann::ordered_json to_json(const Value& value);
// Decodes `json` as `type`; nullopt with `error` set when it does not fit. Any decodes JSON as
// null/bool/int/float/string/list/map.
std::optional<Value> from_json(const nlohmann::ordered_json& json, const AttrType& type,
                               std::string* error = nullptr);
// Decodes a map of attributes with a resource schema (unknown attribute names are kept as Any).
std::optional<Value> attributes_from_json(const nlohmann::ordered_json& json,
                                          const ResourceSchema& schema,
                                          std::string* error = nullptr);

}  // namespace kc::sdk
