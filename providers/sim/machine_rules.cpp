// sim.machine: value checks, address assignment (from the seed's block or from its subnet) and
// the drain / uncordon / wait_ready actions (a machine with a Kubernetes node drains it: see
// workloads.h), and losing the node when the machine is deleted.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "providers/sdk/json.h"
#include "providers/sim/addressing.h"
#include "providers/sim/kind.h"
#include "providers/sim/sim_schema.h"
#include "providers/sim/workloads.h"

namespace kc::sim {
namespace {

constexpr std::string_view kDrained = "drained";
constexpr std::string_view kRoles[] = {"control-plane", "worker", "etcd"};

void check_role(const std::string& address, const std::string& role,
                diag::Diagnostics& diagnostics) {
  std::set<std::string_view> seen;
  std::string_view rest = role;
  while (true) {
    size_t comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    bool known = std::find(std::begin(kRoles), std::end(kRoles), part) != std::end(kRoles);
    if (!known || !seen.insert(part).second) {
      address_error(diagnostics, address,
                    "attribute `role` must name each of \"control-plane\", \"worker\" and \"etcd\" "
                    "at most once, joined by commas; got \"" +
                        role + "\"");
      return;
    }
    if (comma == std::string_view::npos) return;
    rest = rest.substr(comma + 1);
  }
}

class MachineKind final : public SimKind {
 public:
  MachineKind() : SimKind(kMachineType) {}

  void check_inputs(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) const override {
    if (const sdk::Value* cpu = known.find("cpu")) {
      if (cpu->as_int() < kMinCpu || cpu->as_int() > kMaxCpu) {
        address_error(diagnostics, address,
                      "attribute `cpu` must be between " + std::to_string(kMinCpu) + " and " +
                          std::to_string(kMaxCpu) + ", got " + std::to_string(cpu->as_int()));
      }
    }
    if (const sdk::Value* memory = known.find("memory")) {
      if (memory->as_bytes().bytes < kMinMemoryBytes) {
        address_error(diagnostics, address,
                      "attribute `memory` must be at least " +
                          sdk::to_string(sdk::ByteSize{kMinMemoryBytes}) + ", got " +
                          sdk::to_string(memory->as_bytes()));
      }
    }
    if (const sdk::Value* disk = known.find("disk")) {
      if (disk->as_bytes().bytes < kMinDiskBytes) {
        address_error(diagnostics, address,
                      "attribute `disk` must be at least " +
                          sdk::to_string(sdk::ByteSize{kMinDiskBytes}) + ", got " +
                          sdk::to_string(disk->as_bytes()));
      }
    }
    for (const char* name : {"zone", "subnet", "image"})
      require_not_empty(address, known, name, diagnostics);
    if (const sdk::Value* labels = known.find("labels")) {
      for (const auto& [key, value] : labels->as_map()) {
        if (key.empty()) address_error(diagnostics, address, "attribute `labels` has an empty key");
      }
    }
    if (const sdk::Value* role = known.find("role"))
      check_role(address, role->as_string(), diagnostics);
  }

  sdk::Entries outputs(SimContext& context, const std::string&, const sdk::Value& inputs,
                       const sdk::Value& prior) const override {
    if (!prior.is_null()) {  // id, address and host name stay for the machine's life
      return {{"ip", attribute_or_null(prior, "ip")},
              {"hostname", attribute_or_null(prior, "hostname")}};
    }
    std::optional<sdk::IpAddress> ip;
    const std::string subnet_id = string_attribute(inputs, "subnet");
    if (subnet_id.empty()) {
      ip = machine_ip(context.world.counter(kMachineType), context.seed);
    } else {
      ip = subnet_address(context, subnet_id, string_attribute(inputs, "zone"));
      if (!ip) return {};
    }
    return {{"ip", *ip}, {"hostname", machine_hostname(*ip)}};
  }

  bool run_action(SimContext& context, std::string_view action, const SimObject* machine,
                  const sdk::Value& state, const sdk::Value& params) const override {
    nlohmann::ordered_json details = {
        {"params", sdk::to_json(params.is_null() ? sdk::Value::map({}) : params)}};
    if (action == "drain") {
      if (machine == nullptr) return false;  // nothing left to drain
      const size_t errors = context.diagnostics.error_count();
      drain_node(context, machine->id);
      if (context.diagnostics.error_count() > errors) return false;
      context.world.set_flag(machine->id, kDrained, true);
      context.world.log("machine.drain", machine->id, std::move(details));
      return true;
    }
    if (machine == nullptr) {
      context.error("cannot run `" + std::string(action) + "`: the machine no longer exists");
      return false;
    }
    if (action == "uncordon") {
      context.world.set_flag(machine->id, kDrained, false);
      uncordon_node(context.world, machine->id);
      context.world.log("machine.uncordon", machine->id, std::move(details));
      return true;
    }
    if (action == "wait_ready") return false;  // a machine that exists is ready
    return SimKind::run_action(context, action, machine, state, params);
  }

  void before_delete(SimContext& context, const SimObject& machine) const override {
    remove_node(context.world, machine.id, "delete");
  }

 private:
  // The first free address of subnet `subnet_id`, checking that it exists and is in `zone`.
  static std::optional<sdk::IpAddress> subnet_address(SimContext& context,
                                                      const std::string& subnet_id,
                                                      const std::string& zone) {
    const SimObject* subnet = context.world.find(kSubnetType, subnet_id);
    if (subnet == nullptr) {
      context.error("subnet `" + subnet_id + "` does not exist in the simulated cloud")
          .with_note("create the `sim.subnet` first and use its `id`");
      return std::nullopt;
    }
    const std::string subnet_zone = string_attribute(subnet->attributes, "zone");
    if (subnet_zone != zone) {
      context.error("the machine is in zone \"" + zone + "\" but subnet `" + subnet_id +
                    "` is in zone \"" + subnet_zone + "\"");
      return std::nullopt;
    }
    std::vector<sdk::IpAddress> used;
    for (const SimObject& other : context.world.machines()) {
      const sdk::Value& ip = attribute_or_null(other.attributes, "ip");
      if (string_attribute(other.attributes, "subnet") == subnet_id && ip.kind() == sdk::Kind::Ip) {
        used.push_back(ip.as_ip());
      }
    }
    const sdk::Value& cidr = attribute_or_null(subnet->attributes, "cidr");
    if (cidr.kind() != sdk::Kind::Cidr) {
      context.error("subnet `" + subnet_id + "` has no `cidr` in the simulated cloud");
      return std::nullopt;
    }
    const sdk::Cidr& range = cidr.as_cidr();
    std::optional<sdk::IpAddress> ip = first_free_host(range, used);
    if (!ip) {
      context.error("subnet `" + subnet_id + "` (" + sdk::to_string(range) +
                    ") has no free address left");
    }
    return ip;
  }
};

}  // namespace

const SimKind& machine_kind() {
  static const MachineKind kind;
  return kind;
}

}  // namespace kc::sim
