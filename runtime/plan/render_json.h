// The machine form of a plan, exactly the "Plan JSON" of CLI.md. Only reads the Plan.
#pragma once

#include <nlohmann/json.hpp>

#include "runtime/plan/plan.h"

namespace kc::plan {

// {"format_version":"1","summary":{...},"changes":[...],"steps":[...],"diagnostics":[]}. Values as
// sdk::to_json writes them; secret attributes as "(sensitive)". Diagnostics are left empty for the
// caller, which owns them, to fill.
nlohmann::ordered_json render_plan_json(const Plan& plan);

}  // namespace kc::plan
