// SimWorld: objects, counters, flags and event log, their JSON form and the read-only loader.
#include "providers/sim/world.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "providers/sdk/json.h"
#include "providers/sdk/json_parse.h"
#include "providers/sim/sim_schema.h"
#include "providers/sim/world_codec.h"

namespace kc::sim {

using Json = nlohmann::ordered_json;

const KindNames& names_of(std::string_view type) {
  const KindNames* names = kind_names(type);
  return names != nullptr ? *names : kKinds[0];  // callers pass the k...Type constants
}

namespace {

constexpr const char* kSensitiveText = "(sensitive)";
constexpr int64_t kFirstFormatVersion = 1;  // machines only

// `attributes` as printed JSON, sensitive attributes of `schema` replaced by "(sensitive)".
Json redacted_json(const sdk::ResourceSchema& schema, const sdk::Value& attributes) {
  Json json = sdk::to_json(attributes);
  for (const sdk::AttributeSchema& attribute : schema.attributes) {
    if (attribute.sensitive && json.is_object() && json.contains(attribute.name)) {
      json[attribute.name] = kSensitiveText;
    }
  }
  return json;
}

}  // namespace

bool fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

bool decode_object(const sdk::ResourceSchema& schema, const std::string& key, const Json& json,
                   SimObject* object, std::string* error) {
  const std::string what = std::string(names_of(schema.type).event) + " `" + key + "`";
  std::string inner;
  std::optional<sdk::Value> attributes = sdk::attributes_from_json(json, schema, &inner);
  if (!attributes) return fail(error, what + ": " + inner);
  if (attributes->kind() != sdk::Kind::Map) return fail(error, what + " is not an object");
  const sdk::Value* id = attributes->find("id");
  if (id == nullptr || id->kind() != sdk::Kind::String || id->as_string() != key) {
    return fail(error, what + " does not have `id` = \"" + key + "\"");
  }
  if (schema.type == kMachineType) {
    const sdk::Value* ip = attributes->find("ip");
    if (ip == nullptr || ip->kind() != sdk::Kind::Ip) return fail(error, what + " has no `ip`");
    if (attributes->find("hostname") == nullptr) {  // written before machines had host names
      sdk::Entries entries = attributes->as_map();
      entries.emplace_back("hostname", machine_hostname(ip->as_ip()));
      attributes = sdk::Value::map(std::move(entries));
    }
  }
  object->id = key;
  object->attributes = std::move(*attributes);
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
  if (auto run = json.find("run"); run != json.end()) {
    if (!run->is_number_integer())
      return fail(error, where + " has a `run` that is not an integer");
    event->run = run->get<int64_t>();
  }
  if (auto address = json.find("address"); address != json.end()) {
    if (!address->is_string()) return fail(error, where + " has an `address` that is not a string");
    event->address = address->get<std::string>();
  }
  auto details = json.find("details");
  event->details = details == json.end() ? Json::object() : *details;
  return true;
}

bool decode_counter(const Json& json, const std::string& what, int64_t* counter,
                    std::string* error) {
  if (!json.is_number_integer() || json.get<int64_t>() < 0) {
    return fail(error, what + " is not a non-negative integer");
  }
  *counter = json.get<int64_t>();
  return true;
}

namespace {

// The string member `name` of `json`, or "" (the workload sections are checked loosely: they are
// the simulation's own bookkeeping, not kc's).
std::string string_member(const Json& json, const char* name) {
  auto it = json.find(name);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

// Decodes `nodes`, `pods` and `budgets` (format 3).
bool decode_workloads(const Json& json, std::map<std::string, SimNode, std::less<>>* nodes,
                      std::vector<SimPod>* pods, std::vector<SimBudget>* budgets,
                      std::string* error) {
  if (auto section = json.find("nodes"); section != json.end()) {
    if (!section->is_object()) return fail(error, "`nodes` is not an object");
    for (auto it = section->begin(); it != section->end(); ++it) {
      if (!it.value().is_object()) return fail(error, "node `" + it.key() + "` is not an object");
      SimNode node;
      node.machine = it.key();
      node.name = string_member(it.value(), "name");
      node.cluster = string_member(it.value(), "cluster");
      node.worker = it.value().value("worker", false);
      node.cordoned = it.value().value("cordoned", false);
      (*nodes)[node.machine] = std::move(node);
    }
  }
  if (auto section = json.find("pods"); section != json.end()) {
    if (!section->is_array()) return fail(error, "`pods` is not an array");
    for (const Json& entry : *section) {
      if (!entry.is_object()) return fail(error, "a pod is not an object");
      pods->push_back(SimPod{string_member(entry, "name"), string_member(entry, "cluster"),
                             string_member(entry, "node"), string_member(entry, "budget")});
    }
  }
  if (auto section = json.find("budgets"); section != json.end()) {
    if (!section->is_array()) return fail(error, "`budgets` is not an array");
    for (const Json& entry : *section) {
      auto max = entry.is_object() ? entry.find("max_unavailable") : entry.end();
      if (!entry.is_object() || max == entry.end() || !max->is_number_integer()) {
        return fail(error, "a budget has no integer `max_unavailable`");
      }
      budgets->push_back(SimBudget{string_member(entry, "name"), string_member(entry, "cluster"),
                                   max->get<int64_t>()});
    }
  }
  return true;
}

Json event_json(const SimEvent& event) {
  Json entry{{"seq", event.seq}};
  if (event.run > 0) entry["run"] = event.run;
  if (!event.address.empty()) entry["address"] = event.address;
  entry["kind"] = event.kind;
  entry["id"] = event.id;
  entry["details"] = event.details;
  return entry;
}

Json nodes_json(const std::map<std::string, SimNode, std::less<>>& nodes) {
  Json json = Json::object();
  for (const auto& [machine, node] : nodes) {
    json[machine] = Json{{"name", node.name},
                         {"cluster", node.cluster},
                         {"worker", node.worker},
                         {"cordoned", node.cordoned}};
  }
  return json;
}

Json pods_json(const std::vector<SimPod>& pods) {
  Json json = Json::array();
  for (const SimPod& pod : pods) {
    Json entry{{"name", pod.name}, {"cluster", pod.cluster}, {"node", pod.node}};
    if (!pod.budget.empty()) entry["budget"] = pod.budget;
    json.push_back(std::move(entry));
  }
  return json;
}

Json budgets_json(const std::vector<SimBudget>& budgets) {
  Json json = Json::array();
  for (const SimBudget& budget : budgets) {
    json.push_back(Json{{"name", budget.name},
                        {"cluster", budget.cluster},
                        {"max_unavailable", budget.max_unavailable}});
  }
  return json;
}

Json redacted_attributes(std::string_view type, const sdk::Value& attributes) {
  return redacted_json(resource_schema(type), attributes);
}

std::string sim_directory(const std::string& module_dir) {
  return (module_dir.empty() ? std::string(".") : module_dir) + "/.kc/sim";
}
std::string world_path(const std::string& module_dir) {
  return sim_directory(module_dir) + "/world.json";
}
std::string lock_path(const std::string& module_dir) {
  return sim_directory(module_dir) + "/world.lock";
}
std::string journal_path(const std::string& module_dir) {
  return sim_directory(module_dir) + "/world.journal";
}

std::string object_id(std::string_view prefix, int64_t counter) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "-%04lld", static_cast<long long>(counter));
  return std::string(prefix) + buffer;
}

std::string machine_id(int64_t counter) {
  return object_id("m", counter);
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

std::string machine_hostname(const sdk::IpAddress& ip) {
  std::string text = sdk::to_string(ip);
  std::replace(text.begin(), text.end(), '.', '-');
  std::replace(text.begin(), text.end(), ':', '-');
  return "ip-" + text;
}

const std::vector<SimObject>& SimWorld::objects(std::string_view type) const {
  static const std::vector<SimObject> kNone;
  auto it = objects_.find(type);
  return it == objects_.end() ? kNone : it->second;
}

const std::vector<SimMachine>& SimWorld::machines() const {
  return objects(kMachineType);
}

std::vector<SimObject>& SimWorld::mutable_objects(std::string_view type) {
  auto it = objects_.find(type);
  if (it == objects_.end())
    it = objects_.emplace(std::string(type), std::vector<SimObject>{}).first;
  return it->second;
}

int64_t SimWorld::counter(std::string_view type) const {
  auto it = counters_.find(type);
  return it == counters_.end() ? 0 : it->second;
}

int64_t SimWorld::counter() const {
  return counter(kMachineType);
}

namespace {

template <typename Objects>
auto position(Objects& objects, std::string_view id) {
  return std::lower_bound(objects.begin(), objects.end(), id,
                          [](const SimObject& o, std::string_view key) { return o.id < key; });
}

}  // namespace

const SimObject* SimWorld::find(std::string_view type, std::string_view id) const {
  const std::vector<SimObject>& list = objects(type);
  auto it = position(list, id);
  return it != list.end() && it->id == id ? &*it : nullptr;
}

const SimObject* SimWorld::find(std::string_view id) const {
  for (const auto& [type, list] : objects_) {
    if (const SimObject* object = find(type, id)) return object;
  }
  return nullptr;
}

std::string SimWorld::next_id(std::string_view type) {
  touch_counter(type);
  auto it = counters_.find(type);
  if (it == counters_.end()) it = counters_.emplace(std::string(type), 0).first;
  return object_id(names_of(type).id_prefix, ++it->second);
}

const SimObject& SimWorld::insert(std::string_view type, SimObject object) {
  touch_object(type, object.id);
  log(std::string(names_of(type).event) + ".create", object.id,
      Json{{"attributes", redacted_json(resource_schema(type), object.attributes)}});
  std::vector<SimObject>& list = mutable_objects(type);
  auto it = position(list, object.id);
  return *list.insert(it, std::move(object));
}

const SimObject* SimWorld::update(std::string_view type, std::string_view id, sdk::Value attributes,
                                  bool* changed) {
  std::vector<SimObject>& list = mutable_objects(type);
  auto it = position(list, id);
  if (it == list.end() || it->id != id) return nullptr;
  touch_object(type, id);
  const sdk::ResourceSchema& schema = resource_schema(type);
  Json changes = Json::object();
  for (const sdk::AttributeSchema& attribute : schema.attributes) {
    if (!attribute.is_input()) continue;
    const sdk::Value* before = it->attributes.find(attribute.name);
    const sdk::Value* after = attributes.find(attribute.name);
    sdk::Value b = before == nullptr ? sdk::Value() : *before;
    sdk::Value a = after == nullptr ? sdk::Value() : *after;
    if (a == b) continue;
    changes[attribute.name] = attribute.sensitive
                                  ? Json{{"before", kSensitiveText}, {"after", kSensitiveText}}
                                  : Json{{"before", sdk::to_json(b)}, {"after", sdk::to_json(a)}};
  }
  if (changed != nullptr) *changed = !(it->attributes == attributes);
  it->attributes = std::move(attributes);
  if (!changes.empty()) {
    log(std::string(names_of(type).event) + ".update", it->id,
        Json{{"changes", std::move(changes)}});
  }
  return &*it;
}

bool SimWorld::erase(std::string_view type, std::string_view id) {
  const SimObject* object = find(type, id);
  if (object == nullptr) return false;
  log(std::string(names_of(type).event) + ".delete", object->id,
      Json{{"attributes", redacted_json(resource_schema(type), object->attributes)}});
  return remove_object(type, id);
}

bool SimWorld::remove_object(std::string_view type, std::string_view id) {
  std::vector<SimObject>& list = mutable_objects(type);
  auto it = position(list, id);
  if (it == list.end() || it->id != id) return false;
  touch_object(type, id);
  touch_flags(id);
  flags_.erase(it->id);
  if (auto key = key_of_.find(it->id); key != key_of_.end()) {
    touch_key(key->second);
    touch_key_of(it->id);
    keys_.erase(key->second);
    key_of_.erase(key);
  }
  list.erase(it);
  return true;
}

void SimWorld::put_object(std::string_view type, SimObject object) {
  std::vector<SimObject>& list = mutable_objects(type);
  auto it = position(list, object.id);
  if (it != list.end() && it->id == object.id) {
    *it = std::move(object);
  } else {
    list.insert(it, std::move(object));
  }
}

const SimObject* SimWorld::find_by_key(std::string_view type, std::string_view key) const {
  auto it = keys_.find(key);
  return it == keys_.end() ? nullptr : find(type, it->second);
}

void SimWorld::remember_key(std::string_view key, std::string_view id) {
  touch_key(key);
  touch_key_of(id);
  keys_[std::string(key)] = std::string(id);
  key_of_[std::string(id)] = std::string(key);
}

bool SimWorld::has_flag(std::string_view id, std::string_view flag) const {
  auto it = flags_.find(id);
  return it != flags_.end() && it->second.count(std::string(flag)) > 0;
}

bool SimWorld::set_flag(std::string_view id, std::string_view flag, bool on) {
  if (has_flag(id, flag) == on) return false;
  touch_flags(id);
  if (on) {
    flags_[std::string(id)].insert(std::string(flag));
  } else {
    auto it = flags_.find(id);
    it->second.erase(std::string(flag));
    if (it->second.empty()) flags_.erase(it);
  }
  return true;
}

void SimWorld::log(std::string kind, std::string id, nlohmann::ordered_json details) {
  SimEvent event;
  event.seq = events_.empty() ? 1 : events_.back().seq + 1;
  event.run = log_run_;
  event.address = log_address_;
  event.kind = std::move(kind);
  event.id = std::move(id);
  event.details = std::move(details);
  events_.push_back(std::move(event));
}

void SimWorld::begin_change(int64_t* run, std::string address) {
  if (*run == 0) {  // runs_ itself is restored by rollback_tracking (see Undo)
    *run = ++runs_;
  } else {
    runs_ = std::max(runs_, *run);  // a run whose first change wrote nothing still counts
  }
  set_log_context(*run, std::move(address));
}

void SimWorld::set_log_context(int64_t run, std::string address) {
  log_run_ = run;
  log_address_ = std::move(address);
}

// Machines and their `counter` are always written, as in version 1; the other sections only when
// they hold something, so a world of machines stays as small as it was.
nlohmann::ordered_json SimWorld::to_json() const {
  Json json = Json::object();
  json["format_version"] = kFormatVersion;
  if (generation_ > 0) json["generation"] = generation_;
  json["counter"] = counter();
  Json counters = Json::object();
  for (const auto& [type, value] : counters_) {
    if (type != kMachineType && value > 0) counters[type] = value;
  }
  if (!counters.empty()) json["counters"] = std::move(counters);
  for (const KindNames& names : kKinds) {
    const std::vector<SimObject>& list = objects(names.type);
    if (list.empty() && names.type != kMachineType) continue;
    Json section = Json::object();
    for (const SimObject& object : list)
      section[object.id] = sdk::to_json(object.attributes);
    json[std::string(names.section)] = std::move(section);
  }
  if (!flags_.empty()) {
    Json flags = Json::object();
    for (const auto& [id, marks] : flags_)
      flags[id] = Json(marks);
    json["flags"] = std::move(flags);
  }
  if (!keys_.empty()) json["idempotency_keys"] = keys_;  // key -> id
  if (runs_ > 0) json["runs"] = runs_;
  if (!nodes_.empty()) json["nodes"] = nodes_json(nodes_);
  if (!pods_.empty()) json["pods"] = pods_json(pods_);
  if (!budgets_.empty()) json["budgets"] = budgets_json(budgets_);
  Json events = Json::array();
  for (const SimEvent& event : events_)
    events.push_back(event_json(event));
  json["events"] = std::move(events);
  return json;
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
  const int64_t format = version->get<int64_t>();
  if (format < kFirstFormatVersion || format > kFormatVersion) {
    fail(error, "format version " + version->dump() + " is not a version this kc reads (" +
                    std::to_string(kFirstFormatVersion) + " to " + std::to_string(kFormatVersion) +
                    ")");
    return std::nullopt;
  }
  SimWorld world;
  auto counter = json.find("counter");
  int64_t machines_counter = 0;
  if (!decode_counter(counter == json.end() ? Json() : *counter, "`counter`", &machines_counter,
                      error)) {
    return std::nullopt;
  }
  world.counters_[std::string(kMachineType)] = machines_counter;
  if (auto generation = json.find("generation"); generation != json.end()) {
    if (!decode_counter(*generation, "`generation`", &world.generation_, error)) {
      return std::nullopt;
    }
  }

  if (auto counters = json.find("counters"); counters != json.end()) {
    if (!counters->is_object()) {
      fail(error, "`counters` is not an object");
      return std::nullopt;
    }
    for (auto it = counters->begin(); it != counters->end(); ++it) {
      if (kind_names(it.key()) == nullptr || it.key() == kMachineType) {
        fail(error, "`counters` names `" + it.key() + "`, which is not a sim kind with counters");
        return std::nullopt;
      }
      int64_t value = 0;
      if (!decode_counter(it.value(), "`counters." + it.key() + "`", &value, error)) {
        return std::nullopt;
      }
      world.counters_[it.key()] = value;
    }
  }

  for (const KindNames& names : kKinds) {
    auto section = json.find(std::string(names.section));
    if (section == json.end()) {
      if (names.type == kMachineType) {
        fail(error, "`machines` is not an object");
        return std::nullopt;
      }
      continue;  // a kind this world never had
    }
    if (!section->is_object()) {
      fail(error, "`" + std::string(names.section) + "` is not an object");
      return std::nullopt;
    }
    const sdk::ResourceSchema& schema = resource_schema(names.type);
    std::vector<SimObject>& list = world.mutable_objects(names.type);
    for (auto it = section->begin(); it != section->end(); ++it) {
      SimObject object;
      if (!decode_object(schema, it.key(), it.value(), &object, error)) return std::nullopt;
      list.push_back(std::move(object));
    }
    std::sort(list.begin(), list.end(),
              [](const SimObject& a, const SimObject& b) { return a.id < b.id; });
  }

  if (auto flags = json.find("flags"); flags != json.end()) {
    if (!flags->is_object()) {
      fail(error, "`flags` is not an object");
      return std::nullopt;
    }
    for (auto it = flags->begin(); it != flags->end(); ++it) {
      if (!it.value().is_array()) {
        fail(error, "`flags." + it.key() + "` is not an array");
        return std::nullopt;
      }
      for (const Json& flag : it.value()) {
        if (!flag.is_string()) {
          fail(error, "`flags." + it.key() + "` holds something other than strings");
          return std::nullopt;
        }
        world.flags_[it.key()].insert(flag.get<std::string>());
      }
    }
  }

  if (auto runs = json.find("runs"); runs != json.end()) {
    if (!decode_counter(*runs, "`runs`", &world.runs_, error)) return std::nullopt;
  }
  if (!decode_workloads(json, &world.nodes_, &world.pods_, &world.budgets_, error)) {
    return std::nullopt;
  }

  if (auto keys = json.find("idempotency_keys"); keys != json.end()) {
    if (!keys->is_object()) {
      fail(error, "`idempotency_keys` is not an object");
      return std::nullopt;
    }
    for (auto it = keys->begin(); it != keys->end(); ++it) {
      if (!it.value().is_string()) {
        fail(error, "`idempotency_keys." + it.key() + "` is not an id");
        return std::nullopt;
      }
      world.remember_key(it.key(), it.value().get<std::string>());
    }
  }

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
    json = sdk::parse_json(text);
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

}  // namespace kc::sim
