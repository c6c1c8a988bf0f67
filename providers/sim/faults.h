// Fault injection in the simulated cloud: the world mark `kc sim fail` sets. The transient
// failures drawn from `failure_rate` are in SimProvider (faults.cpp).
#pragma once

#include <string_view>

namespace kc::sim {

// Flag on an object id or a resource address: the next create, update, delete or action there
// fails with a permanent (not retryable) error, and the flag is cleared.
inline constexpr std::string_view kFailFlag = "fail";

}  // namespace kc::sim
