// Unit tests of recording the settings of unchanged resources (runtime/plan/record_settings).
#include <doctest/doctest.h>

#include "runtime/plan/record_settings.h"

using namespace kc;

namespace {

state::ResourceState stored(const std::string& address) {
  state::ResourceState r;
  r.address = address;
  r.type = "sim.machine";
  r.provider = "sim";
  r.dependencies = {"sim.network[\"main\"]"};
  r.prevent_destroy = true;
  r.hooks = {{"before_destroy", {"drain"}}};
  r.rollout.group = "pool";
  return r;
}

plan::ResourceChange unchanged(const state::ResourceState& r) {
  plan::ResourceChange c;
  c.address = r.address;
  c.type = r.type;
  c.provider = r.provider;
  c.action = plan::Action::NoOp;
  c.depends_on = r.dependencies;
  c.prevent_destroy = r.prevent_destroy;
  c.hooks = r.hooks;
  c.rollout = r.rollout;
  return c;
}

}  // namespace

TEST_CASE("record settings: unchanged resources take their new settings; others are left") {
  state::State state;
  state.upsert(stored("sim.machine[\"a\"]"));
  state.upsert(stored("sim.machine[\"b\"]"));
  state.upsert(stored("sim.machine[\"c\"]"));
  plan::Plan plan;
  plan::ResourceChange a = unchanged(*state.find("sim.machine[\"a\"]"));
  a.prevent_destroy = false;  // set to false before removing the resource
  a.depends_on = {"sim.subnet[\"x\"]", "sim.network[\"main\"]"};
  a.rollout.max_unavailable = eval::RolloutBound{true, 25};
  plan::ResourceChange b = unchanged(*state.find("sim.machine[\"b\"]"));  // the same settings
  plan::ResourceChange c = unchanged(*state.find("sim.machine[\"c\"]"));
  c.action = plan::Action::Update;  // the apply records an update's settings itself
  c.prevent_destroy = false;
  plan.changes = {a, b, c};

  std::vector<std::string> recorded = plan::record_unchanged_settings(plan, state);
  CHECK(recorded == std::vector<std::string>{"sim.machine[\"a\"]"});
  const state::ResourceState& after = *state.find("sim.machine[\"a\"]");
  CHECK_FALSE(after.prevent_destroy);
  CHECK(after.dependencies ==
        std::vector<std::string>{"sim.network[\"main\"]", "sim.subnet[\"x\"]"});  // sorted
  REQUIRE(after.rollout.max_unavailable.has_value());
  CHECK(after.rollout.max_unavailable->amount == 25);
  CHECK(state.find("sim.machine[\"c\"]")->prevent_destroy);
  CHECK(plan::record_unchanged_settings(plan, state).empty());  // nothing new the second time
}
