// The forms of drift (changes made outside kc that the refresh found): text shown before the plan,
// and the "drift" array of the plan JSON. Only reads the Drift records.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/plan/refresh.h"

namespace kc::plan {

// Empty for no drift. Otherwise a heading, then per resource a block in the plan's style: changed
// attributes as `~ name = old -> new`, for a deleted object every stored attribute as
// `- name = old -> null`; secrets as `(sensitive)`. `color` adds ANSI colours.
std::string render_drift_text(const std::vector<Drift>& drift, bool color);

// [{"address","type","action":"update"|"delete","before":{...},"after":{...}|null}], secrets as
// "(sensitive)".
nlohmann::ordered_json render_drift_json(const std::vector<Drift>& drift);

}  // namespace kc::plan
