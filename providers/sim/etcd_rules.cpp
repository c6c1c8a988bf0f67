// sim.etcd_member: URL checks, the member's machine and its unique name, the member id, and the
// remove_member / wait_healthy actions on the cluster's member list (the members not removed).
// Membership changes follow etcd's quorum rule: a change needs a majority of the current members
// healthy (their machine exists), and must leave a majority of the new membership healthy. Every
// change is logged with the membership size before and after it.
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

int64_t quorum(int64_t members) {
  return members / 2 + 1;
}

bool healthy(const SimWorld& world, const SimObject& member) {
  return world.find(kMachineType, string_attribute(member.attributes, "machine")) != nullptr;
}

int64_t healthy_count(const SimWorld& world, const std::vector<const SimObject*>& members) {
  int64_t n = 0;
  for (const SimObject* member : members)
    n += healthy(world, *member) ? 1 : 0;
  return n;
}

// Checks that `member` (active in `cluster`) may leave the membership and logs the removal; false
// with an error when it would break quorum. `last_allowed`: the last member may leave (the cluster
// is being deleted) rather than being refused.
bool remove_from_membership(SimContext& context, const SimObject& member,
                            const std::string& cluster, bool last_allowed,
                            nlohmann::ordered_json details) {
  const std::vector<const SimObject*> members = active_members(context.world, cluster);
  const int64_t size = static_cast<int64_t>(members.size());
  const int64_t up = healthy_count(context.world, members);
  const int64_t up_after = up - (healthy(context.world, member) ? 1 : 0);
  if (size <= 1 && !last_allowed) {
    context
        .error("refusing to remove the last member of etcd cluster \"" + cluster +
               "\": the cluster would lose its data")
        .with_note("add a new member before removing this one");
    return false;
  }
  if (size > 1 && (up < quorum(size) || up_after < quorum(size - 1))) {
    context
        .error("refusing to remove member `" + member.id + "` of etcd cluster \"" + cluster +
               "\": it would break quorum (" + std::to_string(up) + " of " + std::to_string(size) +
               " members healthy; " + std::to_string(up_after) + " of " + std::to_string(size - 1) +
               " would be, and " + std::to_string(quorum(size - 1)) + " are needed)")
        .with_note("replace the unhealthy members first, one at a time");
    return false;
  }
  context.world.set_flag(member.id, kRemoved, true);
  details["cluster"] = cluster;
  details["members_before"] = size;
  details["members_after"] = size - 1;
  details["healthy_after"] = up_after;
  context.world.log("etcd_member.remove_member", member.id, std::move(details));
  return true;
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

  // The new member joins the membership: the cluster needs quorum to accept it.
  void after_create(SimContext& context, const SimObject& member) const override {
    const std::string cluster = string_attribute(member.attributes, "cluster");
    std::vector<const SimObject*> others;
    for (const SimObject* other : active_members(context.world, cluster)) {
      if (other->id != member.id) others.push_back(other);
    }
    const int64_t size = static_cast<int64_t>(others.size());
    const int64_t up = healthy_count(context.world, others);
    if (size > 0 && up < quorum(size)) {
      context
          .error("cannot add a member to etcd cluster \"" + cluster + "\": it has lost quorum (" +
                 std::to_string(up) + " of " + std::to_string(size) + " members healthy, " +
                 std::to_string(quorum(size)) + " needed)")
          .with_note("a cluster without quorum cannot change its membership");
      return;
    }
    context.world.log("etcd_member.add", member.id,
                      {{"cluster", cluster},
                       {"name", string_attribute(member.attributes, "name")},
                       {"members_before", size},
                       {"members_after", size + 1},
                       {"healthy_after", up + (healthy(context.world, member) ? 1 : 0)}});
  }

  // Deleting a member that is still in the membership removes it from there first.
  void before_delete(SimContext& context, const SimObject& member) const override {
    if (context.world.has_flag(member.id, kRemoved)) return;
    remove_from_membership(context, member, string_attribute(member.attributes, "cluster"), true,
                           {{"on_delete", true}});
  }

  bool run_action(SimContext& context, std::string_view action, const SimObject* member,
                  const sdk::Value& state, const sdk::Value& params) const override {
    if (action == "remove_member") {
      if (member == nullptr || context.world.has_flag(member->id, kRemoved)) return false;
      const std::string cluster = string_attribute(member->attributes, "cluster");
      return remove_from_membership(
          context, *member, cluster, false,
          {{"params", sdk::to_json(params.is_null() ? sdk::Value::map({}) : params)}});
    }
    if (action == "wait_healthy") {
      const std::string cluster =
          string_attribute(member != nullptr ? member->attributes : state, "cluster");
      const std::vector<const SimObject*> members = active_members(context.world, cluster);
      const int64_t size = static_cast<int64_t>(members.size());
      const int64_t up = healthy_count(context.world, members);
      if (members.empty()) {
        context.error("etcd cluster \"" + cluster + "\" is not healthy: it has no members");
      } else if (up < quorum(size)) {
        context.error("etcd cluster \"" + cluster + "\" is not healthy: " + std::to_string(up) +
                      " of " + std::to_string(size) + " members are healthy, " +
                      std::to_string(quorum(size)) + " needed");
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
