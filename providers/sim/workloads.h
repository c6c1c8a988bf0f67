// The Kubernetes side of the simulated cloud: nodes (one per machine that joined or bootstrapped a
// cluster), pods placed on worker nodes, and PodDisruptionBudgets that limit how many pods of a
// workload may be unavailable at once. A drain cordons the node and evicts its pods to the other
// ready, uncordoned worker nodes of the cluster; it is refused when an eviction would leave more
// pods of a budget unavailable (pending, with no node to run on) than the budget allows.
#pragma once

#include <string>
#include <string_view>

#include "providers/sim/kind.h"
#include "providers/sim/world.h"

namespace kc::sim {

// A machine flag set by `kc sim block-drain`: drains of the machine fail until it is cleared.
inline constexpr std::string_view kDrainBlocked = "drain-blocked";

// Machine `machine` joined `cluster` (a sim.join or sim.bootstrap was created): it gets a ready
// node (`node.join`). The cluster's budgets are made with its first node; a worker node gets a few
// new pods (how many and of which workload follows from `seed` and the machine's id), and every
// pending pod of the cluster is scheduled onto it (`pod.schedule`). Nothing happens when the
// machine has a node already.
void join_node(SimWorld& world, int64_t seed, const std::string& cluster, const SimObject& machine,
               bool worker);

// The node of machine `machine` goes away (the machine is deleted or killed): its pods become
// pending (`pod.lost`) and the node is removed (`node.remove`, recording whether it was drained).
// No-op for a machine without a node.
void remove_node(SimWorld& world, const std::string& machine, std::string_view reason);

// Drains the node of machine `machine`: cordons it (`node.cordon`), evicts each pod to the least
// loaded other ready, uncordoned worker node of its cluster, or leaves it pending when there is
// none (`pod.evict`), then logs `node.drain`. Errors (through `context`) when the machine's drain
// is blocked (permanent) or an eviction would break a budget (retryable, as `kubectl drain` retries
// such evictions: a node may join meanwhile); the caller then discards the changed world. Budgets
// are enforced only while the cluster has a sim.bootstrap (a cluster being torn down has none).
// Returns false when the machine has no node (nothing to drain).
bool drain_node(SimContext& context, const std::string& machine);

// Makes the node of `machine` schedulable again (`node.uncordon`); false when it has no node or is
// not cordoned.
bool uncordon_node(SimWorld& world, const std::string& machine);

// How many pods of `budget` in `cluster` are unavailable (pending) now.
int64_t unavailable_pods(const SimWorld& world, const std::string& cluster,
                         const std::string& budget);

}  // namespace kc::sim
