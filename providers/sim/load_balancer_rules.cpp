// sim.load_balancer: name and port checks, subnet references, and its address and DNS name.
#include <string>

#include "providers/sim/addressing.h"
#include "providers/sim/kind.h"
#include "providers/sim/sim_schema.h"

namespace kc::sim {
namespace {

constexpr const char* kDnsSuffix = ".lb.sim.internal";

// A DNS label: 1 to 63 of [a-z0-9-], not starting or ending with `-`.
bool is_dns_label(const std::string& name) {
  if (name.empty() || name.size() > 63 || name.front() == '-' || name.back() == '-') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

class LoadBalancerKind final : public SimKind {
 public:
  LoadBalancerKind() : SimKind(kLoadBalancerType, {{"dns_name", {"name"}}}) {}

  void check_inputs(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) const override {
    if (const sdk::Value* name = known.find("name"); name && !is_dns_label(name->as_string())) {
      address_error(diagnostics, address,
                    "attribute `name` must be a DNS label (1 to 63 lowercase letters, digits and "
                    "`-`, not starting or ending with `-`), got \"" +
                        name->as_string() + "\"");
    }
    if (const sdk::Value* port = known.find("port")) {
      if (port->as_int() < 1 || port->as_int() > 65535) {
        address_error(
            diagnostics, address,
            "attribute `port` must be between 1 and 65535, got " + std::to_string(port->as_int()));
      }
    }
    if (const sdk::Value* subnets = known.find("subnets")) {
      for (const sdk::Value& subnet : subnets->as_list()) {
        if (subnet.as_string().empty()) {
          address_error(diagnostics, address, "attribute `subnets` holds an empty id");
        }
      }
    }
  }

  sdk::Entries outputs(SimContext& context, const std::string&, const sdk::Value& inputs,
                       const sdk::Value& prior) const override {
    const sdk::Value& subnets = attribute_or_null(inputs, "subnets");
    if (subnets.kind() == sdk::Kind::List) {
      for (const sdk::Value& subnet : subnets.as_list()) {
        if (context.world.find(kSubnetType, subnet.as_string()) == nullptr) {
          context.error("subnet `" + subnet.as_string() + "` does not exist in the simulated cloud")
              .with_note("create the `sim.subnet` first and use its `id`");
        }
      }
    }
    sdk::Value address = prior.is_null()
                             ? sdk::Value(load_balancer_address(context.world.counter(type())))
                             : attribute_or_null(prior, "address");
    return {{"address", address}, {"dns_name", string_attribute(inputs, "name") + kDnsSuffix}};
  }
};

}  // namespace

const SimKind& load_balancer_kind() {
  static const LoadBalancerKind kind;
  return kind;
}

}  // namespace kc::sim
