// sim.network and sim.subnet: range checks, the subnet's references to its network, and refusing
// to delete a network or subnet that is still in use (as a real cloud does).
#include <string>
#include <vector>

#include "providers/sim/addressing.h"
#include "providers/sim/kind.h"
#include "providers/sim/sim_schema.h"

namespace kc::sim {
namespace {

void check_network_address(const std::string& address, const sdk::Value& known,
                           diag::Diagnostics& diagnostics) {
  const sdk::Value* cidr = known.find("cidr");
  if (cidr == nullptr || is_network_address(cidr->as_cidr())) return;
  address_error(diagnostics, address,
                "attribute `cidr` must be written as its network address: " +
                    sdk::to_string(cidr->as_cidr()) + " has host bits set")
      .with_note("write " + sdk::to_string(network_of(cidr->as_cidr())));
}

// The cidr attribute of a stored object; nullopt (with an error) when a hand edit lost it.
std::optional<sdk::Cidr> stored_cidr(SimContext& context, const SimObject& object) {
  const sdk::Value& cidr = attribute_or_null(object.attributes, "cidr");
  if (cidr.kind() == sdk::Kind::Cidr) return cidr.as_cidr();
  context.error("`" + object.id + "` has no `cidr` in the simulated cloud");
  return std::nullopt;
}

class NetworkKind final : public SimKind {
 public:
  NetworkKind() : SimKind(kNetworkType) {}

  void check_inputs(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) const override {
    check_network_address(address, known, diagnostics);
    require_not_empty(address, known, "region", diagnostics);
  }

  sdk::Entries outputs(SimContext&, const std::string&, const sdk::Value&,
                       const sdk::Value&) const override {
    return {};
  }

  void before_delete(SimContext& context, const SimObject& network) const override {
    std::vector<std::string> subnets;
    for (const SimObject& subnet : context.world.objects(kSubnetType)) {
      if (string_attribute(subnet.attributes, "network") == network.id)
        subnets.push_back(subnet.id);
    }
    if (subnets.empty()) return;
    std::string list;
    for (const std::string& id : subnets)
      list += (list.empty() ? "`" : ", `") + id + "`";
    context.error("cannot delete network `" + network.id + "`: subnets " + list + " still use it")
        .with_note("delete the subnets first");
  }
};

class SubnetKind final : public SimKind {
 public:
  SubnetKind() : SimKind(kSubnetType) {}

  void check_inputs(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) const override {
    check_network_address(address, known, diagnostics);
    require_not_empty(address, known, "network", diagnostics);
    require_not_empty(address, known, "zone", diagnostics);
  }

  sdk::Entries outputs(SimContext& context, const std::string& id, const sdk::Value& inputs,
                       const sdk::Value&) const override {
    const std::string network_id = string_attribute(inputs, "network");
    const sdk::Cidr cidr = attribute_or_null(inputs, "cidr").as_cidr();
    const SimObject* network = context.world.find(kNetworkType, network_id);
    if (network == nullptr) {
      context.error("network `" + network_id + "` does not exist in the simulated cloud")
          .with_note("create the `sim.network` first and use its `id`");
      return {};
    }
    std::optional<sdk::Cidr> range = stored_cidr(context, *network);
    if (!range) return {};
    if (!contains(*range, cidr)) {
      context.error("subnet " + sdk::to_string(cidr) + " is not inside network `" + network_id +
                    "` (" + sdk::to_string(*range) + ")");
      return {};
    }
    for (const SimObject& other : context.world.objects(kSubnetType)) {
      if (other.id == id || string_attribute(other.attributes, "network") != network_id) continue;
      std::optional<sdk::Cidr> taken = stored_cidr(context, other);
      if (taken && overlaps(*taken, cidr)) {
        context.error("subnet " + sdk::to_string(cidr) + " overlaps subnet `" + other.id + "` (" +
                      sdk::to_string(*taken) + ") of network `" + network_id + "`");
      }
    }
    return {};
  }

  void before_delete(SimContext& context, const SimObject& subnet) const override {
    std::string users;
    for (const SimObject& machine : context.world.machines()) {
      if (string_attribute(machine.attributes, "subnet") == subnet.id) {
        users += (users.empty() ? "`" : ", `") + machine.id + "`";
      }
    }
    for (const SimObject& balancer : context.world.objects(kLoadBalancerType)) {
      const sdk::Value& subnets = attribute_or_null(balancer.attributes, "subnets");
      if (subnets.kind() != sdk::Kind::List) continue;
      for (const sdk::Value& item : subnets.as_list()) {
        if (item == sdk::Value(subnet.id)) {
          users += (users.empty() ? "`" : ", `") + balancer.id + "`";
          break;
        }
      }
    }
    if (users.empty()) return;
    context.error("cannot delete subnet `" + subnet.id + "`: " + users + " still use it")
        .with_note("delete or move what is attached to it first");
  }
};

}  // namespace

const SimKind& network_kind() {
  static const NetworkKind kind;
  return kind;
}

const SimKind& subnet_kind() {
  static const SubnetKind kind;
  return kind;
}

}  // namespace kc::sim
