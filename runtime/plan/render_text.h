// The human form of a plan, in the style of Terraform's: one block per changed resource, the steps,
// and a summary line. Only reads the Plan.
#pragma once

#include <string>

#include "runtime/plan/plan.h"

namespace kc::plan {

// Values print as KCL literals (literal.h); attributes align on `=`; unchanged attributes of an
// update or replace are counted, not shown; no-op resources are not listed; secrets print as
// `(sensitive)`. With no changes: "No changes. The infrastructure matches the configuration.\n".
// `color` adds ANSI colours (green +, yellow ~, red -) and bold.
std::string render_plan_text(const Plan& plan, bool color);

}  // namespace kc::plan
