// Rollout groups that cannot make progress: neither a surge nor an unavailable machine allowed.
#include <fmt/format.h>

#include <set>

#include "compiler/lint/values.h"

namespace kc::lint {

namespace {

bool zero(const std::optional<eval::RolloutBound>& bound) {
  return bound.has_value() && bound->amount == 0;
}

}  // namespace

void rollout_rules(const Context& context, Reporter& out) {
  if (context.desired() == nullptr) return;
  std::set<std::string> reported;  // groups
  for (const eval::DesiredResource& resource : context.desired()->resources) {
    const eval::Rollout& rollout = resource.rollout;
    if (rollout.group.empty() || !zero(rollout.max_surge) || !zero(rollout.max_unavailable)) {
      continue;
    }
    std::optional<source::Span> at = resource_attribute_span(context, resource, "rollout");
    if (!at || !reported.insert(rollout.group).second) continue;
    out.report(Rule::RolloutCannotMove, *at,
               fmt::format("rollout group `{}` allows neither a surge nor an unavailable "
                           "resource, so a replacement can never start",
                           rollout.group))
        .with_label("`max_surge = 0` and `max_unavailable = 0`")
        .with_note("set `max_surge = 1` to create each replacement before deleting the old one");
  }
}

}  // namespace kc::lint
