// The schema of the built-in `sim` provider: its configuration and the `sim.machine` resource. The
// single source of the attribute names the rest of providers/sim/ relies on.
#pragma once

#include <string_view>

#include "providers/sdk/schema.h"

namespace kc::sim {

inline constexpr std::string_view kProviderName = "sim";
inline constexpr std::string_view kMachineType = "sim.machine";

// Bounds checked by validate (beyond what the types say).
inline constexpr int64_t kMinCpu = 1;
inline constexpr int64_t kMaxCpu = 512;
inline constexpr int64_t kMinMemoryBytes = int64_t{512} * 1024 * 1024;  // 512Mi

// Built once, immutable, shared by every SimProvider.
const sdk::ProviderSchema& sim_schema();
// The `sim.machine` entry of sim_schema().
const sdk::ResourceSchema& machine_schema();

}  // namespace kc::sim
