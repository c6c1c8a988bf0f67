// --target/--exclude: address matching, the dependency closures, and narrowing a plan.
#include <doctest/doctest.h>

#include <algorithm>

#include "runtime/plan/targeting.h"

using namespace kc;

namespace {

using Strings = std::vector<std::string>;

plan::ResourceChange change(std::string address, plan::Action action, Strings deps = {}) {
  plan::ResourceChange c;
  c.address = std::move(address);
  c.type = "sim.machine";
  c.provider = "sim";
  c.action = action;
  c.depends_on = std::move(deps);
  return c;
}

plan::Plan plan_of(std::vector<plan::ResourceChange> changes) {
  plan::Plan p;
  std::sort(changes.begin(), changes.end(),
            [](const auto& a, const auto& b) { return a.address < b.address; });
  p.changes = std::move(changes);
  return p;
}

state::ResourceState stored(std::string address, Strings deps = {}) {
  state::ResourceState r;
  r.address = std::move(address);
  r.type = "sim.machine";
  r.provider = "sim";
  r.attributes = sdk::Value::map({});
  r.dependencies = std::move(deps);
  return r;
}

Strings selected(const plan::Plan& p, const state::State& prior, Strings targets,
                 Strings excludes = {}) {
  diag::Diagnostics diags;
  auto kept = plan::select_addresses(p, prior, {std::move(targets), std::move(excludes)}, diags);
  REQUIRE(kept);
  CHECK(!diags.has_errors());
  return {kept->begin(), kept->end()};
}

// prod: net <- subnet <- web (created), plus an unrelated db (updated) and a staging machine.
const std::string kNet = "prod.sim.network[\"main\"]";
const std::string kSubnet = "prod.sim.subnet[\"a\"]";
const std::string kWeb = "prod.workers.sim.machine[\"web\"]";
const std::string kDb = "prod.sim.machine[\"db\"]";
const std::string kStaging = "staging.sim.machine[\"s\"]";

plan::Plan create_plan() {
  return plan_of({change(kNet, plan::Action::Create), change(kSubnet, plan::Action::Create, {kNet}),
                  change(kWeb, plan::Action::Create, {kSubnet}),
                  change(kDb, plan::Action::Update, {kNet}),
                  change(kStaging, plan::Action::Create)});
}

}  // namespace

TEST_CASE("targeting: the prefixes that select an address") {
  CHECK(plan::address_prefixes("prod.workers.sim.machine[\"a.b\"]") ==
        Strings{"prod", "prod.workers", "prod.workers.sim.machine"});
  CHECK(plan::address_prefixes("sim.machine[\"web\"]") == Strings{"sim.machine"});
  CHECK(plan::address_prefixes("prod.pools[\"d.b]\\\"\"].sim.machine[\"db-0\"]") ==
        Strings{"prod", "prod.pools", "prod.pools[\"d.b]\\\"\"]",
                "prod.pools[\"d.b]\\\"\"].sim.machine"});
  CHECK(plan::address_prefixes("no-brackets").empty());
  CHECK(plan::address_matches("prod", kWeb));
  CHECK(plan::address_matches("prod.workers", kWeb));
  CHECK(plan::address_matches("prod.workers.sim.machine", kWeb));
  CHECK(plan::address_matches(kWeb, kWeb));
  CHECK_FALSE(plan::address_matches("pro", kWeb));               // not at a segment boundary
  CHECK_FALSE(plan::address_matches("prod.workers.sim", kWeb));  // half a type
  CHECK_FALSE(plan::address_matches("prod.sim.machine", kWeb));  // machines directly under prod
  CHECK_FALSE(plan::address_matches("prod.workers.sim.machine[\"we", kWeb));
  CHECK_FALSE(plan::address_matches("prod.w", "prod.workers2.sim.machine[\"x\"]"));
}

TEST_CASE("targeting: a target keeps its dependencies, transitively") {
  plan::Plan p = create_plan();
  state::State none;
  CHECK(selected(p, none, {kWeb}) == Strings{kNet, kSubnet, kWeb});
  CHECK(selected(p, none, {kDb}) == Strings{kDb, kNet});
  // An instance path selects every resource under it, with what they need.
  CHECK(selected(p, none, {"prod.workers"}) == Strings{kNet, kSubnet, kWeb});
  CHECK(selected(p, none, {"staging"}) == Strings{kStaging});
  // Repeated targets add up.
  CHECK(selected(p, none, {"staging", kDb}) == Strings{kDb, kNet, kStaging});
}

TEST_CASE("targeting: an exclude drops its dependents, transitively") {
  plan::Plan p = create_plan();
  state::State none;
  CHECK(selected(p, none, {}, {kNet}) == Strings{kStaging});
  CHECK(selected(p, none, {}, {kSubnet}) == Strings{kDb, kNet, kStaging});
  CHECK(selected(p, none, {}, {"prod"}) == Strings{kStaging});
  // Exclusion wins over a target.
  CHECK(selected(p, none, {"prod"}, {kSubnet}) == Strings{kDb, kNet});
}

TEST_CASE("targeting: deletes follow the stored dependencies") {
  // Stored: web -> subnet -> net; the plan deletes all three (as kc destroy does).
  state::State prior;
  prior.upsert(stored(kNet));
  prior.upsert(stored(kSubnet, {kNet}));
  prior.upsert(stored(kWeb, {kSubnet}));
  plan::Plan p =
      plan_of({change(kNet, plan::Action::Delete), change(kSubnet, plan::Action::Delete, {kNet}),
               change(kWeb, plan::Action::Delete, {kSubnet})});
  // Deleting the subnet first needs its stored dependents gone; the network it uses stays.
  CHECK(selected(p, prior, {kSubnet}) == Strings{kSubnet, kWeb});
  CHECK(selected(p, prior, {kNet}) == Strings{kNet, kSubnet, kWeb});
  // Keeping the subnet keeps what it depends on: the network cannot be deleted under it.
  CHECK(selected(p, prior, {}, {kSubnet}) == Strings{kWeb});
  CHECK(selected(p, prior, {}, {kWeb}) == Strings{});
}

TEST_CASE("targeting: a replace needs its stored dependents replaced or deleted first") {
  state::State prior;
  prior.upsert(stored(kNet));
  prior.upsert(stored(kWeb, {kNet}));
  prior.upsert(stored(kDb, {kNet}));
  plan::Plan p =
      plan_of({change(kNet, plan::Action::Replace), change(kWeb, plan::Action::Replace, {kNet}),
               change(kDb, plan::Action::NoOp, {kNet})});
  // The web machine's replacement is deleted before the network's; the no-op db is not involved.
  CHECK(selected(p, prior, {kNet}) == Strings{kNet, kWeb});
  CHECK(selected(p, prior, {kWeb}) == Strings{kNet, kWeb});
}

TEST_CASE("targeting: an address that matches nothing is E0508 with a suggestion") {
  plan::Plan p = create_plan();
  diag::Diagnostics diags;
  plan::Plan before = p;
  CHECK_FALSE(plan::narrow_plan(p, {}, {{"prod.wrokers"}, {"nowhere"}}, diags));
  REQUIRE(diags.all().size() == 2);
  const diag::Diagnostic& typo = diags.all()[0];
  CHECK(typo.code == diag::Code::E0508);
  CHECK(typo.message ==
        "--target `prod.wrokers` matches no resource of the configuration or state");
  REQUIRE(!typo.notes.empty());
  CHECK(typo.notes[0] == "did you mean `prod.workers`?");
  CHECK(diags.all()[1].message.rfind("--exclude `nowhere`", 0) == 0);
  CHECK(p.changes.size() == before.changes.size());
}

TEST_CASE("targeting: narrow_plan keeps the selected changes, recounts and rebuilds the steps") {
  plan::Plan p = create_plan();
  diag::Diagnostics diags;
  REQUIRE(plan::narrow_plan(p, {}, {{kWeb}, {}}, diags));
  Strings addresses;
  for (const auto& c : p.changes)
    addresses.push_back(c.address);
  CHECK(addresses == Strings{kNet, kSubnet, kWeb});
  CHECK(p.summary.create == 3);
  CHECK(p.summary.update == 0);
  REQUIRE(p.steps.size() == 3);
  CHECK(p.steps[0].address == kNet);
  CHECK(p.steps[1].address == kSubnet);
  CHECK(p.steps[1].depends_on == std::vector<int>{0});
  CHECK(p.steps[2].address == kWeb);
  CHECK(p.steps[2].depends_on == std::vector<int>{1});
  // The partial plan is a warning, not an error.
  CHECK_FALSE(diags.has_errors());
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all()[0].code == diag::Code::E0509);
  CHECK(diags.all()[0].severity == diag::Severity::Warning);

  // An empty selection leaves the plan alone and warns about nothing.
  plan::Plan whole = create_plan();
  diag::Diagnostics quiet;
  REQUIRE(plan::narrow_plan(whole, {}, {}, quiet));
  CHECK(whole.changes.size() == 5);
  CHECK(quiet.empty());
}
