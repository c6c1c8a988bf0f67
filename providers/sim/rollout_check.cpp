// Replays the event log and checks surge, unavailability, drains and etcd quorum (rollout_check.h).
#include "providers/sim/rollout_check.h"

#include <set>
#include <utility>

#include "providers/sim/sim_schema.h"

namespace kc::sim {
namespace {

// "machine.create" -> true when `suffix` is "create" and "machine" is a kind's event name.
bool object_event(const std::string& kind, std::string_view suffix) {
  const size_t dot = kind.find('.');
  if (dot == std::string::npos || std::string_view(kind).substr(dot + 1) != suffix) return false;
  const std::string_view prefix = std::string_view(kind).substr(0, dot);
  for (const KindNames& names : kKinds) {
    if (names.event == prefix) return true;
  }
  return false;
}

int64_t int_detail(const SimEvent& event, const char* name, int64_t fallback) {
  auto it = event.details.find(name);
  return it != event.details.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

std::string string_detail(const SimEvent& event, const char* name) {
  auto it = event.details.find(name);
  return it != event.details.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool membership_event(const SimEvent& event) {
  return event.kind == "etcd_member.add" || event.kind == "etcd_member.remove_member";
}

class Checker {
 public:
  Checker(const std::vector<SimEvent>& events,
          const std::map<std::string, GroupBounds, std::less<>>& bounds)
      : events_(events), bounds_(bounds) {
    for (const SimEvent& event : events_) {
      if (event.run > 0 && object_event(event.kind, "create") && bounds_.count(event.address)) {
        creates_[{event.run, event.address}].push_back(event.seq);
      }
      if (event.run > 0 && membership_event(event)) {
        last_members_[{event.run, string_detail(event, "cluster")}] =
            int_detail(event, "members_after", 1);
      }
    }
  }

  RolloutReport run() {
    for (const SimEvent& event : events_) {
      apply(event);
      auto group = bounds_.find(event.address);
      if (event.run > 0 && group != bounds_.end()) check_group(event, group->second);
    }
    return std::move(report_);
  }

 private:
  struct Live {
    std::string address;
    bool available = true;
  };

  void violate(std::string property, std::string key, const SimEvent& event, std::string message) {
    if (!reported_.insert(property + "\n" + key).second) return;
    report_.violations.push_back(
        RolloutViolation{std::move(property), event.seq, std::move(message)});
  }

  // The addresses of run `run` whose object existed at some point of it.
  std::set<std::string>& touched(int64_t run) {
    auto it = touched_.find(run);
    if (it != touched_.end()) return it->second;
    std::set<std::string>& set = touched_[run];
    for (const auto& [id, live] : live_)
      set.insert(live.address);
    return set;
  }

  void apply(const SimEvent& event) {
    if (event.run > 0) touched(event.run);
    if (object_event(event.kind, "create")) {
      if (!event.address.empty()) {
        bool replaces = false;
        for (const auto& [id, live] : live_)
          replaces = replaces || live.address == event.address;
        if (replaces && bounds_.count(event.address)) ++report_.replacements;
        live_[event.id] = Live{event.address, true};
        if (event.run > 0) touched(event.run).insert(event.address);
      }
      return;
    }
    if (object_event(event.kind, "delete") || event.kind == "machine.kill") {
      if (event.kind == "machine.delete") {
        ++report_.machine_deletes;
        auto node = nodes_.find(event.id);
        if (node != nodes_.end() && !node->second) {
          violate("drain_before_delete", event.id, event,
                  "machine `" + event.id + "`" +
                      (event.address.empty() ? "" : " (" + event.address + ")") +
                      " was deleted at event " + std::to_string(event.seq) +
                      " without its node being drained first");
        }
      }
      if (event.kind.rfind("machine.", 0) == 0) nodes_.erase(event.id);
      live_.erase(event.id);
      return;
    }
    if (event.kind == "node.join") {
      nodes_[event.id] = false;
    } else if (event.kind == "node.drain") {
      nodes_[event.id] = true;
    } else if (event.kind == "node.uncordon" && nodes_.count(event.id)) {
      nodes_[event.id] = false;
    }
    if (event.kind == "machine.drain" || event.kind == "node.drain" ||
        event.kind == "etcd_member.remove_member") {
      if (auto it = live_.find(event.id); it != live_.end()) it->second.available = false;
    } else if (event.kind == "machine.uncordon") {
      if (auto it = live_.find(event.id); it != live_.end()) it->second.available = true;
    }
    if (membership_event(event)) check_quorum(event);
  }

  void check_quorum(const SimEvent& event) {
    ++report_.etcd_changes;
    const int64_t before = int_detail(event, "members_before", 0);
    const int64_t after = int_detail(event, "members_after", before);
    const int64_t majority = before / 2 + 1;
    if (after >= majority || before == 0) return;
    const std::string cluster = string_detail(event, "cluster");
    auto last = last_members_.find({event.run, cluster});
    if (event.run > 0 && last != last_members_.end() && last->second == 0) return;  // teardown
    violate("etcd_quorum", cluster, event,
            "etcd cluster \"" + cluster + "\" went from " + std::to_string(before) + " to " +
                std::to_string(after) + " members at event " + std::to_string(event.seq) + " (`" +
                event.id + "`), below the majority of " + std::to_string(majority));
  }

  void check_group(const SimEvent& event, const GroupBounds& bounds) {
    int64_t surge = 0;
    int64_t unavailable = 0;
    const std::set<std::string>& seen = touched(event.run);
    for (const auto& [address, member] : bounds_) {
      if (member.group != bounds.group) continue;
      int64_t live = 0;
      bool available = false;
      for (const auto& [id, object] : live_) {
        if (object.address != address) continue;
        ++live;
        available = available || object.available;
      }
      if (live > 1) surge += live - 1;
      if (!available && seen.count(address) && recreated_later(event, address)) ++unavailable;
    }
    const std::string where = " at event " + std::to_string(event.seq) + " (" + event.kind + " `" +
                              event.id + "`, " + event.address + ")";
    if (surge > bounds.max_surge) {
      violate("max_surge", bounds.group, event,
              "group `" + bounds.group + "` had " + std::to_string(surge) +
                  " members surged above its size (max_surge " + std::to_string(bounds.max_surge) +
                  ")" + where);
    }
    if (unavailable > bounds.max_unavailable) {
      violate("max_unavailable", bounds.group, event,
              "group `" + bounds.group + "` had " + std::to_string(unavailable) +
                  " members unavailable at once (max_unavailable " +
                  std::to_string(bounds.max_unavailable) + ")" + where);
    }
  }

  // Whether `address` gets a new object later in the run of `event` (it is being replaced).
  bool recreated_later(const SimEvent& event, const std::string& address) const {
    auto it = creates_.find({event.run, address});
    if (it == creates_.end()) return false;
    for (int64_t seq : it->second) {
      if (seq > event.seq) return true;
    }
    return false;
  }

  const std::vector<SimEvent>& events_;
  const std::map<std::string, GroupBounds, std::less<>>& bounds_;
  std::map<std::pair<int64_t, std::string>, std::vector<int64_t>> creates_;
  std::map<std::pair<int64_t, std::string>, int64_t> last_members_;
  std::map<int64_t, std::set<std::string>> touched_;
  std::map<std::string, Live> live_;   // object id -> its address and availability
  std::map<std::string, bool> nodes_;  // machine id -> its node is drained
  std::set<std::string> reported_;
  RolloutReport report_;
};

}  // namespace

RolloutReport check_rollout(const std::vector<SimEvent>& events,
                            const std::map<std::string, GroupBounds, std::less<>>& bounds) {
  return Checker(events, bounds).run();
}

}  // namespace kc::sim
