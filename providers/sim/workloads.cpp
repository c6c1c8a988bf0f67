// Nodes, pods and PodDisruptionBudgets: joining, draining, uncordoning and losing nodes.
#include "providers/sim/workloads.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "providers/sim/chance.h"
#include "providers/sim/sim_schema.h"

namespace kc::sim {
namespace {

using Json = nlohmann::ordered_json;

// The workloads every simulated cluster runs, and the budgets that cover them.
struct Workload {
  std::string_view name;
  bool budgeted;  // covered by a budget of the same name
};
constexpr Workload kWorkloads[] = {{"web", true}, {"api", true}, {"batch", false}};
constexpr int64_t kBudgetMaxUnavailable = 1;

void ensure_budgets(SimWorld& world, const std::string& cluster) {
  for (const Workload& workload : kWorkloads) {
    if (!workload.budgeted) continue;
    auto& budgets = world.budgets();
    bool exists = std::any_of(budgets.begin(), budgets.end(), [&](const SimBudget& b) {
      return b.cluster == cluster && b.name == workload.name;
    });
    if (exists) continue;
    budgets.push_back(SimBudget{std::string(workload.name), cluster, kBudgetMaxUnavailable});
    world.log("budget.create", std::string(workload.name),
              Json{{"cluster", cluster}, {"max_unavailable", kBudgetMaxUnavailable}});
  }
}

// The ready, uncordoned worker node of `cluster` other than `except` with the fewest pods (the
// lowest machine id among equals); nullptr when there is none.
const SimNode* target_node(const SimWorld& world, const std::string& cluster,
                           const std::string& except) {
  const SimNode* best = nullptr;
  size_t best_load = 0;
  for (const auto& [machine, node] : world.nodes()) {
    if (machine == except || node.cluster != cluster || !node.worker || node.cordoned) continue;
    if (world.find(machine) == nullptr) continue;  // not ready: its machine is gone
    size_t load =
        static_cast<size_t>(std::count_if(world.pods().begin(), world.pods().end(),
                                          [&](const SimPod& p) { return p.node == machine; }));
    if (best == nullptr || load < best_load) {
      best = &node;
      best_load = load;
    }
  }
  return best;
}

}  // namespace

int64_t unavailable_pods(const SimWorld& world, const std::string& cluster,
                         const std::string& budget) {
  return std::count_if(world.pods().begin(), world.pods().end(), [&](const SimPod& p) {
    return p.cluster == cluster && p.budget == budget && p.node.empty();
  });
}

void join_node(SimWorld& world, int64_t seed, const std::string& cluster, const SimObject& machine,
               bool worker) {
  if (world.nodes().count(machine.id) > 0) return;
  SimNode node;
  node.machine = machine.id;
  node.name = string_attribute(machine.attributes, "hostname");
  node.cluster = cluster;
  node.worker = worker;
  ensure_budgets(world, cluster);
  world.nodes()[machine.id] = node;
  world.log("node.join", machine.id,
            Json{{"node", node.name}, {"cluster", cluster}, {"worker", worker}, {"ready", true}});
  if (!worker) return;

  const std::string seed_text = std::to_string(seed);
  const uint64_t h = stable_hash({"pods", seed_text, cluster, machine.id});
  const int64_t count = 2 + static_cast<int64_t>(h % 2);
  for (int64_t i = 0; i < count; ++i) {
    const Workload& workload =
        kWorkloads[(h / 2 + static_cast<uint64_t>(i)) % std::size(kWorkloads)];
    SimPod pod;
    pod.name = std::string(workload.name) + "-" + std::to_string(world.pods().size() + 1);
    pod.cluster = cluster;
    pod.node = machine.id;
    if (workload.budgeted) pod.budget = std::string(workload.name);
    world.log("pod.create", pod.name,
              Json{{"cluster", cluster}, {"node", machine.id}, {"budget", pod.budget}});
    world.pods().push_back(std::move(pod));
  }
  for (SimPod& pod : world.pods()) {
    if (pod.cluster != cluster || !pod.node.empty()) continue;
    pod.node = machine.id;
    world.log("pod.schedule", pod.name,
              Json{{"cluster", cluster}, {"node", machine.id}, {"budget", pod.budget}});
  }
}

void remove_node(SimWorld& world, const std::string& machine, std::string_view reason) {
  auto it = world.nodes().find(machine);
  if (it == world.nodes().end()) return;
  const SimNode node = it->second;
  int64_t lost = 0;
  for (SimPod& pod : world.pods()) {
    if (pod.node != machine) continue;
    pod.node.clear();
    ++lost;
    world.log("pod.lost", pod.name,
              Json{{"cluster", pod.cluster}, {"node", machine}, {"budget", pod.budget}});
  }
  world.nodes().erase(it);
  world.log("node.remove", machine,
            Json{{"node", node.name},
                 {"cluster", node.cluster},
                 {"drained", node.cordoned},
                 {"pods_lost", lost},
                 {"reason", std::string(reason)}});
}

bool drain_node(SimContext& context, const std::string& machine) {
  SimWorld& world = context.world;
  if (world.has_flag(machine, kDrainBlocked)) {
    context
        .error("cannot drain machine `" + machine +
               "`: its drain is blocked in the simulated cloud (`kc sim block-drain`)")
        .with_note("`kc sim unblock-drain " + machine + "` lets the next apply drain it");
    return false;
  }
  auto it = world.nodes().find(machine);
  if (it == world.nodes().end()) return false;
  const std::string cluster = it->second.cluster;
  const std::string node_name = it->second.name;
  if (!it->second.cordoned) {
    it->second.cordoned = true;
    world.log("node.cordon", machine, Json{{"node", node_name}, {"cluster", cluster}});
  }
  // Budgets hold while the cluster runs, that is while it has a bootstrap (its control plane);
  // without one it is being torn down or bootstrapped anew, and evictions are not checked.
  bool enforced = false;
  for (const SimObject& bootstrap : world.objects(kBootstrapType))
    enforced = enforced || string_attribute(bootstrap.attributes, "cluster") == cluster;
  int64_t evicted = 0;
  for (size_t i = 0; i < world.pods().size(); ++i) {
    if (world.pods()[i].node != machine) continue;
    const SimNode* target = target_node(world, cluster, machine);
    SimPod& pod = world.pods()[i];
    if (target == nullptr && !pod.budget.empty() && enforced) {
      const int64_t unavailable = unavailable_pods(world, cluster, pod.budget);
      int64_t max = 0;
      for (const SimBudget& budget : world.budgets()) {
        if (budget.cluster == cluster && budget.name == pod.budget) max = budget.max_unavailable;
      }
      if (unavailable + 1 > max) {
        context
            .error("cannot drain machine `" + machine + "` (node `" + node_name +
                   "`): evicting pod `" + pod.name + "` would violate PodDisruptionBudget `" +
                   pod.budget + "` of cluster \"" + cluster + "\" (max_unavailable " +
                   std::to_string(max) + ", " + std::to_string(unavailable) +
                   " unavailable already, and no other ready node to run the pod)")
            .with_note("add a node to the cluster (or uncordon one) so the pod can move");
        context.retryable = true;  // as `kubectl drain`, which retries evictions a budget refuses
        return false;
      }
    }
    pod.node = target == nullptr ? std::string() : target->machine;
    ++evicted;
    world.log("pod.evict", pod.name,
              Json{{"cluster", cluster},
                   {"from", machine},
                   {"to", pod.node.empty() ? Json(nullptr) : Json(pod.node)},
                   {"budget", pod.budget}});
  }
  world.log("node.drain", machine,
            Json{{"node", node_name}, {"cluster", cluster}, {"pods_evicted", evicted}});
  return true;
}

bool uncordon_node(SimWorld& world, const std::string& machine) {
  auto it = world.nodes().find(machine);
  if (it == world.nodes().end() || !it->second.cordoned) return false;
  it->second.cordoned = false;
  world.log("node.uncordon", machine,
            Json{{"node", it->second.name}, {"cluster", it->second.cluster}});
  return true;
}

}  // namespace kc::sim
