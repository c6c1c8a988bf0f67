// The rollout checker behind `kc sim check-rollout`: replays the world's event log and checks the
// properties a rolling change must keep —
//   max_surge:           per rollout group, the objects created while the object they replace is
//                        still there never outnumber the group's max_surge;
//   max_unavailable:     per rollout group, the members being replaced that have no available
//                        object (none live, or only drained / removed ones) never outnumber its
//                        max_unavailable;
//   drain_before_delete: every machine with a Kubernetes node was drained before it was deleted;
//   etcd_quorum:         no etcd membership change left fewer members than a majority of the
//                        membership before it (except in a run that removes the whole cluster).
// Replacement is seen through the events' `run` and `address`: an address whose object is deleted
// or drained and created again within one run is being replaced. Pure; no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "providers/sim/world.h"

namespace kc::sim {

// A rollout group's bounds, as counts (percents resolved against the group's size).
struct GroupBounds {
  std::string group;
  int64_t max_surge = 0;
  int64_t max_unavailable = 0;
};

struct RolloutViolation {
  std::string property;  // "max_surge", "max_unavailable", "drain_before_delete", "etcd_quorum"
  int64_t seq = 0;       // the event at which it first broke
  std::string message;
};

struct RolloutReport {
  std::vector<RolloutViolation> violations;  // in event order; one per property and group/object
  int64_t replacements = 0;                  // creates that replaced a live object of their address
  int64_t machine_deletes = 0;               // machine deletes checked for a drain
  int64_t etcd_changes = 0;                  // etcd membership changes checked
};

// Checks `events` (oldest first) with the groups of the resource addresses in `bounds`;
// addresses not in `bounds` belong to no group.
RolloutReport check_rollout(const std::vector<SimEvent>& events,
                            const std::map<std::string, GroupBounds, std::less<>>& bounds);

}  // namespace kc::sim
