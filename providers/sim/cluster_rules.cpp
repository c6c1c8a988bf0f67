// sim.bootstrap, sim.join and sim.addon: the kubeadm-like steps of a simulated Kubernetes cluster,
// checked against the machines and the cluster's bootstrap in the world. A bootstrap or join gives
// its machine a Kubernetes node (workloads.h).
#include <string>
#include <vector>

#include "providers/sim/addressing.h"
#include "providers/sim/kind.h"
#include "providers/sim/pki.h"
#include "providers/sim/sim_schema.h"
#include "providers/sim/workloads.h"

namespace kc::sim {
namespace {

// The bootstraps of Kubernetes cluster `cluster`.
std::vector<const SimObject*> bootstraps_of(const SimWorld& world, const std::string& cluster) {
  std::vector<const SimObject*> found;
  for (const SimObject& bootstrap : world.objects(kBootstrapType)) {
    if (string_attribute(bootstrap.attributes, "cluster") == cluster) found.push_back(&bootstrap);
  }
  return found;
}

// Reports a cluster without a bootstrap; true when it has one.
bool check_bootstrapped(SimContext& context, const std::string& cluster) {
  if (!bootstraps_of(context.world, cluster).empty()) return true;
  context.error("cluster \"" + cluster + "\" has not been bootstrapped in the simulated cloud")
      .with_note(
          "create its `sim.bootstrap` first (refer to one of its attributes or use "
          "`depends_on`)");
  return false;
}

// True when the machine's comma-separated `role` is unset or includes `role`.
bool machine_has_role(const SimObject& machine, std::string_view role) {
  const std::string roles = string_attribute(machine.attributes, "role");
  if (roles.empty()) return true;
  size_t start = 0;
  while (true) {
    size_t comma = roles.find(',', start);
    if (std::string_view(roles).substr(start, comma - start) == role) return true;
    if (comma == std::string::npos) return false;
    start = comma + 1;
  }
}

// The machine named by input `machine`; reports it missing.
const SimObject* find_machine(SimContext& context, const sdk::Value& inputs) {
  const std::string id = string_attribute(inputs, "machine");
  const SimObject* machine = context.world.find(kMachineType, id);
  if (machine == nullptr) {
    context.error("machine `" + id + "` does not exist in the simulated cloud");
  }
  return machine;
}

// Gives the machine of a new bootstrap or join a node of its cluster. Its node takes pods when it
// joined as a worker or its machine's role names "worker" (a schedulable control plane).
void join_machine(SimContext& context, const SimObject& step, const std::string& join_role) {
  const SimObject* machine =
      context.world.find(kMachineType, string_attribute(step.attributes, "machine"));
  if (machine == nullptr) return;
  const SimObject copy = *machine;
  const bool worker =
      join_role == "worker" ||
      (!string_attribute(copy.attributes, "role").empty() && machine_has_role(copy, "worker"));
  join_node(context.world, context.seed, string_attribute(step.attributes, "cluster"), copy,
            worker);
}

void check_range(const std::string& address, const sdk::Value& known, std::string_view name,
                 diag::Diagnostics& diagnostics) {
  const sdk::Value* cidr = known.find(name);
  if (cidr != nullptr && !is_network_address(cidr->as_cidr())) {
    address_error(diagnostics, address,
                  "attribute `" + std::string(name) + "` must be written as its network address: " +
                      sdk::to_string(cidr->as_cidr()) + " has host bits set");
  }
}

class BootstrapKind final : public SimKind {
 public:
  BootstrapKind()
      : SimKind(kBootstrapType, {{"join_token", {"cluster"}}, {"ca_hash", {"cluster", "ca"}}}) {}

  void check_inputs(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) const override {
    for (const char* name : {"cluster", "machine", "endpoint", "ca"})
      require_not_empty(address, known, name, diagnostics);
    check_range(address, known, "pod_cidr", diagnostics);
    check_range(address, known, "service_cidr", diagnostics);
    const sdk::Value* pods = known.find("pod_cidr");
    const sdk::Value* services = known.find("service_cidr");
    if (pods != nullptr && services != nullptr && overlaps(pods->as_cidr(), services->as_cidr())) {
      address_error(diagnostics, address,
                    "`pod_cidr` " + sdk::to_string(pods->as_cidr()) + " overlaps `service_cidr` " +
                        sdk::to_string(services->as_cidr()));
    }
  }

  sdk::Entries outputs(SimContext& context, const std::string&, const sdk::Value& inputs,
                       const sdk::Value& prior) const override {
    const std::string cluster = string_attribute(inputs, "cluster");
    const std::string machine_id = string_attribute(inputs, "machine");
    if (prior.is_null()) {
      const SimObject* machine = find_machine(context, inputs);
      if (machine != nullptr && !machine_has_role(*machine, "control-plane")) {
        context.error("machine `" + machine_id + "` has role \"" +
                      string_attribute(machine->attributes, "role") +
                      "\", so it cannot bootstrap a cluster; it needs \"control-plane\"");
      }
    }
    const std::string ca = string_attribute(inputs, "ca");
    if (!ca.empty() && find_ca(context.world, ca) == nullptr) {
      context.error("no `sim.ca` with fingerprint `" + ca + "` exists in the simulated cloud");
    }
    return {{"join_token", pki::join_token({cluster, machine_id})},
            {"ca_hash", "sha256:" + pki::digest_hex({"ca-hash", cluster, ca})}};
  }

  void after_create(SimContext& context, const SimObject& bootstrap) const override {
    join_machine(context, bootstrap, "control-plane");
  }
};

class JoinKind final : public SimKind {
 public:
  JoinKind() : SimKind(kJoinType) {}

  void check_inputs(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) const override {
    for (const char* name : {"cluster", "machine", "endpoint", "token"})
      require_not_empty(address, known, name, diagnostics);
    const sdk::Value* role = known.find("role");
    if (role != nullptr && role->as_string() != "control-plane" && role->as_string() != "worker") {
      address_error(diagnostics, address,
                    "attribute `role` must be \"control-plane\" or \"worker\", got \"" +
                        role->as_string() + "\"");
    }
  }

  sdk::Entries outputs(SimContext& context, const std::string&, const sdk::Value& inputs,
                       const sdk::Value& prior) const override {
    const std::string cluster = string_attribute(inputs, "cluster");
    const std::string machine_id = string_attribute(inputs, "machine");
    const std::string role = string_attribute(inputs, "role");
    const SimObject* machine = prior.is_null() ? find_machine(context, inputs)
                                               : context.world.find(kMachineType, machine_id);
    if (machine != nullptr && !machine_has_role(*machine, role)) {
      context.error("machine `" + machine_id + "` has role \"" +
                    string_attribute(machine->attributes, "role") + "\", so it cannot join as \"" +
                    role + "\"");
    }
    if (check_bootstrapped(context, cluster)) {
      bool token_matches = false;
      for (const SimObject* bootstrap : bootstraps_of(context.world, cluster)) {
        if (string_attribute(bootstrap->attributes, "machine") == machine_id) {
          context.error("machine `" + machine_id + "` bootstrapped cluster \"" + cluster +
                        "\", so it is part of it already and cannot join it");
        }
        token_matches = token_matches || string_attribute(bootstrap->attributes, "join_token") ==
                                             string_attribute(inputs, "token");
      }
      if (!token_matches) {
        context.error("the join token is not the `join_token` of cluster \"" + cluster +
                      "\"'s bootstrap");
      }
    }
    if (!prior.is_null()) return {{"node_name", attribute_or_null(prior, "node_name")}};
    return {{"node_name", machine != nullptr
                              ? sdk::Value(string_attribute(machine->attributes, "hostname"))
                              : sdk::Value()}};
  }

  void after_create(SimContext& context, const SimObject& join) const override {
    join_machine(context, join, string_attribute(join.attributes, "role"));
  }
};

class AddonKind final : public SimKind {
 public:
  AddonKind() : SimKind(kAddonType) {}

  void check_inputs(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) const override {
    require_not_empty(address, known, "cluster", diagnostics);
    require_not_empty(address, known, "name", diagnostics);
  }

  sdk::Entries outputs(SimContext& context, const std::string& id, const sdk::Value& inputs,
                       const sdk::Value&) const override {
    const std::string cluster = string_attribute(inputs, "cluster");
    const std::string name = string_attribute(inputs, "name");
    check_bootstrapped(context, cluster);
    for (const SimObject& other : context.world.objects(kAddonType)) {
      if (other.id != id && string_attribute(other.attributes, "cluster") == cluster &&
          string_attribute(other.attributes, "name") == name) {
        context.error("cluster \"" + cluster + "\" already has addon \"" + name + "\" (`" +
                      other.id + "`)");
      }
    }
    return {};
  }
};

}  // namespace

const SimKind& bootstrap_kind() {
  static const BootstrapKind kind;
  return kind;
}

const SimKind& join_kind() {
  static const JoinKind kind;
  return kind;
}

const SimKind& addon_kind() {
  static const AddonKind kind;
  return kind;
}

}  // namespace kc::sim
