// YAML text for JSON-shaped data (`kc eval --format yaml`): block style, two-space indentation,
// strings plain only where no YAML 1.1 or 1.2 reader could take them for anything but a string.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace kc::support {

// The document for `value`, ending in a newline. Key order is kept.
std::string to_yaml(const nlohmann::ordered_json& value);

// Whether `text` can be written as a plain (unquoted) YAML scalar and read back as that string.
bool is_plain_yaml_string(std::string_view text);

}  // namespace kc::support
