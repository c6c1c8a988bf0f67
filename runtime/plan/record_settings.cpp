// Recording the settings of unchanged resources in the state.
#include "runtime/plan/record_settings.h"

#include <algorithm>

namespace kc::plan {
namespace {

bool same_bound(const std::optional<eval::RolloutBound>& a,
                const std::optional<eval::RolloutBound>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->percent == b->percent && a->amount == b->amount);
}

bool same_rollout(const eval::Rollout& a, const eval::Rollout& b) {
  return a.group == b.group && a.quorum == b.quorum && same_bound(a.max_surge, b.max_surge) &&
         same_bound(a.max_unavailable, b.max_unavailable);
}

}  // namespace

std::vector<std::string> record_unchanged_settings(const Plan& plan, state::State& state) {
  std::vector<std::string> recorded;
  for (const ResourceChange& change : plan.changes) {
    if (change.action != Action::NoOp || !change.deposed.empty()) continue;
    state::ResourceState* stored = state.find(change.address);
    if (stored == nullptr) continue;
    std::vector<std::string> dependencies = change.depends_on;
    std::sort(dependencies.begin(), dependencies.end());
    if (stored->dependencies == dependencies && stored->prevent_destroy == change.prevent_destroy &&
        stored->hooks == change.hooks && same_rollout(stored->rollout, change.rollout)) {
      continue;
    }
    stored->dependencies = std::move(dependencies);
    stored->prevent_destroy = change.prevent_destroy;
    stored->hooks = change.hooks;
    stored->rollout = change.rollout;
    recorded.push_back(change.address);
  }
  return recorded;
}

}  // namespace kc::plan
