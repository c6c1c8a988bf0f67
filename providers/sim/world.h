// SimWorld: the simulated cloud as data — machines keyed by id, an id counter and an append-only
// event log — with its JSON form. Also the read-only loader used by tests and `kc sim`.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/value.h"

namespace kc::sim {

// One machine: its attributes (inputs then `id` and `ip`, in schema order) as a map.
struct SimMachine {
  std::string id;
  sdk::Value attributes;
};

// One entry of the event log. Details are already in printed JSON form:
//   machine.create, machine.delete: {"attributes": {...}}
//   machine.update: {"changes": {"cpu": {"before": 2, "after": 4}, ...}}
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
// The address of the machine with counter value `counter` (1-based): hosts .1 to .254 of successive
// /24 blocks in 10.0.0.0/8, starting at 10.(seed-1).0.1, so addresses never end in .0 or .255.
sdk::IpAddress machine_ip(int64_t counter, int64_t seed);

// Plain data, not synchronised: SimProvider guards the instance it changes; `load` hands out an
// independent snapshot.
class SimWorld {
 public:
  static constexpr int64_t kFormatVersion = 1;

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

  const std::vector<SimMachine>& machines() const { return machines_; }  // sorted by id
  const std::vector<SimEvent>& events() const { return events_; }        // oldest first
  int64_t counter() const { return counter_; }                           // ids handed out so far
  const SimMachine* find(std::string_view id) const;

  // Creates a machine from `inputs` (a map of known input attributes), assigning the next id and an
  // address from `seed`, and logs `machine.create`.
  const SimMachine& create_machine(const sdk::Value& inputs, int64_t seed);
  // Replaces the inputs of machine `id`, keeping its id and ip; logs `machine.update` when anything
  // changed. nullptr when there is no such machine.
  const SimMachine* update_machine(std::string_view id, const sdk::Value& inputs);
  // Removes machine `id` and logs `machine.delete`; false (and no event) when it is already gone.
  bool delete_machine(std::string_view id);

 private:
  std::vector<SimMachine>::const_iterator position(std::string_view id) const;
  void log(std::string kind, std::string id, nlohmann::ordered_json details);

  int64_t counter_ = 0;
  std::vector<SimMachine> machines_;
  std::vector<SimEvent> events_;
};

}  // namespace kc::sim
