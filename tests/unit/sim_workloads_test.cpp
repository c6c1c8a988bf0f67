// Unit tests of the `sim` provider's Kubernetes nodes, pods and disruption budgets (joins give
// nodes, drains evict and may be refused), etcd quorum rules, run/address-stamped events, and
// fault injection (failure_rate, `kc sim fail` marks).
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "providers/sim/faults.h"
#include "providers/sim/sim_provider.h"
#include "providers/sim/workloads.h"
#include "providers/sim/world.h"
#include "providers/sim/world_store.h"
#include "tests/unit/sim_fixtures.h"
#include "tests/unit/temp_dir.h"

namespace {

using kc::test::address_of;
using kc::test::configure;
using kc::test::create_ok;
using kc::test::messages;
using kc::test::try_create;

// A temporary directory named after this test file.
struct TempDir : kc::test::TempDir {
  TempDir() : kc::test::TempDir("kc-sim-workloads") {}
};

using namespace kc;
using sdk::Value;

constexpr int64_t kGi = int64_t{1} << 30;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

sdk::ActionResponse act(sdk::Provider& provider, const std::string& type, const std::string& label,
                        const std::string& action, const Value& state) {
  return provider.run_action(
      sdk::ActionRequest{type, address_of(type, label), action, Value(), state});
}

sim::SimWorld world_of(const std::string& dir) {
  diag::Diagnostics diagnostics;
  std::optional<sim::SimWorld> world = sim::SimWorld::load(dir, diagnostics);
  REQUIRE_MESSAGE(world.has_value(), messages(diagnostics));
  return *world;
}

// Changes the world file as `kc sim` does.
void tamper(const std::string& dir, const std::function<void(sim::SimWorld&)>& change) {
  sim::WorldStore store(dir);
  diag::Diagnostics diagnostics;
  REQUIRE(store.modify(
      [&](sim::SimWorld& world, diag::Diagnostics&) {
        change(world);
        return true;
      },
      diagnostics));
}

Value machine(const char* role) {
  return Value::map(
      {{"cpu", 2}, {"memory", sdk::ByteSize{4 * kGi}}, {"zone", "a"}, {"role", role}});
}

std::string id_of(const Value& state) {
  return state.find("id")->as_string();
}

// A cluster "prod": a bootstrapped control-plane machine and `workers` joined worker machines.
struct Cluster {
  Value control_plane;
  std::vector<Value> workers;
};

Cluster make_cluster(sdk::Provider& provider, int workers) {
  Cluster cluster;
  Value ca = create_ok(provider, "sim.ca", "ca", Value::map({{"common_name", "kubernetes-ca"}}));
  cluster.control_plane = create_ok(provider, "sim.machine", "cp", machine("control-plane"));
  Value boot = create_ok(provider, "sim.bootstrap", "prod",
                         Value::map({{"cluster", "prod"},
                                     {"machine", id_of(cluster.control_plane)},
                                     {"endpoint", "api.prod.example:6443"},
                                     {"kubernetes", Value(*sdk::parse_version("v1.29.4"))},
                                     {"ca", *ca.find("fingerprint")}}));
  for (int i = 0; i < workers; ++i) {
    const std::string label = "w" + std::to_string(i);
    Value worker = create_ok(provider, "sim.machine", label, machine("worker"));
    create_ok(provider, "sim.join", label,
              Value::map({{"cluster", "prod"},
                          {"machine", id_of(worker)},
                          {"endpoint", "api.prod.example:6443"},
                          {"token", *boot.find("join_token")},
                          {"role", "worker"},
                          {"kubernetes", Value(*sdk::parse_version("v1.29.4"))}}));
    cluster.workers.push_back(worker);
  }
  return cluster;
}

size_t pods_on(const sim::SimWorld& world, const std::string& machine) {
  size_t n = 0;
  for (const sim::SimPod& pod : world.pods())
    n += pod.node == machine ? 1 : 0;
  return n;
}

size_t events_of(const sim::SimWorld& world, const std::string& kind) {
  size_t n = 0;
  for (const sim::SimEvent& event : world.events())
    n += event.kind == kind ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("sim joins give machines nodes, and worker nodes pods under budgets") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Cluster cluster = make_cluster(provider, 3);
  sim::SimWorld world = world_of(dir.path);
  REQUIRE(world.nodes().size() == 4);
  const sim::SimNode& cp = world.nodes().at(id_of(cluster.control_plane));
  CHECK(cp.cluster == "prod");
  CHECK_FALSE(cp.worker);
  CHECK(pods_on(world, cp.machine) == 0);
  for (const Value& worker : cluster.workers) {
    const sim::SimNode& node = world.nodes().at(id_of(worker));
    CHECK(node.worker);
    CHECK(node.name == worker.find("hostname")->as_string());
    CHECK(pods_on(world, node.machine) >= 2);
    CHECK(pods_on(world, node.machine) <= 3);
  }
  REQUIRE(world.budgets().size() == 2);
  CHECK(world.budgets()[0].name == "web");
  CHECK(world.budgets()[0].max_unavailable == 1);
  CHECK(events_of(world, "node.join") == 4);
  // Events carry the run and the address of the change that made them.
  for (const sim::SimEvent& event : world.events()) {
    if (event.kind != "node.join" || event.id != id_of(cluster.workers[1])) continue;
    CHECK(event.run == 1);
    CHECK(event.address == "sim.join[\"w1\"]");
  }
  // The same seed places the same pods; the world round-trips through its file.
  TempDir again;
  sim::SimProvider other;
  configure(other, again.path);
  make_cluster(other, 3);
  sim::SimWorld twin = world_of(again.path);
  REQUIRE(twin.pods().size() == world.pods().size());
  for (size_t i = 0; i < world.pods().size(); ++i) {
    CHECK(twin.pods()[i].name == world.pods()[i].name);
    CHECK(twin.pods()[i].node == world.pods()[i].node);
    CHECK(twin.pods()[i].budget == world.pods()[i].budget);
  }
}

TEST_CASE("sim drains evict pods to other nodes and stop at a disruption budget") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Cluster cluster = make_cluster(provider, 3);
  const std::string w0 = id_of(cluster.workers[0]);
  const std::string w1 = id_of(cluster.workers[1]);
  const std::string w2 = id_of(cluster.workers[2]);
  const size_t total = world_of(dir.path).pods().size();

  sdk::ActionResponse drained = act(provider, "sim.machine", "w0", "drain", cluster.workers[0]);
  REQUIRE_MESSAGE(drained.diagnostics.empty(), messages(drained.diagnostics));
  sim::SimWorld world = world_of(dir.path);
  CHECK(world.nodes().at(w0).cordoned);
  CHECK(pods_on(world, w0) == 0);
  CHECK(pods_on(world, w1) + pods_on(world, w2) == total);
  CHECK(events_of(world, "node.cordon") == 1);
  CHECK(events_of(world, "node.drain") == 1);
  CHECK(events_of(world, "pod.evict") >= 2);
  CHECK(events_of(world, "machine.drain") == 1);

  REQUIRE(act(provider, "sim.machine", "w1", "drain", cluster.workers[1]).diagnostics.empty());
  CHECK(pods_on(world_of(dir.path), w2) == total);
  // Every pod is on w2 now, and no ready uncordoned worker is left to take them: at least three
  // are under the two budgets (a node has at most one unbudgeted pod), so one budget has two
  // pods, and evicting both would leave 2 pending with max_unavailable 1.
  sdk::ActionResponse blocked = act(provider, "sim.machine", "w2", "drain", cluster.workers[2]);
  REQUIRE(blocked.diagnostics.has_errors());
  CHECK(blocked.retryable);  // a node may join meanwhile
  CHECK(contains(messages(blocked.diagnostics), "would violate PodDisruptionBudget `"));
  CHECK(contains(messages(blocked.diagnostics), "of cluster \"prod\" (max_unavailable 1"));
  // The refused drain changed nothing.
  world = world_of(dir.path);
  CHECK_FALSE(world.nodes().at(w2).cordoned);
  CHECK(pods_on(world, w2) == total);
  for (const sim::SimPod& pod : world.pods())
    CHECK_FALSE(pod.node.empty());

  // Once another node takes pods again, the drain goes through.
  REQUIRE(act(provider, "sim.machine", "w0", "uncordon", cluster.workers[0]).diagnostics.empty());
  REQUIRE(act(provider, "sim.machine", "w2", "drain", cluster.workers[2]).diagnostics.empty());
  world = world_of(dir.path);
  CHECK(pods_on(world, w0) == total);
  CHECK(events_of(world, "node.uncordon") == 1);

  // Deleting a machine loses its node; its pods wait for a node, then run on the next one.
  sdk::ApplyResponse deleted = provider.apply_change(sdk::ApplyRequest{
      "sim.machine", address_of("sim.machine", "w0"), cluster.workers[0], Value(), ""});
  REQUIRE_MESSAGE(deleted.diagnostics.empty(), messages(deleted.diagnostics));
  world = world_of(dir.path);
  CHECK(world.nodes().count(w0) == 0);
  CHECK(events_of(world, "pod.lost") == total);
  for (const sim::SimPod& pod : world.pods())
    CHECK(pod.node.empty());
}

TEST_CASE("sim block-drain marks make drains fail until cleared") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Cluster cluster = make_cluster(provider, 2);
  const std::string w0 = id_of(cluster.workers[0]);
  tamper(dir.path, [&](sim::SimWorld& world) { world.set_flag(w0, sim::kDrainBlocked, true); });
  sdk::ActionResponse blocked = act(provider, "sim.machine", "w0", "drain", cluster.workers[0]);
  REQUIRE(blocked.diagnostics.has_errors());
  CHECK(contains(messages(blocked.diagnostics), "its drain is blocked"));
  CHECK_FALSE(blocked.retryable);
  CHECK_FALSE(world_of(dir.path).nodes().at(w0).cordoned);
  tamper(dir.path, [&](sim::SimWorld& world) { world.set_flag(w0, sim::kDrainBlocked, false); });
  CHECK(act(provider, "sim.machine", "w0", "drain", cluster.workers[0]).diagnostics.empty());
}

TEST_CASE("sim etcd membership changes keep quorum and log the membership size") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  std::vector<Value> machines;
  std::vector<Value> members;
  for (int i = 0; i < 3; ++i) {
    const std::string label = "e" + std::to_string(i);
    machines.push_back(create_ok(provider, "sim.machine", label, machine("etcd")));
    members.push_back(create_ok(provider, "sim.etcd_member", label,
                                Value::map({{"cluster", "prod"},
                                            {"name", label},
                                            {"machine", id_of(machines.back())},
                                            {"peer_url", "https://10.0.0.1:2380"},
                                            {"client_url", "https://10.0.0.1:2379"}})));
  }
  sim::SimWorld world = world_of(dir.path);
  const sim::SimEvent& added = world.events().back();
  CHECK(added.kind == "etcd_member.add");
  CHECK(added.details["members_before"] == 2);
  CHECK(added.details["members_after"] == 3);

  // e0's machine dies: 2 of 3 healthy. Removing the healthy e1 would leave 1 of 2: refused.
  REQUIRE(provider
              .apply_change(sdk::ApplyRequest{"sim.machine", address_of("sim.machine", "e0"),
                                              machines[0], Value(), ""})
              .diagnostics.empty());
  sdk::ActionResponse refused = act(provider, "sim.etcd_member", "e1", "remove_member", members[1]);
  REQUIRE(refused.diagnostics.has_errors());
  CHECK(contains(messages(refused.diagnostics), "it would break quorum (2 of 3 members healthy"));
  // Removing the dead e0 leaves 2 of 2: allowed, and logged with the sizes.
  sdk::ActionResponse removed = act(provider, "sim.etcd_member", "e0", "remove_member", members[0]);
  REQUIRE_MESSAGE(removed.diagnostics.empty(), messages(removed.diagnostics));
  world = world_of(dir.path);
  CHECK(world.events().back().kind == "etcd_member.remove_member");
  CHECK(world.events().back().details["members_before"] == 3);
  CHECK(world.events().back().details["members_after"] == 2);
  CHECK(act(provider, "sim.etcd_member", "e1", "wait_healthy", members[1]).diagnostics.empty());
}

TEST_CASE("sim failure_rate fails calls retryably, deterministically, without changing the world") {
  auto pattern = [](int64_t seed, double percent) {
    TempDir dir;
    sim::SimProvider provider;
    configure(provider, dir.path,
              Value::map({{"seed", seed}, {"failure_rate", sdk::Percent{percent}}}));
    std::string outcomes;
    size_t made = 0;
    for (int i = 0; i < 24; ++i) {
      sdk::ApplyResponse applied =
          try_create(provider, "sim.machine", "m" + std::to_string(i % 4), machine("worker"));
      if (applied.diagnostics.has_errors()) {
        CHECK(applied.retryable);
        CHECK(applied.state.is_null());
        CHECK(contains(messages(applied.diagnostics), "simulated transient failure"));
        outcomes += 'x';
      } else {
        ++made;
        outcomes += '.';
      }
    }
    CHECK(world_of(dir.path).machines().size() == made);
    return outcomes;
  };
  const std::string half = pattern(7, 50);
  CHECK(half == pattern(7, 50));
  CHECK(half != pattern(8, 50));
  CHECK(half.find('x') != std::string::npos);
  CHECK(half.find('.') != std::string::npos);
  CHECK(pattern(7, 100) == std::string(24, 'x'));
  CHECK(pattern(7, 0) == std::string(24, '.'));

  TempDir dir;
  sim::SimProvider provider;
  diag::Diagnostics bad = provider.configure(
      sdk::ConfigureRequest{Value::map({{"failure_rate", sdk::Percent{150}}}), dir.path});
  CHECK(contains(messages(bad), "`failure_rate` must be a percent from 0% to 100%"));
}

TEST_CASE("sim fail marks make the next operation fail permanently, once") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  const std::string address = address_of("sim.machine", "web");
  tamper(dir.path, [&](sim::SimWorld& world) { world.set_flag(address, sim::kFailFlag, true); });
  sdk::ApplyResponse failed = try_create(provider, "sim.machine", "web", machine("worker"));
  REQUIRE(failed.diagnostics.has_errors());
  CHECK_FALSE(failed.retryable);
  CHECK(contains(messages(failed.diagnostics), "injected with `kc sim fail " + address + "`"));
  sim::SimWorld world = world_of(dir.path);
  CHECK(world.machines().empty());
  CHECK_FALSE(world.has_flag(address, sim::kFailFlag));
  Value made = create_ok(provider, "sim.machine", "web", machine("worker"));

  // A mark on an id fails that object's next action.
  tamper(dir.path, [&](sim::SimWorld& w) { w.set_flag(id_of(made), sim::kFailFlag, true); });
  sdk::ActionResponse action = act(provider, "sim.machine", "web", "drain", made);
  REQUIRE(action.diagnostics.has_errors());
  CHECK(contains(messages(action.diagnostics), "simulated permanent failure of `drain`"));
  CHECK(events_of(world_of(dir.path), "machine.drain") == 0);
  CHECK(act(provider, "sim.machine", "web", "drain", made).diagnostics.empty());
}
