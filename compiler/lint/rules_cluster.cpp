// Cluster shape: etcd quorum, control-plane and pool availability, rollout bounds of pools,
// autoscale bounds, drain timeouts and the protection of production clusters. Reads the evaluated
// `Cluster` instances of the exports and the resources the cluster lowered to; points at the field
// assignments in the source.
#include <fmt/format.h>

#include <map>
#include <set>

#include "compiler/lint/values.h"

namespace kc::lint {

namespace {

struct Pool {
  std::string name;
  const sdk::Value* value = nullptr;
  int64_t replicas = 0;
};

std::vector<Pool> pools_of(const sdk::Value& cluster) {
  std::vector<Pool> pools;
  const sdk::Value* map = value_at(cluster, {"node_pool"});
  if (map == nullptr || map->kind() != sdk::Kind::Map) return pools;
  for (const auto& [name, pool] : map->as_map()) {
    if (pool.kind() != sdk::Kind::Map) continue;
    pools.push_back(Pool{name, &pool, int_at(pool, {"replicas"}).value_or(0)});
  }
  return pools;
}

ValuePath pool_path(const Pool& pool, std::initializer_list<std::string_view> below) {
  ValuePath path = path_of({"node_pool", pool.name});
  ValuePath rest = path_of(below);
  return join(path, rest);
}

// Machines the cluster runs: control plane, pools and dedicated etcd machines.
int64_t machine_count(const sdk::Value& cluster) {
  int64_t count = int_at(cluster, {"control_plane", "replicas"}).value_or(0);
  for (const Pool& pool : pools_of(cluster))
    count += pool.replicas;
  const sdk::Value* pools = value_at(cluster, {"etcd", "pools"});
  bool dedicated =
      string_at(cluster, {"etcd", "topology"}).value_or("") == "external" &&
      (pools == nullptr || pools->kind() != sdk::Kind::List || pools->as_list().empty());
  if (dedicated) count += int_at(cluster, {"etcd", "members"}).value_or(0);
  return count;
}

void etcd_members(const Context& context, Reporter& out, const Instance& cluster) {
  std::optional<int64_t> members = int_at(*cluster.value, {"etcd", "members"});
  if (!members || *members < 1) return;
  int64_t n = *members;
  if (n % 2 == 0) {
    Location at = locate(context, cluster, path_of({"etcd", "members"}));
    out.report(Rule::EtcdEvenMembers, at.span,
               fmt::format("etcd has {} members: an even count tolerates no more failures than {}",
                           n, n - 1))
        .with_label(
            fmt::format("{} members keep working with {} lost, as {} do", n, (n - 1) / 2, n - 1))
        .with_note(fmt::format("etcd needs a majority ({} of {}) of its members up; use {} or {}",
                               n / 2 + 1, n, n - 1, n + 1));
    return;
  }
  int64_t machines = machine_count(*cluster.value);
  if (n == 1 && machines > 1) {
    Location at = locate(context, cluster, path_of({"etcd", "members"}));
    out.report(Rule::EtcdEvenMembers, at.span,
               fmt::format("a single etcd member in a cluster of {} machines", machines))
        .with_label("the cluster state is lost with this member's machine")
        .with_note("3 members keep working with one of them lost");
  }
}

void control_plane(const Context& context, Reporter& out, const Instance& cluster) {
  std::optional<int64_t> replicas = int_at(*cluster.value, {"control_plane", "replicas"});
  if (!replicas || *replicas != 1) return;
  int64_t machines = machine_count(*cluster.value);
  if (machines <= 1) return;  // a single-machine cluster cannot be highly available
  Location at = locate(context, cluster, path_of({"control_plane", "replicas"}));
  out.report(Rule::ControlPlaneNotHa, at.span,
             fmt::format("one control-plane machine in a cluster of {} machines", machines))
      .with_label("the Kubernetes API is down whenever this machine is")
      .with_note("run at least 2 control-plane replicas (3 when etcd is stacked on them)");
}

void pool_rollout(const Context& context, Reporter& out, const Instance& cluster,
                  const Pool& pool) {
  std::optional<int64_t> unavailable = int_at(*pool.value, {"upgrade", "max_unavailable"});
  if (!unavailable || pool.replicas <= 0 || *unavailable < pool.replicas) return;
  Location at = locate(context, cluster, pool_path(pool, {"upgrade", "max_unavailable"}));
  out.report(Rule::MaxUnavailableExceedsPool, at.span,
             fmt::format("`max_unavailable = {}` lets a rollout take down all {} machines of pool "
                         "`{}` at once",
                         *unavailable, pool.replicas, pool.name))
      .with_label(fmt::format("at most {} keeps one machine serving", pool.replicas - 1))
      .with_note("use `max_surge` to replace machines faster without losing capacity");
}

void pool_drain(const Context& context, Reporter& out, const Instance& cluster, const Pool& pool) {
  const sdk::Value* timeout = value_at(*pool.value, {"upgrade", "drain_timeout"});
  if (timeout == nullptr || timeout->kind() != sdk::Kind::Duration) return;
  if (timeout->as_duration().ms != 0 || pool.replicas <= 0) return;
  Location at = locate(context, cluster, pool_path(pool, {"upgrade", "drain_timeout"}));
  out.report(Rule::DrainTimeoutMissing, at.span,
             fmt::format("pool `{}` deletes replaced machines without draining them", pool.name))
      .with_label("with `0s` pods are killed instead of evicted")
      .with_note("give pools that run workloads a drain timeout, such as the default `5m`");
}

void autoscale(const Context& context, Reporter& out, const Instance& cluster, const Pool& pool) {
  const sdk::Value* bounds = value_at(*pool.value, {"autoscale"});
  if (bounds == nullptr || bounds->kind() != sdk::Kind::Map) return;
  std::optional<int64_t> low = int_at(*bounds, {"min"}), high = int_at(*bounds, {"max"});
  if (!low || !high) return;
  if (*low > *high) {
    Location at = locate(context, cluster, pool_path(pool, {"autoscale"}));
    out.report(Rule::AutoscaleBounds, at.span,
               fmt::format("pool `{}` autoscales between min {} and a smaller max {}", pool.name,
                           *low, *high));
    return;
  }
  if (pool.replicas >= *low && pool.replicas <= *high) return;
  Location at = locate(context, cluster, pool_path(pool, {"replicas"}));
  if (!at.exact) at = locate(context, cluster, pool_path(pool, {"autoscale"}));
  out.report(Rule::AutoscaleBounds, at.span,
             fmt::format("pool `{}` has {} replicas, outside its autoscale bounds [{}, {}]",
                         pool.name, pool.replicas, *low, *high))
      .with_label(fmt::format("the autoscaler moves it to {} as soon as it runs",
                              pool.replicas < *low ? *low : *high));
}

// `owner.type["label"]` -> label, when the address belongs to `owner`.
std::optional<std::string> label_under(const std::string& address, const std::string& owner) {
  if (address.rfind(owner + ".", 0) != 0) return std::nullopt;
  size_t open = address.find("[\"", owner.size() + 1);
  if (open == std::string::npos || address.size() < open + 4 ||
      address.compare(address.size() - 2, 2, "\"]") != 0) {
    return std::nullopt;
  }
  std::string_view between(address.data() + owner.size() + 1, open - owner.size() - 1);
  if (between.find('.') == std::string_view::npos) return std::nullopt;  // not `provider.kind`
  if (between.find('[') != std::string_view::npos) return std::nullopt;  // a nested owner
  return address.substr(open + 2, address.size() - open - 4);
}

// Zones of the pool's machines, read from the resources the cluster lowered to: machines are
// labelled `<pool>-<index>` and carry a `zone`.
std::map<std::string, int64_t> pool_zones(const Context& context, const Instance& cluster,
                                          const Pool& pool) {
  std::map<std::string, int64_t> zones;
  for (const eval::DesiredResource& resource : context.desired()->resources) {
    std::optional<std::string> label = label_under(resource.address, cluster.owner);
    if (!label || label->rfind(pool.name + "-", 0) != 0) continue;
    std::string_view index(label->data() + pool.name.size() + 1,
                           label->size() - pool.name.size() - 1);
    if (index.empty() || index.find_first_not_of("0123456789") != std::string_view::npos) continue;
    std::optional<std::string> zone = string_at(resource.attributes, {"zone"});
    if (zone) ++zones[*zone];
  }
  return zones;
}

void pool_zone(const Context& context, Reporter& out, const Instance& cluster, const Pool& pool) {
  if (pool.replicas < 2) return;
  std::map<std::string, int64_t> zones = pool_zones(context, cluster, pool);
  if (zones.size() != 1 || zones.begin()->second < 2) return;
  Location at = locate(context, cluster, path_of({"node_pool", pool.name}));
  const sdk::Value* listed = value_at(*cluster.value, {"zones"});
  size_t zone_count =
      listed != nullptr && listed->kind() == sdk::Kind::List ? listed->as_list().size() : 0;
  diag::Diagnostic& d =
      out.report(Rule::PoolSingleZone, at.span,
                 fmt::format("all {} machines of pool `{}` are in zone `{}`", zones.begin()->second,
                             pool.name, zones.begin()->first));
  d.with_label("the pool goes down with that zone");
  if (zone_count <= 1) {
    d.with_note("the cluster lists one zone; machines are spread over the cluster's `zones`");
  }
}

// The resources whose loss takes the cluster down: control-plane machines, dedicated etcd
// machines (role `etcd` alone) and etcd members.
bool guards_the_cluster(const eval::DesiredResource& resource) {
  if (resource.type == "sim.etcd_member") return true;
  if (resource.type != "sim.machine") return false;
  std::optional<std::string> role = string_at(resource.attributes, {"role"});
  if (!role) return false;
  if (*role == "etcd") return true;
  std::string_view roles = *role;
  while (!roles.empty()) {
    size_t comma = roles.find(',');
    if (roles.substr(0, comma) == "control-plane") return true;
    if (comma == std::string_view::npos) break;
    roles.remove_prefix(comma + 1);
  }
  return false;
}

void production_guard(const Context& context, Reporter& out, const Instance& cluster) {
  const sdk::Value* production = value_at(*cluster.value, {"production"});
  if (production == nullptr || production->kind() != sdk::Kind::Bool || !production->as_bool()) {
    return;
  }
  std::string prefix = cluster.owner + ".";
  int64_t unguarded = 0;
  std::string example;
  for (const eval::DesiredResource& resource : context.desired()->resources) {
    if (resource.address.rfind(prefix, 0) != 0 || !guards_the_cluster(resource)) continue;
    if (resource.lifecycle.prevent_destroy) continue;
    if (unguarded++ == 0) example = resource.address;
  }
  if (unguarded == 0) return;
  Location at = locate(context, cluster, path_of({"production"}));
  out.report(Rule::PreventDestroyProduction, at.span,
             fmt::format("production cluster `{}` does not protect its control plane and etcd "
                         "from deletion",
                         string_at(*cluster.value, {"name"}).value_or(cluster.owner)))
      .with_label("a production cluster needs `prevent_destroy = true`")
      .with_note(fmt::format(
          "{} of its resources lack `lifecycle {{ prevent_destroy = true }}` (control-plane "
          "machines, dedicated etcd machines and etcd members, such as `{}`); set "
          "`prevent_destroy = true` on the cluster",
          unguarded, example));
}

}  // namespace

void cluster_rules(const Context& context, Reporter& out) {
  for (const Instance& cluster : find_instances(context, context.prelude_schema("Cluster"))) {
    etcd_members(context, out, cluster);
    control_plane(context, out, cluster);
    production_guard(context, out, cluster);
    for (const Pool& pool : pools_of(*cluster.value)) {
      pool_rollout(context, out, cluster, pool);
      pool_drain(context, out, cluster, pool);
      autoscale(context, out, cluster, pool);
      pool_zone(context, out, cluster, pool);
    }
  }
}

}  // namespace kc::lint
