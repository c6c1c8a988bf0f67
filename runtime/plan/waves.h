// Rollout waves: how the changes of one rollout group split into sequential waves, and the quorum
// proof over them. The rules are stated in docs/planning.md; build_steps turns waves into steps.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "runtime/plan/plan.h"

namespace kc::plan {

// A bound as a count of `members`: a count as it is, a percent of `members` rounded up (surge) or
// down (unavailable); an unset bound is 0.
int surge_count(const std::optional<eval::RolloutBound>& bound, int members);
int unavailable_count(const std::optional<eval::RolloutBound>& bound, int members);

// floor(n / 2) + 1: the members of an n-member group that form a quorum.
int majority(int n);

// One member change in a wave. A replacement either creates the new object first (surge) or
// deletes the old one first (the member is unavailable until its replacement is up).
struct WaveSlot {
  const ResourceChange* change = nullptr;
  bool create_first = false;
};

struct GroupWave {
  std::vector<WaveSlot> slots;
  int existing = 0;  // members existing when the wave starts
  int away = 0;      // members the wave takes down at once: delete-first replacements and deletes
};

// The rollout of one group in one plan.
struct GroupRollout {
  std::string group;
  int members = 0;  // N: desired members; stored ones when the plan removes the whole group
  int stored = 0;   // members existing before the plan
  int deleted = 0;  // members the plan deletes for good
  int surge = 0, unavailable = 0;
  bool quorum = false;
  std::vector<GroupWave> waves;
  const ResourceChange* first = nullptr;  // the group's first desired member (a span for errors)
};

// Every rollout group of `changes` with its waves, groups sorted by name. Creates, replacements and
// deletes of a group's members become waves of at most max(1, surge + unavailable) members (the
// deletes of deposed objects first, then creates, replacements and deletes);
// updates and no-ops only count toward the group's size. A group with no stored member is being
// created: its creates form no waves.
std::vector<GroupRollout> plan_rollouts(const std::vector<ResourceChange>& changes);

// For a quorum group: every wave leaves a majority of the members existing at its start, and the
// plan deletes fewer than half of the stored members (unless it deletes the whole group). Reports
// E0507 for each violation; `first_wave` is the global number of the group's first wave.
void check_quorum(const GroupRollout& rollout, int first_wave, diag::Diagnostics& diags);

}  // namespace kc::plan
