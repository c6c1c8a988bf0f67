// The state codec: State <-> JSON text, with every malformed input reported as E0506.
#include "runtime/state/codec.h"

#include <algorithm>
#include <exception>

#include "providers/sdk/json.h"
#include "providers/sdk/json_parse.h"

namespace kc::state {
namespace {

using Json = nlohmann::ordered_json;

// One pending create; false with `problem` set (when still empty) when it is malformed.
bool read_pending(const Json& json, const std::string& where, PendingCreate& out,
                  std::string& problem) {
  auto fail = [&](std::string message) {
    if (problem.empty()) problem = std::move(message);
    return false;
  };
  if (!json.is_object()) return fail(where + "must be an object");
  for (auto [key, field] : {std::pair{"address", &out.address}, std::pair{"type", &out.type},
                            std::pair{"provider", &out.provider}, std::pair{"key", &out.key}}) {
    auto it = json.find(key);
    if (it == json.end() || !it->is_string()) {
      return fail(where + "`" + key + "` must be a string");
    }
    *field = it->get<std::string>();
  }
  return true;
}

// Collects the first problem found while decoding, so the caller reports one diagnostic per file.
struct Decoder {
  const sdk::SchemaSource& schemas;
  std::string problem;

  bool fail(std::string message) {
    if (problem.empty()) problem = std::move(message);
    return false;
  }

  bool string_field(const Json& object, const char* key, std::string& out,
                    const std::string& where) {
    auto it = object.find(key);
    if (it == object.end() || !it->is_string()) {
      return fail(where + "`" + key + "` must be a string");
    }
    out = it->get<std::string>();
    return true;
  }

  bool resource(const Json& json, size_t index, ResourceState& out) {
    std::string where = "resources[" + std::to_string(index) + "]: ";
    if (!json.is_object()) return fail(where + "must be an object");
    if (!string_field(json, "address", out.address, where) ||
        !string_field(json, "type", out.type, where) ||
        !string_field(json, "provider", out.provider, where)) {
      return false;
    }
    where = "resource `" + out.address + "`: ";
    if (json.contains("status")) {
      if (!string_field(json, "status", out.status, where)) return false;
    }
    auto attrs = json.find("attributes");
    if (attrs == json.end() || !attrs->is_object()) {
      return fail(where + "`attributes` must be an object");
    }
    std::string error;
    std::optional<sdk::Value> value;
    if (const sdk::ResourceSchema* schema = schemas.find_resource(out.type)) {
      value = sdk::attributes_from_json(*attrs, *schema, &error);
    } else {
      value = sdk::from_json(*attrs, sdk::AttrType::of(sdk::AttrType::Kind::Any), &error);
    }
    if (!value) return fail(where + "attributes: " + error);
    out.attributes = std::move(*value);
    if (json.contains("prevent_destroy")) {
      if (!json["prevent_destroy"].is_boolean())
        return fail(where + "`prevent_destroy` must be true or false");
      out.prevent_destroy = json["prevent_destroy"].get<bool>();
    }
    return names(json, "dependencies", "addresses", where, out.dependencies) &&
           names(json, "sensitive_attributes", "attribute names", where, out.sensitive) &&
           rollout(json, where, out.rollout) && hooks(json, where, out.hooks);
  }

  // `"max_surge": 1` or `"max_surge": "25%"`.
  bool bound(const Json& json, const char* key, const std::string& where,
             std::optional<eval::RolloutBound>& out) {
    auto it = json.find(key);
    if (it == json.end()) return true;
    std::string problem = where + "rollout `" + key + "` must be a count or a percent";
    if (it->is_number() && it->get<double>() >= 0) {
      out = eval::RolloutBound{false, it->get<double>()};
      return true;
    }
    if (!it->is_string()) return fail(problem);
    std::string text = it->get<std::string>();
    if (text.size() < 2 || text.back() != '%') return fail(problem);
    try {
      size_t used = 0;
      double amount = std::stod(text.substr(0, text.size() - 1), &used);
      if (used != text.size() - 1 || amount < 0) return fail(problem);
      out = eval::RolloutBound{true, amount};
    } catch (const std::exception&) {
      return fail(problem);
    }
    return true;
  }

  bool rollout(const Json& json, const std::string& where, eval::Rollout& out) {
    auto it = json.find("rollout");
    if (it == json.end()) return true;
    if (!it->is_object() || !it->contains("group") || !(*it)["group"].is_string()) {
      return fail(where + "`rollout` must be an object with a `group` string");
    }
    out.group = (*it)["group"].get<std::string>();
    if (it->contains("quorum")) {
      if (!(*it)["quorum"].is_boolean())
        return fail(where + "rollout `quorum` must be true or false");
      out.quorum = (*it)["quorum"].get<bool>();
    }
    return bound(*it, "max_surge", where, out.max_surge) &&
           bound(*it, "max_unavailable", where, out.max_unavailable);
  }

  bool hooks(const Json& json, const std::string& where,
             std::map<std::string, std::vector<std::string>>& out) {
    auto it = json.find("hooks");
    if (it == json.end()) return true;
    std::string problem = where + "`hooks` must map events to lists of action names";
    if (!it->is_object()) return fail(problem);
    for (auto event = it->begin(); event != it->end(); ++event) {
      if (!event.value().is_array()) return fail(problem);
      std::vector<std::string>& actions = out[event.key()];
      for (const Json& action : event.value()) {
        if (!action.is_string()) return fail(problem);
        actions.push_back(action.get<std::string>());  // in order: hooks run as listed
      }
    }
    return true;
  }

  // {"key":"...","resource":RESOURCE}.
  bool deposed(const Json& json, size_t index, DeposedObject& out) {
    std::string where = "deposed[" + std::to_string(index) + "]: ";
    if (!json.is_object()) return fail(where + "must be an object");
    if (!string_field(json, "key", out.key, where)) return false;
    if (out.key.empty()) return fail(where + "`key` must not be empty");
    auto resource_json = json.find("resource");
    if (resource_json == json.end()) return fail(where + "`resource` must be an object");
    return resource(*resource_json, index, out.resource);
  }

  // An optional list of strings, sorted on reading.
  bool names(const Json& json, const char* key, const char* what, const std::string& where,
             std::vector<std::string>& out) {
    auto list = json.find(key);
    if (list == json.end()) return true;
    std::string problem = where + "`" + key + "` must be a list of " + what;
    if (!list->is_array()) return fail(problem);
    for (const Json& item : *list) {
      if (!item.is_string()) return fail(problem);
      out.push_back(item.get<std::string>());
    }
    std::sort(out.begin(), out.end());
    return true;
  }

  bool state(const Json& json, State& out) {
    if (!json.is_object()) return fail("the top level must be an object");
    auto version = json.find("format_version");
    if (version == json.end() || !version->is_number_integer()) {
      return fail("`format_version` must be an integer");
    }
    int64_t v = version->get<int64_t>();
    if (v > State::kFormatVersion) {
      return fail("it has format_version " + std::to_string(v) +
                  ", newer than this kc understands (" + std::to_string(State::kFormatVersion) +
                  "); use a newer kc");
    }
    if (v < 1) return fail("format_version " + std::to_string(v) + " is not a known version");
    out.format_version = static_cast<int>(v);
    if (!string_field(json, "lineage", out.lineage, "")) return false;
    auto serial = json.find("serial");
    if (serial == json.end() || !serial->is_number_integer() || serial->get<int64_t>() < 0) {
      return fail("`serial` must be a non-negative integer");
    }
    out.serial = serial->get<int64_t>();
    auto resources = json.find("resources");
    if (resources != json.end()) {
      if (!resources->is_array()) return fail("`resources` must be a list");
      for (size_t i = 0; i < resources->size(); ++i) {
        ResourceState r;
        if (!resource((*resources)[i], i, r)) return false;
        out.resources.push_back(std::move(r));
      }
    }
    std::sort(out.resources.begin(), out.resources.end(),
              [](const ResourceState& a, const ResourceState& b) { return a.address < b.address; });
    for (size_t i = 1; i < out.resources.size(); ++i) {
      if (out.resources[i].address == out.resources[i - 1].address) {
        return fail("resource `" + out.resources[i].address + "` is stored twice");
      }
    }
    auto outputs = json.find("outputs");
    if (outputs != json.end()) {
      if (!outputs->is_object()) return fail("`outputs` must be an object");
      for (auto it = outputs->begin(); it != outputs->end(); ++it) {
        std::string error;
        auto value =
            sdk::from_json(it.value(), sdk::AttrType::of(sdk::AttrType::Kind::Any), &error);
        if (!value) return fail("output `" + it.key() + "`: " + error);
        out.outputs.emplace_back(it.key(), std::move(*value));
      }
    }
    if (!names(json, "sensitive_outputs", "output names", "", out.sensitive_outputs)) return false;
    auto deposed_list = json.find("deposed");
    if (deposed_list != json.end()) {  // older states have none
      if (!deposed_list->is_array()) return fail("`deposed` must be a list");
      for (size_t i = 0; i < deposed_list->size(); ++i) {
        DeposedObject d;
        if (!deposed((*deposed_list)[i], i, d)) return false;
        if (out.find_deposed(d.resource.address, d.key)) {
          return fail("deposed object `" + d.resource.address + "` (" + d.key +
                      ") is stored twice");
        }
        out.add_deposed(std::move(d));
      }
    }
    auto pending = json.find("pending");
    if (pending == json.end()) return true;  // older states have none
    if (!pending->is_array()) return fail("`pending` must be a list");
    for (size_t i = 0; i < pending->size(); ++i) {
      PendingCreate p;
      if (!read_pending((*pending)[i], "pending[" + std::to_string(i) + "]: ", p, problem)) {
        return false;
      }
      if (out.find_pending(p.address)) {
        return fail("pending create `" + p.address + "` is stored twice");
      }
      out.add_pending(std::move(p));
    }
    return true;
  }
};

void report(diag::Diagnostics& diags, std::string_view origin, const std::string& problem) {
  diags
      .error(diag::Code::E0506, source::Span{},
             "state `" + std::string(origin) + "` is corrupt: " + problem)
      .with_note("kc did not change it; repair or restore it (`kc state pull`/`push`) and retry");
}

Json bound_json(const eval::RolloutBound& bound) {
  if (!bound.percent) return static_cast<int64_t>(bound.amount);
  std::string text = std::to_string(bound.amount);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text + "%";
}

Json rollout_json(const eval::Rollout& rollout) {
  Json json{{"group", rollout.group}};
  if (rollout.max_surge) json["max_surge"] = bound_json(*rollout.max_surge);
  if (rollout.max_unavailable) json["max_unavailable"] = bound_json(*rollout.max_unavailable);
  if (rollout.quorum) json["quorum"] = true;
  return json;
}

}  // namespace

nlohmann::ordered_json resource_to_json(const ResourceState& r) {
  Json deps = Json::array();
  for (const std::string& d : r.dependencies)
    deps.push_back(d);
  Json attrs = r.attributes.is_null() ? Json::object() : sdk::to_json(r.attributes);
  Json resource{{"address", r.address},
                {"type", r.type},
                {"provider", r.provider},
                {"attributes", std::move(attrs)},
                {"dependencies", std::move(deps)},
                {"status", r.status}};
  if (!r.sensitive.empty()) resource["sensitive_attributes"] = r.sensitive;
  if (r.prevent_destroy) resource["prevent_destroy"] = true;
  if (!r.rollout.group.empty()) resource["rollout"] = rollout_json(r.rollout);
  if (!r.hooks.empty()) resource["hooks"] = r.hooks;
  return resource;
}

nlohmann::ordered_json pending_to_json(const PendingCreate& p) {
  return Json{{"address", p.address}, {"type", p.type}, {"provider", p.provider}, {"key", p.key}};
}

nlohmann::ordered_json deposed_to_json(const DeposedObject& d) {
  return Json{{"key", d.key}, {"resource", resource_to_json(d.resource)}};
}

nlohmann::ordered_json state_to_json(const State& state) {
  Json resources = Json::array();
  for (const ResourceState& r : state.resources)
    resources.push_back(resource_to_json(r));
  Json outputs = Json::object();
  for (const auto& [name, value] : state.outputs)
    outputs[name] = sdk::to_json(value);
  Json json{{"format_version", state.format_version},
            {"lineage", state.lineage},
            {"serial", state.serial},
            {"resources", std::move(resources)},
            {"outputs", std::move(outputs)}};
  if (!state.sensitive_outputs.empty()) json["sensitive_outputs"] = state.sensitive_outputs;
  // Only when there are some, so states without interrupted creates look as they always did.
  if (!state.pending.empty()) {
    Json pending = Json::array();
    for (const PendingCreate& p : state.pending)
      pending.push_back(pending_to_json(p));
    json["pending"] = std::move(pending);
  }
  if (!state.deposed.empty()) {
    Json deposed = Json::array();
    for (const DeposedObject& d : state.deposed)
      deposed.push_back(deposed_to_json(d));
    json["deposed"] = std::move(deposed);
  }
  return json;
}

std::string encode_state(const State& state) {
  return state_to_json(state).dump(2) + "\n";
}

std::optional<State> state_from_json(const nlohmann::ordered_json& json,
                                     const sdk::SchemaSource& schemas, std::string_view origin,
                                     diag::Diagnostics& diags) {
  Decoder decoder{schemas, {}};
  State state;
  if (!decoder.state(json, state)) {
    report(diags, origin, decoder.problem);
    return std::nullopt;
  }
  return state;
}

std::optional<ResourceState> resource_from_json(const nlohmann::ordered_json& json,
                                                const sdk::SchemaSource& schemas,
                                                std::string& problem) {
  Decoder decoder{schemas, {}};
  ResourceState resource;
  if (!decoder.resource(json, 0, resource)) {
    problem = decoder.problem;
    return std::nullopt;
  }
  return resource;
}

std::optional<PendingCreate> pending_from_json(const nlohmann::ordered_json& json,
                                               std::string& problem) {
  PendingCreate pending;
  if (!read_pending(json, "", pending, problem)) return std::nullopt;
  return pending;
}

std::optional<DeposedObject> deposed_from_json(const nlohmann::ordered_json& json,
                                               const sdk::SchemaSource& schemas,
                                               std::string& problem) {
  Decoder decoder{schemas, {}};
  DeposedObject deposed;
  if (!decoder.deposed(json, 0, deposed)) {
    problem = decoder.problem;
    return std::nullopt;
  }
  return deposed;
}

std::optional<State> decode_state(std::string_view text, const sdk::SchemaSource& schemas,
                                  std::string_view origin, diag::Diagnostics& diags) {
  Json json;
  try {
    json = sdk::parse_json(text);
  } catch (const Json::exception& e) {
    // nlohmann reports syntax errors by exception; they stop here as a diagnostic.
    report(diags, origin, std::string("it is not valid JSON (") + e.what() + ")");
    return std::nullopt;
  }
  return state_from_json(json, schemas, origin, diags);
}

}  // namespace kc::state
