// Kubernetes label syntax (the API server's validation of metadata.labels): what is wrong with a
// key or a value, in words, or nullopt when Kubernetes accepts it. Taint keys and values follow the
// same rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kc::lint {

std::optional<std::string> label_key_problem(std::string_view key);
std::optional<std::string> label_value_problem(std::string_view value);

}  // namespace kc::lint
