// The `sim` provider's schema, written out as data: configuration and the infrastructure kinds
// (the cluster kinds are in cluster_schema.cpp).
#include "providers/sim/sim_schema.h"

#include <cstdlib>

#include "providers/sim/schema_builder.h"

namespace kc::sim {

namespace schema_builder {

std::vector<sdk::ResourceSchema> infrastructure_schemas() {
  std::vector<sdk::ResourceSchema> kinds;

  sdk::ResourceSchema machine;
  machine.type = std::string(kMachineType);
  machine.doc = "A simulated virtual machine.";
  machine.attributes = {
      required("cpu", of(Kind::Int), "Number of virtual CPUs, 1 to 512."),
      required("memory", of(Kind::Bytes), "Memory size, at least 512Mi."),
      replaces(
          required("zone", of(Kind::String),
                   "Availability zone the machine runs in. Changing it replaces the machine.")),
      optional("disk", of(Kind::Bytes),
               "Size of the root disk, at least 1Gi. Changing it resizes the disk in place."),
      replaces(optional("subnet", of(Kind::String),
                        "Id of the `sim.subnet` the machine is attached to (`sub-0001`). The "
                        "machine's address then comes from the subnet, and its zone must be the "
                        "subnet's. Changing it replaces the machine.")),
      replaces(optional("image", of(Kind::String),
                        "Boot image, such as \"kubernetes-v1.29.4\". Changing it replaces the "
                        "machine.")),
      optional("labels", map_of(Kind::String),
               "Free-form labels, recorded on the machine (keys must not be empty)."),
      optional("role", of(Kind::String),
               "What the machine is for: \"control-plane\", \"worker\", \"etcd\", or several "
               "joined by commas such as \"etcd,control-plane\". Joins and bootstraps check it."),
      output("id", of(Kind::String),
             "Identifier assigned by the simulated cloud, such as `m-0001`."),
      output("ip", of(Kind::Ip),
             "Private IPv4 address assigned by the simulated cloud, in 10.0.0.0/8, or from the "
             "subnet when `subnet` is set."),
      output("hostname", of(Kind::String),
             "Host name derived from the address, such as `ip-10-0-0-1`; joins use it as the "
             "Kubernetes node name."),
  };
  const sdk::AttributeSchema timeout =
      optional("timeout", of(Kind::Duration),
               "How long to wait at most; the simulation finishes at once. At least 0s.");
  machine.actions = {
      action("drain",
             "Cordons the machine's node and evicts its pods, so it can be deleted or replaced "
             "safely. Recorded in the world (`machine.drain`); a machine that is already gone "
             "needs no draining.",
             {timeout, optional("ignore_daemonsets", of(Kind::Bool),
                                "Drain even though daemon-set pods cannot be evicted (as `kubectl "
                                "drain --ignore-daemonsets`).")}),
      action("uncordon",
             "Makes a drained machine's node schedulable again (`machine.uncordon`). Fails when "
             "the machine does not exist."),
      action("wait_ready", "Waits until the machine is up; fails when it does not exist.",
             {timeout}),
  };
  kinds.push_back(std::move(machine));

  sdk::ResourceSchema network;
  network.type = std::string(kNetworkType);
  network.doc = "A simulated private network (a VPC) that subnets are carved from.";
  network.attributes = {
      replaces(required("cidr", of(Kind::Cidr),
                        "Address range of the network, written as its network address "
                        "(10.0.0.0/16). Changing it replaces the network.")),
      replaces(required("region", of(Kind::String),
                        "Region the network lives in. Changing it replaces the network.")),
      output("id", of(Kind::String),
             "Identifier assigned by the simulated cloud, such as `net-0001`."),
  };
  kinds.push_back(std::move(network));

  sdk::ResourceSchema subnet;
  subnet.type = std::string(kSubnetType);
  subnet.doc =
      "A simulated subnet of a `sim.network` in one zone; machines attached to it take their "
      "addresses from it.";
  subnet.attributes = {
      replaces(required("network", of(Kind::String),
                        "Id of the `sim.network` it belongs to (`net-0001`); it must exist when "
                        "the subnet is created. Changing it replaces the subnet.")),
      replaces(required("cidr", of(Kind::Cidr),
                        "Address range, inside the network's and overlapping no other subnet of "
                        "it. Changing it replaces the subnet.")),
      replaces(required("zone", of(Kind::String),
                        "Availability zone of the subnet; its machines must be in the same zone. "
                        "Changing it replaces the subnet.")),
      output("id", of(Kind::String),
             "Identifier assigned by the simulated cloud, such as `sub-0001`."),
  };
  kinds.push_back(std::move(subnet));

  sdk::ResourceSchema load_balancer;
  load_balancer.type = std::string(kLoadBalancerType);
  load_balancer.doc =
      "A simulated TCP load balancer, such as the one in front of the Kubernetes API servers.";
  load_balancer.attributes = {
      required("name", of(Kind::String),
               "Name, a DNS label (lowercase letters, digits and `-`); it makes the DNS name. "
               "Changing it updates the load balancer and its `dns_name`."),
      optional("subnets", list_of(Kind::String),
               "Ids of the `sim.subnet`s it is reachable from; each must exist."),
      required("port", of(Kind::Int), "TCP port it listens on, 1 to 65535."),
      optional("targets", list_of(Kind::Ip), "Addresses it forwards connections to."),
      output("id", of(Kind::String),
             "Identifier assigned by the simulated cloud, such as `lb-0001`."),
      output("address", of(Kind::Ip),
             "Address assigned by the simulated cloud, from the fixed block 172.31.0.0/16."),
      output("dns_name", of(Kind::String), "DNS name, `<name>.lb.sim.internal`."),
  };
  kinds.push_back(std::move(load_balancer));
  return kinds;
}

}  // namespace schema_builder

namespace {

using namespace schema_builder;

sdk::ProviderSchema build() {
  sdk::ProviderSchema schema;
  schema.name = std::string(kProviderName);
  schema.config = {
      optional("latency", of(Kind::Duration),
               "How long every create, update, delete and action takes, to make the simulation "
               "feel like a real cloud. Defaults to 0s."),
      optional("seed", of(Kind::Int),
               "Chooses the block of addresses machines get; the same seed and the same history "
               "give the same ids and addresses. Defaults to 1. Also drives pod placement and "
               "`failure_rate`."),
      optional("failure_rate", of(Kind::Percent),
               "Share of creates, updates, deletes and actions that fail with a transient "
               "(retryable) error before changing anything, such as 10%. Which calls fail follows "
               "from the seed, the address and the attempt, so a run can be replayed. Defaults to "
               "0%."),
  };
  schema.resources = infrastructure_schemas();
  for (sdk::ResourceSchema& kind : cluster_schemas())
    schema.resources.push_back(std::move(kind));
  return schema;
}

}  // namespace

const KindNames* kind_names(std::string_view type) {
  for (const KindNames& names : kKinds) {
    if (names.type == type) return &names;
  }
  return nullptr;
}

const sdk::ProviderSchema& sim_schema() {
  static const sdk::ProviderSchema schema = build();
  return schema;
}

const sdk::ResourceSchema& machine_schema() {
  return resource_schema(kMachineType);
}

const sdk::ResourceSchema& resource_schema(std::string_view type) {
  const sdk::ResourceSchema* schema = sim_schema().find(type);
  if (schema == nullptr) std::abort();  // a k...Type constant without a schema: a bug here
  return *schema;
}

}  // namespace kc::sim
