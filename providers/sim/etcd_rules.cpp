// sim.etcd_member: URL checks, the member's machine and its unique name, the member id, and the
// remove_member / wait_healthy actions on the cluster's member list (the members not removed).
#include <string>
#include <vector>

#include "providers/sdk/json.h"
#include "providers/sim/kind.h"
#include "providers/sim/pki.h"
#include "providers/sim/sim_schema.h"

namespace kc::sim {
namespace {

constexpr std::string_view kRemoved = "removed";

bool is_url(const std::string& text) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (text.size() > scheme.size() && text.compare(0, scheme.size(), scheme) == 0) return true;
  }
  return false;
}

// The members of etcd cluster `cluster` still in its member list.
std::vector<const SimObject*> active_members(const SimWorld& world, const std::string& cluster) {
  std::vector<const SimObject*> members;
  for (const SimObject& member : world.objects(kEtcdMemberType)) {
    if (string_attribute(member.attributes, "cluster") == cluster &&
        !world.has_flag(member.id, kRemoved)) {
      members.push_back(&member);
    }
  }
  return members;
}

class EtcdMemberKind final : public SimKind {
 public:
  EtcdMemberKind() : SimKind(kEtcdMemberType) {}

  void check_inputs(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) const override {
    for (const char* name : {"cluster", "name", "machine"})
      require_not_empty(address, known, name, diagnostics);
    for (const char* name : {"peer_url", "client_url"}) {
      const sdk::Value* url = known.find(name);
      if (url != nullptr && !is_url(url->as_string())) {
        address_error(diagnostics, address,
                      "attribute `" + std::string(name) +
                          "` must be an http:// or https:// URL, got \"" + url->as_string() + "\"");
      }
    }
  }

  sdk::Entries outputs(SimContext& context, const std::string& id, const sdk::Value& inputs,
                       const sdk::Value& prior) const override {
    const std::string cluster = string_attribute(inputs, "cluster");
    const std::string name = string_attribute(inputs, "name");
    if (prior.is_null()) {
      const std::string machine = string_attribute(inputs, "machine");
      if (context.world.find(kMachineType, machine) == nullptr) {
        context.error("machine `" + machine + "` does not exist in the simulated cloud");
      }
      for (const SimObject& other : context.world.objects(kEtcdMemberType)) {
        if (other.id != id && string_attribute(other.attributes, "cluster") == cluster &&
            string_attribute(other.attributes, "name") == name) {
          context.error("etcd cluster \"" + cluster + "\" already has a member named \"" + name +
                        "\" (`" + other.id + "`)");
        }
      }
    }
    return {{"member_id", pki::digest_hex({"etcd-member", cluster, name}).substr(0, 16)}};
  }

  bool run_action(SimContext& context, std::string_view action, const SimObject* member,
                  const sdk::Value& state, const sdk::Value& params) const override {
    if (action == "remove_member") {
      if (member == nullptr || context.world.has_flag(member->id, kRemoved)) return false;
      const std::string cluster = string_attribute(member->attributes, "cluster");
      if (active_members(context.world, cluster).size() <= 1) {
        context
            .error("refusing to remove the last member of etcd cluster \"" + cluster +
                   "\": the cluster would lose its data")
            .with_note("add a new member before removing this one");
        return false;
      }
      context.world.set_flag(member->id, kRemoved, true);
      context.world.log(
          "etcd_member.remove_member", member->id,
          {{"cluster", cluster},
           {"params", sdk::to_json(params.is_null() ? sdk::Value::map({}) : params)}});
      return true;
    }
    if (action == "wait_healthy") {
      const std::string cluster =
          string_attribute(member != nullptr ? member->attributes : state, "cluster");
      if (active_members(context.world, cluster).empty()) {
        context.error("etcd cluster \"" + cluster + "\" is not healthy: it has no members");
      }
      return false;
    }
    return SimKind::run_action(context, action, member, state, params);
  }
};

}  // namespace

const SimKind& etcd_member_kind() {
  static const EtcdMemberKind kind;
  return kind;
}

}  // namespace kc::sim
