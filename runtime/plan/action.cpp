// Names of plan actions and step kinds, generated from their registries.
#include "runtime/plan/action.h"

namespace kc::plan {

std::string_view action_name(Action action) {
  switch (action) {
#define KC_PLAN_ACTION(name, text) \
  case Action::name:               \
    return text;
#include "runtime/plan/action.def"
#undef KC_PLAN_ACTION
  }
  return "?";
}

std::optional<Action> parse_action(std::string_view name) {
#define KC_PLAN_ACTION(id, text) \
  if (name == text) return Action::id;
#include "runtime/plan/action.def"
#undef KC_PLAN_ACTION
  return std::nullopt;
}

std::string_view step_kind_name(StepKind kind) {
  switch (kind) {
#define KC_STEP_KIND(name, text) \
  case StepKind::name:           \
    return text;
#include "runtime/plan/step_kind.def"
#undef KC_STEP_KIND
  }
  return "?";
}

std::optional<StepKind> parse_step_kind(std::string_view name) {
#define KC_STEP_KIND(id, text) \
  if (name == text) return StepKind::id;
#include "runtime/plan/step_kind.def"
#undef KC_STEP_KIND
  return std::nullopt;
}

}  // namespace kc::plan
