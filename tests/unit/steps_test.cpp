// Unit tests for rollout waves (runtime/plan/waves) and the step graph they shape (build_steps):
// wave splitting, percent rounding, the quorum proof, hook action steps and their edges.
#include <doctest/doctest.h>

#include <algorithm>

#include "runtime/plan/steps.h"
#include "runtime/plan/waves.h"

using namespace kc;
using plan::Action;
using plan::StepKind;

namespace {

eval::RolloutBound count(double n) {
  return {false, n};
}
eval::RolloutBound percent(double n) {
  return {true, n};
}

plan::ResourceChange member(const std::string& label, Action action, const std::string& group,
                            std::optional<eval::RolloutBound> surge,
                            std::optional<eval::RolloutBound> unavailable, bool quorum = false) {
  plan::ResourceChange c;
  c.address = "sim.machine[\"" + label + "\"]";
  c.type = "sim.machine";
  c.provider = "sim";
  c.action = action;
  c.rollout.group = group;
  c.rollout.max_surge = surge;
  c.rollout.max_unavailable = unavailable;
  c.rollout.quorum = quorum;
  return c;
}

std::vector<plan::ResourceChange> pool(int n, Action action, std::optional<eval::RolloutBound> s,
                                       std::optional<eval::RolloutBound> u, bool quorum = false) {
  std::vector<plan::ResourceChange> changes;
  for (int i = 0; i < n; ++i)
    changes.push_back(member("m-" + std::to_string(i), action, "g", s, u, quorum));
  return changes;
}

bool has_code(const diag::Diagnostics& diags, diag::Code code) {
  for (const diag::Diagnostic& d : diags.all()) {
    if (d.code == code) return true;
  }
  return false;
}

const plan::Step* find_step(const std::vector<plan::Step>& steps, const std::string& address,
                            StepKind kind, const std::string& action = "") {
  for (const plan::Step& s : steps) {
    if (s.address == address && s.kind == kind && (action.empty() || s.action == action)) return &s;
  }
  return nullptr;
}

bool depends(const plan::Step& step, const plan::Step& on) {
  return std::find(step.depends_on.begin(), step.depends_on.end(), on.id) != step.depends_on.end();
}

}  // namespace

TEST_CASE("waves: percent bounds round surge up and unavailability down") {
  CHECK(plan::surge_count(percent(25), 6) == 2);
  CHECK(plan::unavailable_count(percent(25), 6) == 1);
  CHECK(plan::surge_count(percent(25), 4) == 1);
  CHECK(plan::unavailable_count(percent(25), 4) == 1);
  CHECK(plan::surge_count(percent(10), 3) == 1);
  CHECK(plan::unavailable_count(percent(10), 3) == 0);
  CHECK(plan::surge_count(count(2), 100) == 2);
  CHECK(plan::unavailable_count(std::nullopt, 5) == 0);
  CHECK(plan::majority(3) == 2);
  CHECK(plan::majority(4) == 3);
  CHECK(plan::majority(5) == 3);
}

TEST_CASE("waves: a pool splits into waves of surge + unavailable, surge creating first") {
  std::vector<plan::ResourceChange> changes = pool(5, Action::Replace, count(1), count(1));
  std::vector<plan::GroupRollout> rollouts = plan::plan_rollouts(changes);
  REQUIRE(rollouts.size() == 1);
  const plan::GroupRollout& r = rollouts[0];
  CHECK(r.members == 5);
  CHECK(r.surge == 1);
  CHECK(r.unavailable == 1);
  REQUIRE(r.waves.size() == 3);
  CHECK(r.waves[0].slots.size() == 2);
  CHECK(r.waves[0].slots[0].create_first);
  CHECK_FALSE(r.waves[0].slots[1].create_first);
  CHECK(r.waves[0].away == 1);
  CHECK(r.waves[2].slots.size() == 1);
  CHECK(r.waves[2].slots[0].change->address == "sim.machine[\"m-4\"]");

  // Percent bounds: 25% of 4 is 1 surge and 1 unavailable, so two waves of two; 30% of 4 rounds
  // the surge up (2) and the unavailability down (1), so a wave of three, then one.
  std::vector<plan::ResourceChange> quarter = pool(4, Action::Replace, percent(25), percent(25));
  CHECK(plan::plan_rollouts(quarter)[0].waves.size() == 2);
  std::vector<plan::ResourceChange> thirty = pool(4, Action::Replace, percent(30), percent(30));
  std::vector<plan::GroupRollout> rounded = plan::plan_rollouts(thirty);
  CHECK(rounded[0].surge == 2);
  CHECK(rounded[0].unavailable == 1);
  REQUIRE(rounded[0].waves.size() == 2);
  CHECK(rounded[0].waves[0].slots.size() == 3);
  // ...and no bounds at all change one member at a time, creating first.
  std::vector<plan::ResourceChange> unset = pool(3, Action::Replace, std::nullopt, std::nullopt);
  std::vector<plan::GroupRollout> one = plan::plan_rollouts(unset);
  REQUIRE(one[0].waves.size() == 3);
  CHECK(one[0].waves[0].slots[0].create_first);
}

TEST_CASE("waves: a new group's creates form no waves; a grown group adds members in waves") {
  std::vector<plan::ResourceChange> fresh = pool(3, Action::Create, count(1), count(0));
  CHECK(plan::plan_rollouts(fresh)[0].waves.empty());

  std::vector<plan::ResourceChange> grown = pool(3, Action::NoOp, count(1), count(0), true);
  grown.push_back(member("m-3", Action::Create, "g", count(1), count(0), true));
  grown.push_back(member("m-4", Action::Create, "g", count(1), count(0), true));
  std::vector<plan::GroupRollout> r = plan::plan_rollouts(grown);
  REQUIRE(r[0].waves.size() == 2);
  CHECK(r[0].waves[0].existing == 3);
  CHECK(r[0].waves[1].existing == 4);
}

TEST_CASE("quorum: a wave that takes a majority down is E0507 naming the wave") {
  std::vector<plan::ResourceChange> changes = pool(3, Action::Replace, count(0), count(2), true);
  diag::Diagnostics diags;
  std::vector<plan::Wave> waves;
  plan::build_steps(changes, state::State{}, diags, &waves);
  REQUIRE(has_code(diags, diag::Code::E0507));
  CHECK(diags.all()[0].message.find("wave 1 of quorum group `g` takes 2 of its 3 members") !=
        std::string::npos);

  // One at a time, creating first, keeps all three up.
  std::vector<plan::ResourceChange> safe = pool(3, Action::Replace, count(1), count(0), true);
  diag::Diagnostics ok;
  plan::build_steps(safe, state::State{}, ok, &waves);
  CHECK_FALSE(ok.has_errors());
  CHECK(waves.size() == 3);
  CHECK(waves[0].serving == 3);

  // Delete-first one at a time is fine with three members, not with one.
  std::vector<plan::ResourceChange> single = pool(1, Action::Replace, count(0), count(1), true);
  diag::Diagnostics lost;
  plan::build_steps(single, state::State{}, lost, nullptr);
  CHECK(has_code(lost, diag::Code::E0507));
}

TEST_CASE(
    "quorum: scaling down keeps a majority of the stored members, destroying all is allowed") {
  auto scaled = [](int keep, int remove) {
    std::vector<plan::ResourceChange> changes = pool(keep, Action::NoOp, count(1), count(0), true);
    for (int i = 0; i < remove; ++i)
      changes.push_back(
          member("x-" + std::to_string(i), Action::Delete, "g", count(1), count(0), true));
    diag::Diagnostics diags;
    plan::build_steps(changes, state::State{}, diags, nullptr);
    return has_code(diags, diag::Code::E0507);
  };
  CHECK_FALSE(scaled(3, 2));  // 5 -> 3
  CHECK(scaled(2, 3));        // 5 -> 2
  CHECK_FALSE(scaled(2, 1));  // 3 -> 2
  CHECK(scaled(1, 2));        // 3 -> 1
  CHECK_FALSE(scaled(0, 3));  // the whole group goes
}

TEST_CASE("steps: hooks become action steps around a create-first replacement") {
  std::vector<plan::ResourceChange> changes = pool(2, Action::Replace, count(1), count(0));
  for (plan::ResourceChange& c : changes)
    c.hooks = {{"after_create", {"wait_ready"}}, {"before_destroy", {"drain"}}};
  diag::Diagnostics diags;
  std::vector<plan::Wave> waves;
  std::vector<plan::Step> steps = plan::build_steps(changes, state::State{}, diags, &waves);
  CHECK_FALSE(diags.has_errors());
  REQUIRE(steps.size() == 8);
  const std::string m0 = "sim.machine[\"m-0\"]", m1 = "sim.machine[\"m-1\"]";
  const plan::Step* create0 = find_step(steps, m0, StepKind::Create);
  const plan::Step* ready0 = find_step(steps, m0, StepKind::Action, "wait_ready");
  const plan::Step* drain0 = find_step(steps, m0, StepKind::Action, "drain");
  const plan::Step* delete0 = find_step(steps, m0, StepKind::Delete);
  const plan::Step* create1 = find_step(steps, m1, StepKind::Create);
  REQUIRE((create0 && ready0 && drain0 && delete0 && create1));
  CHECK(depends(*ready0, *create0));
  CHECK(depends(*drain0, *ready0));
  CHECK(depends(*delete0, *drain0));
  CHECK(drain0->hook == "before_destroy");
  CHECK(ready0->hook == "after_create");
  // Wave 2 starts after the whole of wave 1, its hook actions included.
  CHECK(create0->wave == 1);
  CHECK(drain0->wave == 1);
  CHECK(create1->wave == 2);
  CHECK(depends(*create1, *delete0));
  REQUIRE(waves.size() == 2);
  CHECK(waves[1].addresses == std::vector<std::string>{m1});
}

TEST_CASE("steps: a delete-first replacement drains, deletes, creates, waits") {
  std::vector<plan::ResourceChange> changes = pool(1, Action::Replace, count(0), count(1));
  changes[0].hooks = {{"after_create", {"wait_ready"}}, {"before_destroy", {"drain"}}};
  diag::Diagnostics diags;
  std::vector<plan::Step> steps = plan::build_steps(changes, state::State{}, diags);
  REQUIRE(steps.size() == 4);
  CHECK(steps[0].action == "drain");
  CHECK(steps[1].kind == StepKind::Delete);
  CHECK(steps[2].kind == StepKind::Create);
  CHECK(steps[3].action == "wait_ready");
  CHECK(steps[2].depends_on == std::vector<int>{1});
}

TEST_CASE("steps: a dependent waits for its dependency's after_create actions") {
  plan::ResourceChange machine = member("a", Action::Create, "", std::nullopt, std::nullopt);
  machine.hooks = {{"after_create", {"wait_ready", "uncordon"}}};
  plan::ResourceChange user = member("b", Action::Create, "", std::nullopt, std::nullopt);
  user.depends_on = {machine.address};
  diag::Diagnostics diags;
  std::vector<plan::Step> steps = plan::build_steps({machine, user}, state::State{}, diags);
  REQUIRE(steps.size() == 4);
  CHECK(steps[1].action == "wait_ready");
  CHECK(steps[2].action == "uncordon");
  CHECK(steps[3].address == user.address);
  CHECK(steps[3].depends_on == std::vector<int>{2});
  CHECK(steps[3].wave == 0);
}

TEST_CASE("steps: destroying a whole quorum group skips the last member's before_destroy") {
  std::vector<plan::ResourceChange> changes = pool(3, Action::Delete, count(1), count(0), true);
  for (plan::ResourceChange& c : changes)
    c.hooks = {{"before_destroy", {"remove_member"}}};
  diag::Diagnostics diags;
  std::vector<plan::Step> steps = plan::build_steps(changes, state::State{}, diags);
  CHECK_FALSE(diags.has_errors());
  int removes = 0;
  for (const plan::Step& s : steps)
    removes += s.action == "remove_member" ? 1 : 0;
  CHECK(removes == 2);
  CHECK(find_step(steps, "sim.machine[\"m-2\"]", StepKind::Action) == nullptr);
  CHECK(find_step(steps, "sim.machine[\"m-2\"]", StepKind::Delete)->wave == 3);
}

TEST_CASE("steps: an update waits for the deletes of what depended on it") {
  // etcd shrinking: the member leaves and is deleted before its certificate drops its name.
  plan::ResourceChange certificate = member("cert", Action::Update, "", std::nullopt, std::nullopt);
  plan::ResourceChange leaving = member("etcd-2", Action::Delete, "", std::nullopt, std::nullopt);
  leaving.depends_on = {certificate.address};
  leaving.hooks = {{"before_destroy", {"remove_member"}}};
  diag::Diagnostics diags;
  std::vector<plan::Step> steps = plan::build_steps({certificate, leaving}, state::State{}, diags);
  CHECK_FALSE(diags.has_errors());
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].action == "remove_member");
  CHECK(steps[1].kind == StepKind::Delete);
  CHECK(steps[2].kind == StepKind::Update);
  CHECK(steps[2].depends_on == std::vector<int>{1});
}

TEST_CASE("steps: the update-after-delete order yields where it would close a cycle") {
  // A pool surging onto a subnet that is updated: the new machine (wave 1) needs the subnet's
  // update, and the old machine's delete (wave 2) follows the new one, so the old machine cannot
  // also go before the update. A standalone machine on that subnet still goes before it.
  plan::ResourceChange subnet = member("subnet", Action::Update, "", std::nullopt, std::nullopt);
  plan::ResourceChange added = member("new", Action::Create, "pool", count(1), count(0));
  plan::ResourceChange removed = member("old", Action::Delete, "pool", count(1), count(0));
  plan::ResourceChange alone = member("alone", Action::Delete, "", std::nullopt, std::nullopt);
  added.depends_on = removed.depends_on = alone.depends_on = {subnet.address};
  // The pool keeps a third, unchanged member, so it is not a new group and the create is a wave.
  plan::ResourceChange kept = member("kept", Action::NoOp, "pool", count(1), count(0));
  diag::Diagnostics diags;
  std::vector<plan::Wave> waves;
  std::vector<plan::Step> steps =
      plan::build_steps({subnet, added, removed, alone, kept}, state::State{}, diags, &waves);
  CHECK_FALSE(diags.has_errors());
  REQUIRE(waves.size() == 2);
  REQUIRE(steps.size() == 4);
  auto id = [&](const plan::ResourceChange& c) {
    for (const plan::Step& s : steps) {
      if (s.address == c.address) return s.id;
    }
    return -1;
  };
  CHECK(id(alone) < id(subnet));
  CHECK(id(subnet) < id(added));
  CHECK(id(added) < id(removed));
}
