// SimWorld: the simulated cloud as data — objects of every sim kind keyed by id, id counters,
// world-only marks (a drained machine, a removed etcd member) and an append-only event log — with
// its JSON form. Also the read-only loader used by tests and `kc sim`.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/value.h"

namespace kc::sim {

// One object: its attributes (inputs then outputs, in schema order, `id` among them) as a map.
struct SimObject {
  std::string id;
  sdk::Value attributes;
};
using SimMachine = SimObject;

// One entry of the event log. `run` numbers the provider instance (one kc process) that logged it
// and `address` is the resource address the change was for; both are 0 / empty for changes made
// outside an apply (`kc sim kill`, ...). Details are already in printed JSON form:
//   <kind>.create, <kind>.delete: {"attributes": {...}}   (kind: machine, network, subnet, ...)
//   <kind>.update: {"changes": {"cpu": {"before": 2, "after": 4}, ...}} (inputs only)
//   <kind>.<action>: {"params": {...}}  for actions that change the world (machine.drain, ...)
// Sensitive attributes are logged as "(sensitive)".
struct SimEvent {
  int64_t seq = 0;  // 1, 2, 3, ... in the order the events happened
  int64_t run = 0;
  std::string address;
  std::string kind;
  std::string id;
  nlohmann::ordered_json details;
};

// An event as `kc sim events --json` and the world file print it: seq, run and address when known,
// kind, id, details.
nlohmann::ordered_json event_json(const SimEvent& event);

// A Kubernetes node: the machine `machine` (its id) after it joined (or bootstrapped) `cluster`.
// Ready while its machine exists; `cordoned` after a drain until an uncordon.
struct SimNode {
  std::string machine;
  std::string name;  // the machine's host name
  std::string cluster;
  bool worker = false;  // takes pods (joined as a worker)
  bool cordoned = false;
  friend bool operator==(const SimNode&, const SimNode&) = default;
};

// A simulated pod of `cluster`: on node `node` (a machine id), or pending when `node` is empty.
// `budget` names the PodDisruptionBudget that covers it, if any.
struct SimPod {
  std::string name;
  std::string cluster;
  std::string node;
  std::string budget;
  friend bool operator==(const SimPod&, const SimPod&) = default;
};

// A PodDisruptionBudget: at most `max_unavailable` of its pods may be pending at once.
struct SimBudget {
  std::string name;
  std::string cluster;
  int64_t max_unavailable = 1;
  friend bool operator==(const SimBudget&, const SimBudget&) = default;
};

// Where the world lives below a module directory.
std::string sim_directory(const std::string& module_dir);  // <module_dir>/.kc/sim
std::string world_path(const std::string& module_dir);     // .../world.json
std::string lock_path(const std::string& module_dir);      // .../world.lock
std::string journal_path(const std::string& module_dir);   // .../world.journal

// `m-0001` for counter value 1.
std::string machine_id(int64_t counter);
// `net-0001` for prefix "net" and counter value 1.
std::string object_id(std::string_view prefix, int64_t counter);
// The address of the machine with counter value `counter` (1-based): hosts .1 to .254 of successive
// /24 blocks in 10.0.0.0/8, starting at 10.(seed-1).0.1, so addresses never end in .0 or .255.
sdk::IpAddress machine_ip(int64_t counter, int64_t seed);
// A machine's host name from its address: `ip-10-0-0-1` (IPv6 colons become dashes too).
std::string machine_hostname(const sdk::IpAddress& ip);

// Plain data, not synchronised: SimProvider guards the instance it changes; `load` hands out an
// independent snapshot. Ids carry their kind's prefix, so they are unique across kinds.
class SimWorld {
 public:
  // Version 2 added the sections of the kinds after machines, `counters` and `flags`; version 3
  // `runs`, `nodes`, `pods`, `budgets` and the events' `run` and `address`. Older files are read
  // as worlds where those are empty.
  static constexpr int64_t kFormatVersion = 3;

  // The world kept under `module_dir`: world.json with the records of world.journal that belong to
  // it replayed on top (see world_store.h), read under the world's lock when there is a journal.
  // Read-only: the journal is left as it is. A missing file is an empty world; an unreadable or
  // corrupt one is an E0504 diagnostic naming the file, and nullopt. Defined in world_store.cpp.
  static std::optional<SimWorld> load(const std::string& module_dir,
                                      diag::Diagnostics& diagnostics);

  // Decodes the text of the world file read from `path` (named in the diagnostic); nullopt with an
  // E0504 diagnostic when it is not a valid world.
  static std::optional<SimWorld> parse(std::string_view text, const std::string& path,
                                       diag::Diagnostics& diagnostics);
  // Decodes the JSON form; nullopt with `error` set when it is not a valid world.
  static std::optional<SimWorld> from_json(const nlohmann::ordered_json& json, std::string* error);
  nlohmann::ordered_json to_json() const;

  // The objects of resource type `type` ("sim.network"), sorted by id.
  const std::vector<SimObject>& objects(std::string_view type) const;
  const std::vector<SimMachine>& machines() const;
  const std::vector<SimEvent>& events() const { return events_; }  // oldest first
  // Ids of `type` handed out so far (never decreases). counter() is the machines'.
  int64_t counter(std::string_view type) const;
  int64_t counter() const;
  // The object with that id, of any kind / of kind `type`; nullptr when there is none.
  const SimObject* find(std::string_view id) const;
  const SimObject* find(std::string_view type, std::string_view id) const;

  // Advances the counter of `type` and returns the new id ("net-0003").
  std::string next_id(std::string_view type);
  // Adds `object` (its id from next_id) of `type` and logs `<kind>.create`.
  const SimObject& insert(std::string_view type, SimObject object);
  // Replaces the attributes of object `id`; logs `<kind>.update` with the inputs that changed.
  // `changed` (optional) tells whether any attribute did. nullptr when there is no such object.
  const SimObject* update(std::string_view type, std::string_view id, sdk::Value attributes,
                          bool* changed = nullptr);
  // Removes object `id` (and its flags) and logs `<kind>.delete`; false (and no event) when it is
  // already gone.
  bool erase(std::string_view type, std::string_view id);

  // World-only marks of an object ("drained", "removed"), kept apart from its attributes so they
  // never show as drift. set_flag returns whether anything changed.
  bool has_flag(std::string_view id, std::string_view flag) const;
  bool set_flag(std::string_view id, std::string_view flag, bool on);

  // Idempotency keys of creates (world-only, like flags): the object a create carrying `key` made.
  // find_by_key returns nullptr when no live object of `type` has that key; remember_key ties
  // `key` to object `id` (erase forgets the keys of the objects it removes).
  const SimObject* find_by_key(std::string_view type, std::string_view key) const;
  void remember_key(std::string_view key, std::string_view id);

  // Appends an event (actions log theirs through this), stamped with the log context.
  void log(std::string kind, std::string id, nlohmann::ordered_json details);
  // The run and address the next events are stamped with (see SimEvent); not persisted.
  void set_log_context(int64_t run, std::string address);
  // Starts a change for `address` by the provider instance whose run number is `*run`: hands out
  // a new number (1, 2, ...; persisted as `runs`) when it is 0, then sets the log context.
  void begin_change(int64_t* run, std::string address);

  // Kubernetes nodes (by machine id), pods and disruption budgets; see workloads.h for the rules.
  // The mutable accessors record the section for rollback while a change is tracked.
  std::map<std::string, SimNode, std::less<>>& nodes() {
    touch_workloads();
    return nodes_;
  }
  const std::map<std::string, SimNode, std::less<>>& nodes() const { return nodes_; }
  std::vector<SimPod>& pods() {
    touch_workloads();
    return pods_;
  }
  const std::vector<SimPod>& pods() const { return pods_; }
  std::vector<SimBudget>& budgets() {
    touch_workloads();
    return budgets_;
  }
  const std::vector<SimBudget>& budgets() const { return budgets_; }
  // Every flag, by id (or address, for failures injected on a resource not created yet).
  const std::map<std::string, std::set<std::string>, std::less<>>& flags() const { return flags_; }

  // Which snapshot of world.json this is: every rewrite of the snapshot by kc gives it the next
  // number, and journal records carry the number of the snapshot they follow (0: never written).
  int64_t generation() const { return generation_; }
  void set_generation(int64_t generation) { generation_ = generation; }

  // Change tracking, for WorldStore (world_delta.cpp). Between begin_tracking and the end of the
  // change, every mutation remembers what it replaced (each object, flag set, key and counter the
  // first time it is touched; nodes, pods and budgets as whole sections when their mutable
  // accessor is used), so that rollback_tracking restores the world exactly, and tracked_record
  // describes the change as one journal record: the new values of what was touched and the events
  // logged. Costs O(what the change touches), never a copy of the world. end_tracking keeps the
  // change. Tracking is not nested.
  void begin_tracking();
  nlohmann::ordered_json tracked_record() const;
  void rollback_tracking();
  void end_tracking();
  // Applies a journal record made by tracked_record (on a world equal to the one it was made
  // from); false with `error` set when the record is not valid. Logs nothing by itself: the
  // record's events are appended as they are.
  bool apply_record(const nlohmann::ordered_json& record, std::string* error);

 private:
  struct Undo;  // world_delta.cpp
  std::vector<SimObject>& mutable_objects(std::string_view type);
  void touch_object(std::string_view type, std::string_view id);
  void touch_flags(std::string_view id);
  void touch_key(std::string_view key);
  void touch_key_of(std::string_view id);
  void touch_counter(std::string_view type);
  void touch_workloads();
  // Removes object `id` of `type` (its flags and key too) without logging; false when absent.
  bool remove_object(std::string_view type, std::string_view id);
  // Inserts or replaces an object, keeping the list sorted.
  void put_object(std::string_view type, SimObject object);

  std::map<std::string, int64_t, std::less<>> counters_;                // type -> ids handed out
  std::map<std::string, std::vector<SimObject>, std::less<>> objects_;  // type -> sorted by id
  std::map<std::string, std::set<std::string>, std::less<>> flags_;     // id -> marks
  std::map<std::string, std::string, std::less<>> keys_;                // idempotency key -> id
  std::map<std::string, std::string, std::less<>> key_of_;              // id -> its key
  std::vector<SimEvent> events_;
  int64_t runs_ = 0;
  int64_t log_run_ = 0;
  std::string log_address_;
  std::map<std::string, SimNode, std::less<>> nodes_;
  std::vector<SimPod> pods_;
  std::vector<SimBudget> budgets_;
  int64_t generation_ = 0;
  std::shared_ptr<Undo> undo_;  // set while a change is tracked
};

// `attributes` of an object of `type` as printed JSON, sensitive attributes as "(sensitive)".
nlohmann::ordered_json redacted_attributes(std::string_view type, const sdk::Value& attributes);

}  // namespace kc::sim
