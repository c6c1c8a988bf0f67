// SimWorld: the simulated cloud as data — objects of every sim kind keyed by id, id counters,
// world-only marks (a drained machine, a removed etcd member) and an append-only event log — with
// its JSON form. Also the read-only loader used by tests and `kc sim`.
#pragma once

#include <cstdint>
#include <map>
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

// One entry of the event log. Details are already in printed JSON form:
//   <kind>.create, <kind>.delete: {"attributes": {...}}   (kind: machine, network, subnet, ...)
//   <kind>.update: {"changes": {"cpu": {"before": 2, "after": 4}, ...}} (inputs only)
//   <kind>.<action>: {"params": {...}}  for actions that change the world (machine.drain, ...)
// Sensitive attributes are logged as "(sensitive)".
struct SimEvent {
  int64_t seq = 0;  // 1, 2, 3, ... in the order the events happened
  std::string kind;
  std::string id;
  nlohmann::ordered_json details;
};

// Where the world lives below a module directory.
std::string sim_directory(const std::string& module_dir);  // <module_dir>/.kc/sim
std::string world_path(const std::string& module_dir);     // .../world.json
std::string lock_path(const std::string& module_dir);      // .../world.lock

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
  // Version 2 added the sections of the kinds after machines, `counters` and `flags`; version 1
  // files (machines only) are read as worlds where those are empty.
  static constexpr int64_t kFormatVersion = 2;

  // A snapshot of the world kept under `module_dir`, read without locking (writers replace the file
  // atomically). A missing file is an empty world; an unreadable or corrupt one is an E0504
  // diagnostic naming the file, and nullopt.
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

  // Appends an event (actions log theirs through this).
  void log(std::string kind, std::string id, nlohmann::ordered_json details);

 private:
  std::vector<SimObject>& mutable_objects(std::string_view type);

  std::map<std::string, int64_t, std::less<>> counters_;                // type -> ids handed out
  std::map<std::string, std::vector<SimObject>, std::less<>> objects_;  // type -> sorted by id
  std::map<std::string, std::set<std::string>, std::less<>> flags_;     // id -> marks
  std::vector<SimEvent> events_;
};

}  // namespace kc::sim
