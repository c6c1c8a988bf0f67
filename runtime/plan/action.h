// Plan actions (what happens to a resource) and step kinds (what one executor step does), with
// their printed names. Both are registered in .def files.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kc::plan {

enum class Action : uint8_t {
#define KC_PLAN_ACTION(name, text) name,
#include "runtime/plan/action.def"
#undef KC_PLAN_ACTION
};

enum class StepKind : uint8_t {
#define KC_STEP_KIND(name, text) name,
#include "runtime/plan/step_kind.def"
#undef KC_STEP_KIND
};

std::string_view action_name(Action action);  // "no-op"
std::optional<Action> parse_action(std::string_view name);
std::string_view step_kind_name(StepKind kind);  // "delete"
std::optional<StepKind> parse_step_kind(std::string_view name);

}  // namespace kc::plan
