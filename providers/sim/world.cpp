// SimWorld: machines, counter and event log, their JSON form and the read-only loader.
#include "providers/sim/world.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "providers/sdk/json.h"
#include "providers/sim/sim_schema.h"
#include "support/files.h"

namespace kc::sim {
namespace {

using Json = nlohmann::ordered_json;

// The attributes of a machine in schema order: the inputs present in `inputs`, then id and ip.
sdk::Value machine_attributes(const sdk::Value& inputs, const sdk::Value& id,
                              const sdk::Value& ip) {
  sdk::Entries entries;
  for (const sdk::AttributeSchema& attribute : machine_schema().attributes) {
    if (!attribute.is_input()) continue;
    const sdk::Value* value = inputs.find(attribute.name);
    if (value != nullptr && !value->is_null()) entries.emplace_back(attribute.name, *value);
  }
  entries.emplace_back("id", id);
  entries.emplace_back("ip", ip);
  return sdk::Value::map(std::move(entries));
}

Json attribute_json(const sdk::Value& attributes, const std::string& name) {
  const sdk::Value* value = attributes.find(name);
  return value == nullptr ? Json(nullptr) : sdk::to_json(*value);
}

bool fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

bool decode_machine(const std::string& key, const Json& json, SimMachine* machine,
                    std::string* error) {
  std::string inner;
  std::optional<sdk::Value> attributes = sdk::attributes_from_json(json, machine_schema(), &inner);
  if (!attributes) return fail(error, "machine `" + key + "`: " + inner);
  if (attributes->kind() != sdk::Kind::Map) {
    return fail(error, "machine `" + key + "` is not an object");
  }
  const sdk::Value* id = attributes->find("id");
  if (id == nullptr || id->kind() != sdk::Kind::String || id->as_string() != key) {
    return fail(error, "machine `" + key + "` does not have `id` = \"" + key + "\"");
  }
  const sdk::Value* ip = attributes->find("ip");
  if (ip == nullptr || ip->kind() != sdk::Kind::Ip) {
    return fail(error, "machine `" + key + "` has no `ip`");
  }
  machine->id = key;
  machine->attributes = std::move(*attributes);
  return true;
}

bool decode_event(size_t index, const Json& json, int64_t previous_seq, SimEvent* event,
                  std::string* error) {
  const std::string where = "event " + std::to_string(index);
  if (!json.is_object()) return fail(error, where + " is not an object");
  auto seq = json.find("seq");
  auto kind = json.find("kind");
  auto id = json.find("id");
  if (seq == json.end() || !seq->is_number_integer()) {
    return fail(error, where + " has no integer `seq`");
  }
  if (kind == json.end() || !kind->is_string()) return fail(error, where + " has no `kind`");
  if (id == json.end() || !id->is_string()) return fail(error, where + " has no `id`");
  event->seq = seq->get<int64_t>();
  if (event->seq <= previous_seq) {
    return fail(error, where + " has `seq` " + std::to_string(event->seq) +
                           ", not after the previous event's " + std::to_string(previous_seq));
  }
  event->kind = kind->get<std::string>();
  event->id = id->get<std::string>();
  auto details = json.find("details");
  event->details = details == json.end() ? Json::object() : *details;
  return true;
}

}  // namespace

std::string sim_directory(const std::string& module_dir) {
  return (module_dir.empty() ? std::string(".") : module_dir) + "/.kc/sim";
}
std::string world_path(const std::string& module_dir) {
  return sim_directory(module_dir) + "/world.json";
}
std::string lock_path(const std::string& module_dir) {
  return sim_directory(module_dir) + "/world.lock";
}

std::string machine_id(int64_t counter) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "m-%04lld", static_cast<long long>(counter));
  return buffer;
}

sdk::IpAddress machine_ip(int64_t counter, int64_t seed) {
  constexpr int64_t kHostsPerBlock = 254;  // .1 to .254
  const int64_t k = std::max<int64_t>(counter, 1) - 1;
  const int64_t seed_block = ((seed % 256) + 255) % 256;  // (seed - 1) mod 256, overflow-free
  const int64_t block = seed_block * 256 + k / kHostsPerBlock;
  sdk::IpAddress ip;
  ip.bytes[0] = 10;
  ip.bytes[1] = static_cast<uint8_t>((block / 256) % 256);
  ip.bytes[2] = static_cast<uint8_t>(block % 256);
  ip.bytes[3] = static_cast<uint8_t>(k % kHostsPerBlock + 1);
  return ip;
}

std::vector<SimMachine>::const_iterator SimWorld::position(std::string_view id) const {
  return std::lower_bound(machines_.begin(), machines_.end(), id,
                          [](const SimMachine& m, std::string_view key) { return m.id < key; });
}

const SimMachine* SimWorld::find(std::string_view id) const {
  auto it = position(id);
  return it != machines_.end() && it->id == id ? &*it : nullptr;
}

const SimMachine& SimWorld::create_machine(const sdk::Value& inputs, int64_t seed) {
  ++counter_;
  SimMachine machine;
  machine.id = machine_id(counter_);
  machine.attributes =
      machine_attributes(inputs, sdk::Value(machine.id), sdk::Value(machine_ip(counter_, seed)));
  log("machine.create", machine.id, Json{{"attributes", sdk::to_json(machine.attributes)}});
  auto it = position(machine.id);
  return *machines_.insert(it, std::move(machine));
}

const SimMachine* SimWorld::update_machine(std::string_view id, const sdk::Value& inputs) {
  auto it = position(id);
  if (it == machines_.end() || it->id != id) return nullptr;
  SimMachine* machine = &machines_[static_cast<size_t>(it - machines_.begin())];
  const sdk::Value& old = machine->attributes;
  sdk::Value updated = machine_attributes(inputs, *old.find("id"), *old.find("ip"));
  Json changes = Json::object();
  for (const sdk::AttributeSchema& attribute : machine_schema().attributes) {
    if (!attribute.is_input()) continue;
    Json before = attribute_json(old, attribute.name);
    Json after = attribute_json(updated, attribute.name);
    if (before != after) changes[attribute.name] = Json{{"before", before}, {"after", after}};
  }
  machine->attributes = std::move(updated);
  if (!changes.empty()) log("machine.update", machine->id, Json{{"changes", std::move(changes)}});
  return machine;
}

bool SimWorld::delete_machine(std::string_view id) {
  auto it = position(id);
  if (it == machines_.end() || it->id != id) return false;
  log("machine.delete", it->id, Json{{"attributes", sdk::to_json(it->attributes)}});
  machines_.erase(it);
  return true;
}

void SimWorld::log(std::string kind, std::string id, nlohmann::ordered_json details) {
  SimEvent event;
  event.seq = events_.empty() ? 1 : events_.back().seq + 1;
  event.kind = std::move(kind);
  event.id = std::move(id);
  event.details = std::move(details);
  events_.push_back(std::move(event));
}

nlohmann::ordered_json SimWorld::to_json() const {
  Json machines = Json::object();
  for (const SimMachine& machine : machines_) {
    machines[machine.id] = sdk::to_json(machine.attributes);
  }
  Json events = Json::array();
  for (const SimEvent& event : events_) {
    events.push_back(Json{
        {"seq", event.seq}, {"kind", event.kind}, {"id", event.id}, {"details", event.details}});
  }
  return Json{{"format_version", kFormatVersion},
              {"counter", counter_},
              {"machines", std::move(machines)},
              {"events", std::move(events)}};
}

std::optional<SimWorld> SimWorld::from_json(const nlohmann::ordered_json& json,
                                            std::string* error) {
  if (!json.is_object()) {
    fail(error, "the top level is not an object");
    return std::nullopt;
  }
  auto version = json.find("format_version");
  if (version == json.end() || !version->is_number_integer()) {
    fail(error, "`format_version` is missing");
    return std::nullopt;
  }
  if (version->get<int64_t>() != kFormatVersion) {
    fail(error, "format version " + version->dump() + " is not the version this kc reads (" +
                    std::to_string(kFormatVersion) + ")");
    return std::nullopt;
  }
  SimWorld world;
  auto counter = json.find("counter");
  if (counter == json.end() || !counter->is_number_integer() || counter->get<int64_t>() < 0) {
    fail(error, "`counter` is not a non-negative integer");
    return std::nullopt;
  }
  world.counter_ = counter->get<int64_t>();

  auto machines = json.find("machines");
  if (machines == json.end() || !machines->is_object()) {
    fail(error, "`machines` is not an object");
    return std::nullopt;
  }
  for (auto it = machines->begin(); it != machines->end(); ++it) {
    SimMachine machine;
    if (!decode_machine(it.key(), it.value(), &machine, error)) return std::nullopt;
    world.machines_.push_back(std::move(machine));
  }
  std::sort(world.machines_.begin(), world.machines_.end(),
            [](const SimMachine& a, const SimMachine& b) { return a.id < b.id; });

  auto events = json.find("events");
  if (events == json.end() || !events->is_array()) {
    fail(error, "`events` is not an array");
    return std::nullopt;
  }
  int64_t previous_seq = 0;
  for (size_t i = 0; i < events->size(); ++i) {
    SimEvent event;
    if (!decode_event(i, (*events)[i], previous_seq, &event, error)) return std::nullopt;
    previous_seq = event.seq;
    world.events_.push_back(std::move(event));
  }
  return world;
}

std::optional<SimWorld> SimWorld::parse(std::string_view text, const std::string& path,
                                        diag::Diagnostics& diagnostics) {
  std::string error;
  Json json;
  try {
    json = Json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // what() is "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
    std::string_view what = e.what();
    size_t prefix_end = what.find("] ");
    error = std::string(prefix_end == std::string_view::npos ? what : what.substr(prefix_end + 2));
  }
  if (error.empty()) {
    if (std::optional<SimWorld> world = from_json(json, &error)) return world;
  }
  diagnostics.error(diag::Code::E0504, source::Span{}, "corrupt sim world `" + path + "`: " + error)
      .with_note("move the file away to start from an empty simulated cloud");
  return std::nullopt;
}

std::optional<SimWorld> SimWorld::load(const std::string& module_dir,
                                       diag::Diagnostics& diagnostics) {
  const std::string path = world_path(module_dir);
  bool missing = false;
  std::string error;
  std::optional<std::string> text = support::read_whole_file(path, &missing, &error);
  if (missing) return SimWorld{};
  if (!text) {
    diagnostics.error(diag::Code::E0504, source::Span{}, "cannot read the sim world: " + error);
    return std::nullopt;
  }
  return parse(*text, path, diagnostics);
}

}  // namespace kc::sim
