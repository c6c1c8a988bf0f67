// Value comparison as the planner means it: maps are equal when they hold the same non-null entries
// in any order, so a provider's key order or an explicit null never shows up as a change.
#pragma once

#include <string>
#include <vector>

#include "providers/sdk/value.h"

namespace kc::plan {

bool same_value(const sdk::Value& a, const sdk::Value& b);

// Top-level keys of two attribute maps (either may be null) whose values differ, sorted.
std::vector<std::string> changed_attributes(const sdk::Value& before, const sdk::Value& after);

}  // namespace kc::plan
