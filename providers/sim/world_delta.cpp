// SimWorld change tracking: undo information for a change in progress, the journal record that
// describes a change, and replaying such a record. What a change touched is remembered the first
// time it is touched, so both rollback and the record cost O(what changed).
#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "providers/sdk/json.h"
#include "providers/sim/world.h"
#include "providers/sim/world_codec.h"

namespace kc::sim {

using Json = nlohmann::ordered_json;

// The values a tracked change replaced; nullopt where there was nothing.
struct SimWorld::Undo {
  size_t events = 0;
  int64_t runs = 0;
  std::map<std::pair<std::string, std::string>, std::optional<SimObject>> objects;  // (type, id)
  std::map<std::string, std::optional<int64_t>, std::less<>> counters;
  std::map<std::string, std::optional<std::set<std::string>>, std::less<>> flags;
  std::map<std::string, std::optional<std::string>, std::less<>> keys;    // key -> id
  std::map<std::string, std::optional<std::string>, std::less<>> key_of;  // id -> key
  bool workloads = false;  // the three sections below are saved
  std::map<std::string, SimNode, std::less<>> nodes;
  std::vector<SimPod> pods;
  std::vector<SimBudget> budgets;
};

namespace {

template <typename Map, typename Key>
auto saved(const Map& map, const Key& key) {
  std::optional<typename Map::mapped_type> value;
  if (auto it = map.find(key); it != map.end()) value = it->second;
  return value;
}

template <typename Map, typename Value>
void restore(Map& map, const std::string& key, const std::optional<Value>& value) {
  if (value) {
    map[key] = *value;
  } else if (auto it = map.find(key); it != map.end()) {
    map.erase(it);
  }
}

}  // namespace

void SimWorld::touch_object(std::string_view type, std::string_view id) {
  if (!undo_) return;
  auto key = std::make_pair(std::string(type), std::string(id));
  if (undo_->objects.count(key) > 0) return;
  std::optional<SimObject> before;
  if (const SimObject* object = find(type, id)) before = *object;
  undo_->objects.emplace(std::move(key), std::move(before));
}

void SimWorld::touch_counter(std::string_view type) {
  if (undo_ && undo_->counters.find(type) == undo_->counters.end())
    undo_->counters.emplace(std::string(type), saved(counters_, type));
}

void SimWorld::touch_flags(std::string_view id) {
  if (undo_ && undo_->flags.find(id) == undo_->flags.end())
    undo_->flags.emplace(std::string(id), saved(flags_, id));
}

void SimWorld::touch_key(std::string_view key) {
  if (undo_ && undo_->keys.find(key) == undo_->keys.end())
    undo_->keys.emplace(std::string(key), saved(keys_, key));
}

void SimWorld::touch_key_of(std::string_view id) {
  if (undo_ && undo_->key_of.find(id) == undo_->key_of.end())
    undo_->key_of.emplace(std::string(id), saved(key_of_, id));
}

void SimWorld::touch_workloads() {
  if (!undo_ || undo_->workloads) return;
  undo_->workloads = true;
  undo_->nodes = nodes_;
  undo_->pods = pods_;
  undo_->budgets = budgets_;
}

void SimWorld::begin_tracking() {
  undo_ = std::make_shared<Undo>();
  undo_->events = events_.size();
  undo_->runs = runs_;
}

void SimWorld::end_tracking() {
  undo_.reset();
}

void SimWorld::rollback_tracking() {
  if (!undo_) return;
  std::shared_ptr<Undo> undo = std::move(undo_);  // restoring must not record anything
  events_.erase(events_.begin() + static_cast<std::ptrdiff_t>(undo->events), events_.end());
  runs_ = undo->runs;
  for (auto& [key, before] : undo->objects) {
    if (before) {
      put_object(key.first, std::move(*before));
    } else {
      std::vector<SimObject>& list = mutable_objects(key.first);
      auto it =
          std::lower_bound(list.begin(), list.end(), key.second,
                           [](const SimObject& o, const std::string& id) { return o.id < id; });
      if (it != list.end() && it->id == key.second) list.erase(it);
    }
  }
  for (const auto& [type, before] : undo->counters)
    restore(counters_, type, before);
  for (const auto& [id, before] : undo->flags)
    restore(flags_, id, before);
  for (const auto& [key, before] : undo->keys)
    restore(keys_, key, before);
  for (const auto& [id, before] : undo->key_of)
    restore(key_of_, id, before);
  if (undo->workloads) {
    nodes_ = std::move(undo->nodes);
    pods_ = std::move(undo->pods);
    budgets_ = std::move(undo->budgets);
  }
}

Json SimWorld::tracked_record() const {
  Json record = Json::object();
  if (!undo_) return record;
  record["generation"] = generation_;
  if (!undo_->counters.empty()) {
    Json counters = Json::object();
    for (const auto& [type, before] : undo_->counters)
      counters[type] = counter(type);
    record["counters"] = std::move(counters);
  }
  if (runs_ != undo_->runs) record["runs"] = runs_;
  if (!undo_->objects.empty()) {
    Json objects = Json::array();
    for (const auto& [key, before] : undo_->objects) {
      Json entry{{"type", key.first}, {"id", key.second}};
      if (const SimObject* object = find(key.first, key.second)) {
        entry["attributes"] = sdk::to_json(object->attributes);
      } else {
        entry["erased"] = true;
      }
      objects.push_back(std::move(entry));
    }
    record["objects"] = std::move(objects);
  }
  if (!undo_->flags.empty()) {
    Json flags = Json::object();
    for (const auto& [id, before] : undo_->flags) {
      auto it = flags_.find(id);
      flags[id] = it == flags_.end() ? Json::array() : Json(it->second);
    }
    record["flags"] = std::move(flags);
  }
  if (!undo_->keys.empty()) {
    Json keys = Json::object();
    for (const auto& [key, before] : undo_->keys) {
      auto it = keys_.find(key);
      keys[key] = it == keys_.end() ? Json(nullptr) : Json(it->second);
    }
    record["keys"] = std::move(keys);
  }
  if (undo_->workloads) {
    if (!(nodes_ == undo_->nodes)) record["nodes"] = nodes_json(nodes_);
    if (!(pods_ == undo_->pods)) record["pods"] = pods_json(pods_);
    if (!(budgets_ == undo_->budgets)) record["budgets"] = budgets_json(budgets_);
  }
  if (events_.size() > undo_->events) {
    Json events = Json::array();
    for (size_t i = undo_->events; i < events_.size(); ++i)
      events.push_back(event_json(events_[i]));
    record["events"] = std::move(events);
  }
  return record;
}

bool SimWorld::apply_record(const Json& record, std::string* error) {
  if (!record.is_object()) return fail(error, "a record is not an object");
  if (auto counters = record.find("counters"); counters != record.end()) {
    if (!counters->is_object()) return fail(error, "`counters` is not an object");
    for (auto it = counters->begin(); it != counters->end(); ++it) {
      if (kind_names(it.key()) == nullptr) {
        return fail(error, "`counters` names `" + it.key() + "`, which is not a sim kind");
      }
      int64_t value = 0;
      if (!decode_counter(it.value(), "`counters." + it.key() + "`", &value, error)) return false;
      counters_[it.key()] = value;
    }
  }
  if (auto runs = record.find("runs"); runs != record.end()) {
    if (!decode_counter(*runs, "`runs`", &runs_, error)) return false;
  }
  if (auto objects = record.find("objects"); objects != record.end()) {
    if (!objects->is_array()) return fail(error, "`objects` is not an array");
    for (const Json& entry : *objects) {
      auto type = entry.is_object() ? entry.find("type") : entry.end();
      auto id = entry.is_object() ? entry.find("id") : entry.end();
      if (type == entry.end() || !type->is_string() || id == entry.end() || !id->is_string()) {
        return fail(error, "an object entry has no `type` and `id`");
      }
      const std::string type_name = type->get<std::string>();
      if (kind_names(type_name) == nullptr) {
        return fail(error, "an object entry names `" + type_name + "`, which is not a sim kind");
      }
      const std::string id_text = id->get<std::string>();
      auto attributes = entry.find("attributes");
      if (attributes == entry.end()) {
        remove_object(type_name, id_text);
        continue;
      }
      SimObject object;
      if (!decode_object(resource_schema(type_name), id_text, *attributes, &object, error)) {
        return false;
      }
      put_object(type_name, std::move(object));
    }
  }
  if (auto flags = record.find("flags"); flags != record.end()) {
    if (!flags->is_object()) return fail(error, "`flags` is not an object");
    for (auto it = flags->begin(); it != flags->end(); ++it) {
      if (!it.value().is_array()) return fail(error, "`flags." + it.key() + "` is not an array");
      std::set<std::string> marks;
      for (const Json& flag : it.value()) {
        if (!flag.is_string()) return fail(error, "`flags." + it.key() + "` holds a non-string");
        marks.insert(flag.get<std::string>());
      }
      if (marks.empty()) {
        flags_.erase(it.key());
      } else {
        flags_[it.key()] = std::move(marks);
      }
    }
  }
  if (auto keys = record.find("keys"); keys != record.end()) {
    if (!keys->is_object()) return fail(error, "`keys` is not an object");
    for (auto it = keys->begin(); it != keys->end(); ++it) {
      if (it.value().is_string()) {
        remember_key(it.key(), it.value().get<std::string>());
      } else if (it.value().is_null()) {
        if (auto old = keys_.find(it.key()); old != keys_.end()) {
          if (auto back = key_of_.find(old->second);
              back != key_of_.end() && back->second == it.key()) {
            key_of_.erase(back);
          }
          keys_.erase(old);
        }
      } else {
        return fail(error, "`keys." + it.key() + "` is not an id or null");
      }
    }
  }
  std::map<std::string, SimNode, std::less<>> nodes;
  std::vector<SimPod> pods;
  std::vector<SimBudget> budgets;
  if (!decode_workloads(record, &nodes, &pods, &budgets, error)) return false;
  if (record.contains("nodes")) nodes_ = std::move(nodes);
  if (record.contains("pods")) pods_ = std::move(pods);
  if (record.contains("budgets")) budgets_ = std::move(budgets);
  if (auto events = record.find("events"); events != record.end()) {
    if (!events->is_array()) return fail(error, "`events` is not an array");
    for (size_t i = 0; i < events->size(); ++i) {
      SimEvent event;
      const int64_t previous = events_.empty() ? 0 : events_.back().seq;
      if (!decode_event(events_.size(), (*events)[i], previous, &event, error)) return false;
      events_.push_back(std::move(event));
    }
  }
  return true;
}

}  // namespace kc::sim
