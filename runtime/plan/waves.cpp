// Splitting rollout groups into waves, and the quorum proof.
#include "runtime/plan/waves.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace kc::plan {
namespace {

bool is_member_change(Action action) {
  return action == Action::Create || action == Action::Replace || action == Action::Delete;
}

// Deposed objects first: they are surplus members left by an earlier replacement, and deleting them
// brings the group back to its size before anything else surges. Then creates, replacements and
// deletes.
int rank(const ResourceChange& change) {
  if (!change.deposed.empty()) return -1;
  Action action = change.action;
  return action == Action::Create ? 0 : action == Action::Replace ? 1 : 2;
}

std::string count_of(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int surge_count(const std::optional<eval::RolloutBound>& bound, int members) {
  if (!bound) return 0;
  if (!bound->percent) return static_cast<int>(std::max(0.0, bound->amount));
  // A small epsilon keeps 25% of 4 at 1 despite binary fractions.
  return static_cast<int>(std::max(0.0, std::ceil(bound->amount * members / 100.0 - 1e-9)));
}

int unavailable_count(const std::optional<eval::RolloutBound>& bound, int members) {
  if (!bound) return 0;
  if (!bound->percent) return static_cast<int>(std::max(0.0, bound->amount));
  return static_cast<int>(std::max(0.0, std::floor(bound->amount * members / 100.0 + 1e-9)));
}

int majority(int n) {
  return n / 2 + 1;
}

std::vector<GroupRollout> plan_rollouts(const std::vector<ResourceChange>& changes) {
  std::map<std::string, std::vector<const ResourceChange*>> by_group;
  for (const ResourceChange& c : changes) {
    if (!c.rollout.group.empty()) by_group[c.rollout.group].push_back(&c);
  }
  std::vector<GroupRollout> rollouts;
  for (auto& [group, members] : by_group) {
    std::sort(members.begin(), members.end(), [](const ResourceChange* a, const ResourceChange* b) {
      return change_before(*a, *b);
    });
    GroupRollout r;
    r.group = group;
    int desired = 0, stored = 0;
    for (const ResourceChange* c : members) {
      if (c->action != Action::Delete) ++desired;
      if (c->action != Action::Create) ++stored;
      if (c->action == Action::Delete) ++r.deleted;
      if (c->action != Action::Delete && !r.first) r.first = c;
      r.quorum = r.quorum || c->rollout.quorum;
    }
    r.members = desired > 0 ? desired : stored;
    r.stored = stored;
    // Members that disagree on the bounds get the narrowest of them.
    bool first = true;
    for (const ResourceChange* c : members) {
      if (desired > 0 && c->action == Action::Delete) continue;
      int s = surge_count(c->rollout.max_surge, r.members);
      int u = unavailable_count(c->rollout.max_unavailable, r.members);
      r.surge = first ? s : std::min(r.surge, s);
      r.unavailable = first ? u : std::min(r.unavailable, u);
      first = false;
    }

    std::vector<const ResourceChange*> ops;
    for (const ResourceChange* c : members) {
      if (!is_member_change(c->action)) continue;
      if (c->action == Action::Create && stored == 0) continue;  // the group is being created
      ops.push_back(c);
    }
    std::stable_sort(ops.begin(), ops.end(), [](const ResourceChange* a, const ResourceChange* b) {
      return rank(*a) < rank(*b);
    });
    size_t width = static_cast<size_t>(std::max(1, r.surge + r.unavailable));
    int existing = stored;
    for (size_t at = 0; at < ops.size(); at += width) {
      GroupWave wave;
      wave.existing = existing;
      int surged = 0;
      for (size_t i = at; i < std::min(ops.size(), at + width); ++i) {
        WaveSlot slot{ops[i], false};
        switch (ops[i]->action) {
          case Action::Create:
            ++existing;
            break;
          case Action::Delete:
            ++wave.away;
            --existing;
            break;
          case Action::Replace:
            // Up to `surge` replacements of a wave create first; with no surge and no
            // unavailability allowed, one at a time, creating first.
            slot.create_first = ops[i]->create_before_destroy || surged < r.surge ||
                                (r.surge == 0 && r.unavailable == 0);
            if (slot.create_first) {
              ++surged;
            } else {
              ++wave.away;
            }
            break;
          default:
            break;
        }
        wave.slots.push_back(slot);
      }
      r.waves.push_back(std::move(wave));
    }
    rollouts.push_back(std::move(r));
  }
  return rollouts;
}

void check_quorum(const GroupRollout& r, int first_wave, diag::Diagnostics& diags) {
  if (!r.quorum || r.members == 0 || r.deleted == r.stored) return;  // no quorum, or all go
  source::Span group_span = r.first ? r.first->span : source::Span{};
  if (r.deleted > 0 && r.stored - r.deleted < majority(r.stored)) {
    int most = r.stored - majority(r.stored);
    diags
        .error(diag::Code::E0507, group_span,
               "the plan deletes " + std::to_string(r.deleted) + " of the " +
                   std::to_string(r.stored) + " members of quorum group `" + r.group +
                   "`; the rest would not be a majority of it")
        .with_label("group `" + r.group + "` keeps " + std::to_string(r.members) +
                    (r.members == 1 ? " member" : " members"))
        .with_note(
            "a quorum group may lose fewer than half of its members in one plan, so that "
            "the members it keeps hold a quorum of the membership it starts from")
        .with_note("delete at most " + count_of(most, "member", "members") +
                   " now and the rest in later plans, or set `quorum = false` to allow it");
    return;  // one error per group: its waves follow from the deletes
  }
  for (size_t i = 0; i < r.waves.size(); ++i) {
    const GroupWave& wave = r.waves[i];
    if (wave.existing == 0 || wave.existing - wave.away >= majority(wave.existing)) continue;
    source::Span span = group_span;
    for (const WaveSlot& slot : wave.slots) {
      if (!slot.create_first && slot.change->span.valid()) {
        span = slot.change->span;
        break;
      }
    }
    int number = first_wave + static_cast<int>(i);
    int most = wave.existing - majority(wave.existing);
    diags
        .error(diag::Code::E0507, span,
               "wave " + std::to_string(number) + " of quorum group `" + r.group + "` takes " +
                   std::to_string(wave.away) + " of its " + std::to_string(wave.existing) +
                   " members down at once, leaving no majority")
        .with_label("taken down in wave " + std::to_string(number))
        .with_note(std::to_string(majority(wave.existing)) + " of " +
                   std::to_string(wave.existing) + " members must stay up; the wave takes " +
                   count_of(wave.away, "member", "members") +
                   " down (deleted, or replaced deleting first)")
        .with_note(most == 0
                       ? "set `max_unavailable = 0` and `max_surge` to 1 or more, so that every "
                         "replacement creates its new member first"
                       : "lower `max_unavailable` to at most " + std::to_string(most) +
                             ", or raise `max_surge` so that more replacements create first");
  }
}

}  // namespace kc::plan
