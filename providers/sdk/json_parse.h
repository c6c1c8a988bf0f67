// Parsing JSON text into an ordered_json in time linear in the text, for large files (the state,
// the sim world).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace kc::sdk {

// The same result as nlohmann::ordered_json::parse(text), and on malformed text the same exception
// (so callers report the same message). ordered_json::parse looks up every key of an object among
// the keys before it, which is quadratic in objects of many keys (a world of 100k machines); this
// indexes large objects by key instead. A repeated key keeps its first position and its last value,
// as ordered_json::parse does.
nlohmann::ordered_json parse_json(std::string_view text);

}  // namespace kc::sdk
