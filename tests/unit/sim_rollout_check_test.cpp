// Unit tests of the rollout checker behind `kc sim check-rollout`, on hand-made event logs: one log
// that keeps every property, and one that breaks each property in turn.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "providers/sim/rollout_check.h"

namespace {

using namespace kc;
using Json = nlohmann::ordered_json;
using Bounds = std::map<std::string, sim::GroupBounds, std::less<>>;

struct Log {
  std::vector<sim::SimEvent> events;
  void add(int64_t run, const std::string& address, const std::string& kind, const std::string& id,
           Json details = Json::object()) {
    sim::SimEvent event;
    event.seq = static_cast<int64_t>(events.size()) + 1;
    event.run = run;
    event.address = address;
    event.kind = kind;
    event.id = id;
    event.details = std::move(details);
    events.push_back(std::move(event));
  }
};

const std::string kA = "sim.machine[\"a\"]";
const std::string kB = "sim.machine[\"b\"]";

Bounds pool(int64_t surge, int64_t unavailable) {
  return Bounds{{kA, {"pool", surge, unavailable}}, {kB, {"pool", surge, unavailable}}};
}

// Run 1 creates machines m-0001 (a) and m-0002 (b), each with a node.
Log created() {
  Log log;
  log.add(1, kA, "machine.create", "m-0001");
  log.add(1, kB, "machine.create", "m-0002");
  log.add(1, "sim.join[\"a\"]", "node.join", "m-0001");
  log.add(1, "sim.join[\"b\"]", "node.join", "m-0002");
  return log;
}

// Replaces the machine at `address` (old id `old`, new id `fresh`) new-first, draining the old.
void replace_surge(Log& log, const std::string& address, const std::string& old,
                   const std::string& fresh) {
  log.add(2, address, "machine.create", fresh);
  log.add(2, address, "node.drain", old);
  log.add(2, address, "machine.drain", old);
  log.add(2, address, "node.remove", old);
  log.add(2, address, "machine.delete", old);
}

std::vector<std::string> properties(const sim::RolloutReport& report) {
  std::vector<std::string> names;
  for (const sim::RolloutViolation& v : report.violations)
    names.push_back(v.property);
  return names;
}

Json membership(int64_t before, int64_t after) {
  return Json{{"cluster", "prod"}, {"members_before", before}, {"members_after", after}};
}

}  // namespace

TEST_CASE("check-rollout passes a surge rollout that drains before deleting") {
  Log log = created();
  replace_surge(log, kA, "m-0001", "m-0003");
  replace_surge(log, kB, "m-0002", "m-0004");
  sim::RolloutReport report = sim::check_rollout(log.events, pool(1, 0));
  CHECK(report.violations.empty());
  CHECK(report.replacements == 2);
  CHECK(report.machine_deletes == 2);
}

TEST_CASE("check-rollout names max_surge when two replacements overlap") {
  Log log = created();
  log.add(2, kA, "machine.create", "m-0003");
  log.add(2, kB, "machine.create", "m-0004");  // two surged at once, max_surge 1
  log.add(2, kA, "node.drain", "m-0001");
  log.add(2, kA, "machine.delete", "m-0001");
  log.add(2, kB, "node.drain", "m-0002");
  log.add(2, kB, "machine.delete", "m-0002");
  sim::RolloutReport report = sim::check_rollout(log.events, pool(1, 0));
  REQUIRE(properties(report) == std::vector<std::string>{"max_surge"});
  CHECK(report.violations[0].seq == 6);
  CHECK(report.violations[0].message.find("group `pool` had 2 members surged") !=
        std::string::npos);
  // The same log keeps a max_surge of 2.
  CHECK(sim::check_rollout(log.events, pool(2, 0)).violations.empty());
}

TEST_CASE("check-rollout names max_unavailable when two members are down at once") {
  Log log = created();
  log.add(2, kA, "node.drain", "m-0001");
  log.add(2, kB, "node.drain", "m-0002");  // both drained before either is replaced
  log.add(2, kA, "machine.delete", "m-0001");
  log.add(2, kB, "machine.delete", "m-0002");
  log.add(2, kA, "machine.create", "m-0003");
  log.add(2, kB, "machine.create", "m-0004");
  sim::RolloutReport report = sim::check_rollout(log.events, pool(0, 1));
  REQUIRE(properties(report) == std::vector<std::string>{"max_unavailable"});
  CHECK(report.violations[0].seq == 6);
  CHECK(sim::check_rollout(log.events, pool(0, 2)).violations.empty());
  // A scale-down (deleted, never created again in the run) makes nothing unavailable.
  Log shrink = created();
  shrink.add(2, kA, "node.drain", "m-0001");
  shrink.add(2, kB, "node.drain", "m-0002");
  shrink.add(2, kA, "machine.delete", "m-0001");
  shrink.add(2, kB, "machine.delete", "m-0002");
  CHECK(sim::check_rollout(shrink.events, pool(0, 0)).violations.empty());
}

TEST_CASE("check-rollout names drain_before_delete for a node deleted undrained") {
  Log log = created();
  log.add(2, kA, "machine.create", "m-0003");
  log.add(2, kA, "node.remove", "m-0001");
  log.add(2, kA, "machine.delete", "m-0001");  // no drain
  sim::RolloutReport report = sim::check_rollout(log.events, pool(1, 0));
  REQUIRE(properties(report) == std::vector<std::string>{"drain_before_delete"});
  CHECK(report.violations[0].message.find("machine `m-0001` (sim.machine[\"a\"])") !=
        std::string::npos);
  // An uncordon after the drain undoes it.
  Log undone = created();
  undone.add(2, kA, "node.drain", "m-0001");
  undone.add(2, kA, "node.uncordon", "m-0001");
  undone.add(2, kA, "machine.delete", "m-0001");
  CHECK(properties(sim::check_rollout(undone.events, {})) ==
        std::vector<std::string>{"drain_before_delete"});
  // A machine killed behind kc's back is no violation, nor is one that never had a node.
  Log killed = created();
  killed.add(0, "", "machine.kill", "m-0001");
  killed.add(0, "", "machine.delete", "m-0001");
  killed.add(3, "sim.machine[\"c\"]", "machine.create", "m-0009");
  killed.add(3, "sim.machine[\"c\"]", "machine.delete", "m-0009");
  CHECK(sim::check_rollout(killed.events, {}).violations.empty());
}

TEST_CASE("check-rollout names etcd_quorum when membership drops below a majority") {
  const std::string e0 = "sim.etcd_member[\"e-0\"]";
  const std::string e1 = "sim.etcd_member[\"e-1\"]";
  Bounds etcd{{e0, {"etcd", 0, 1}}, {e1, {"etcd", 0, 1}}};
  Log log;
  log.add(1, e0, "etcd_member.create", "etcd-0001");
  log.add(1, e0, "etcd_member.add", "etcd-0001", membership(0, 1));
  log.add(1, e1, "etcd_member.create", "etcd-0002");
  log.add(1, e1, "etcd_member.add", "etcd-0002", membership(1, 2));
  log.add(2, e0, "etcd_member.remove_member", "etcd-0001", membership(2, 1));  // 1 < 2 of 2
  log.add(2, e0, "etcd_member.delete", "etcd-0001");
  log.add(2, e0, "etcd_member.create", "etcd-0003");
  log.add(2, e0, "etcd_member.add", "etcd-0003", membership(1, 2));
  sim::RolloutReport report = sim::check_rollout(log.events, etcd);
  REQUIRE(properties(report) == std::vector<std::string>{"etcd_quorum"});
  CHECK(report.violations[0].seq == 5);
  CHECK(report.violations[0].message.find("from 2 to 1 members") != std::string::npos);
  CHECK(report.etcd_changes == 4);

  // 3 -> 2 -> 3 keeps a majority of 3 throughout.
  Log three;
  for (int i = 0; i < 3; ++i) {
    three.add(1, "e" + std::to_string(i), "etcd_member.add", "etcd-000" + std::to_string(i + 1),
              membership(i, i + 1));
  }
  three.add(2, "e0", "etcd_member.remove_member", "etcd-0001", membership(3, 2));
  three.add(2, "e0", "etcd_member.add", "etcd-0004", membership(2, 3));
  CHECK(sim::check_rollout(three.events, {}).violations.empty());

  // A run that removes the whole cluster (a destroy) is not a rollout.
  Log teardown = three;
  teardown.add(3, "e1", "etcd_member.remove_member", "etcd-0002", membership(3, 2));
  teardown.add(3, "e2", "etcd_member.remove_member", "etcd-0003", membership(2, 1));
  teardown.add(3, "e0", "etcd_member.remove_member", "etcd-0004", membership(1, 0));
  CHECK(sim::check_rollout(teardown.events, {}).violations.empty());
}
