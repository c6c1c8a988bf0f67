// In-memory fakes shared by the runtime's unit tests (state, plan, apply): a provider with one
// resource type `fake.machine`, a Providers registry, a counting backend and schema helpers.
#pragma once

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/eval/desired_state.h"
#include "providers/sdk/provider.h"
#include "runtime/state/backend.h"

namespace kc::testing {

// fake.machine: cpu (int, required), zone (string, forces replacement), memory (bytes),
// password (string, secret), peer (string); outputs id ("m-0001"...) and ip.
inline sdk::ProviderSchema fake_schema() {
  using K = sdk::AttrType::Kind;
  using P = sdk::AttributeSchema::Presence;
  sdk::ResourceSchema machine;
  machine.type = "fake.machine";
  machine.attributes = {
      {"cpu", sdk::AttrType::of(K::Int), P::Required, false, false, ""},
      {"zone", sdk::AttrType::of(K::String), P::Optional, true, false, ""},
      {"memory", sdk::AttrType::of(K::Bytes), P::Optional, false, false, ""},
      {"password", sdk::AttrType::of(K::String), P::Optional, false, true, ""},
      {"peer", sdk::AttrType::of(K::String), P::Optional, false, false, ""},
      {"id", sdk::AttrType::of(K::String), P::Computed, false, false, ""},
      {"ip", sdk::AttrType::of(K::String), P::Computed, false, false, ""},
  };
  sdk::ProviderSchema schema;
  schema.name = "fake";
  schema.resources.push_back(std::move(machine));
  return schema;
}

inline const sdk::Value* get(const sdk::Value& map, const std::string& key) {
  return map.find(key);
}

// Replaces or adds one entry of a map value.
inline sdk::Value with(const sdk::Value& map, const std::string& key, sdk::Value value) {
  sdk::Entries entries = map.is_null() ? sdk::Entries{} : map.as_map();
  for (auto& e : entries) {
    if (e.first == key) {
      e.second = std::move(value);
      return sdk::Value::map(std::move(entries));
    }
  }
  entries.emplace_back(key, std::move(value));
  return sdk::Value::map(std::move(entries));
}

// A world of machines kept in memory. `log` records "create ADDR", "update ADDR", "delete ADDR".
class FakeProvider final : public sdk::Provider {
 public:
  FakeProvider() : schema_(fake_schema()) {}

  std::map<std::string, sdk::Value> world;  // address -> attributes
  std::vector<std::string> log;
  std::set<std::string> fail_apply;   // addresses whose apply_change fails
  std::set<std::string> fail_delete;  // addresses whose deletes fail (creates succeed)
  int next_id = 1;

  const sdk::ProviderSchema& schema() const override { return schema_; }
  diag::Diagnostics configure(const sdk::ConfigureRequest&) override { return {}; }

  diag::Diagnostics validate(const sdk::ValidateRequest& request) override {
    diag::Diagnostics diags;
    const sdk::Value* cpu = request.attributes.find("cpu");
    if (!cpu) {
      diags.error(diag::Code::E0303, source::Span{}, "`cpu` is required");
    } else if (cpu->kind() == sdk::Kind::Int && cpu->as_int() <= 0) {
      diags.error(diag::Code::E0504, source::Span{}, "`cpu` must be positive");
    }
    return diags;
  }

  sdk::ReadResponse read(const sdk::ReadRequest& request) override {
    sdk::ReadResponse response;
    auto it = world.find(request.address);
    if (it != world.end()) response.state = it->second;
    return response;
  }

  sdk::PlanResponse plan_change(const sdk::PlanRequest& request) override {
    sdk::PlanResponse response;
    if (request.desired.is_null()) return response;
    sdk::Value planned = request.desired;
    bool replace = false;
    if (!request.prior.is_null()) {
      const sdk::Value* old_zone = request.prior.find("zone");
      const sdk::Value* new_zone = request.desired.find("zone");
      if ((old_zone ? *old_zone : sdk::Value()) != (new_zone ? *new_zone : sdk::Value())) {
        response.requires_replace.push_back("zone");
        replace = true;
      }
    }
    for (const char* output : {"id", "ip"}) {
      const sdk::Value* old = request.prior.is_null() ? nullptr : request.prior.find(output);
      planned = with(planned, output, old && !replace ? *old : sdk::Value::unknown());
    }
    response.planned = planned;
    return response;
  }

  sdk::ApplyResponse apply_change(const sdk::ApplyRequest& request) override {
    sdk::ApplyResponse response;
    std::string verb = request.planned.is_null() ? "delete"
                       : request.prior.is_null() ? "create"
                                                 : "update";
    log.push_back(verb + " " + request.address);
    if (fail_apply.count(request.address) ||
        (verb == "delete" && fail_delete.count(request.address))) {
      response.diagnostics.error(diag::Code::E0504, source::Span{},
                                 "the machine " + request.address + " caught fire");
      return response;
    }
    if (verb == "delete") {
      // Deletes the object the prior names (by id), as a real provider must: after a
      // create_before_destroy replace the address already holds the new object.
      auto it = world.find(request.address);
      if (it != world.end() && *it->second.find("id") == *request.prior.find("id")) world.erase(it);
      return response;
    }
    for (const auto& [name, value] : request.planned.as_map()) {
      if (name != "id" && name != "ip" && value.contains_unknown()) {
        response.diagnostics.error(diag::Code::E0504, source::Span{},
                                   "input `" + name + "` is unknown at apply");
        return response;
      }
    }
    sdk::Value state = request.planned;
    if (verb == "create") {
      char id[16];
      std::snprintf(id, sizeof id, "m-%04d", next_id);
      state = with(state, "id", std::string(id));
      state = with(state, "ip", "10.0.0." + std::to_string(next_id));
      ++next_id;
    }
    world[request.address] = state;
    response.state = state;
    return response;
  }

 private:
  sdk::ProviderSchema schema_;
};

class FakeProviders final : public sdk::Providers {
 public:
  void add(sdk::Provider* provider) { providers_[provider->schema().name] = provider; }

  sdk::Provider* get(std::string_view name) override {
    auto it = providers_.find(std::string(name));
    return it == providers_.end() ? nullptr : it->second;
  }
  const sdk::ResourceSchema* find_resource(std::string_view type) const override {
    for (const auto& [name, provider] : providers_) {
      if (const sdk::ResourceSchema* r = provider->schema().find(type)) return r;
    }
    return nullptr;
  }
  const sdk::ProviderSchema* find_provider(std::string_view name) const override {
    auto it = providers_.find(std::string(name));
    return it == providers_.end() ? nullptr : &it->second->schema();
  }
  std::vector<std::string> resource_types() const override {
    std::vector<std::string> types;
    for (const auto& [name, provider] : providers_) {
      for (const auto& r : provider->schema().resources)
        types.push_back(r.type);
    }
    return types;
  }

 private:
  std::map<std::string, sdk::Provider*> providers_;
};

// Keeps every saved state in memory; `fail_from` makes the n-th save (1-based) and later ones fail.
class MemoryBackend final : public state::Backend {
 public:
  std::vector<state::State> saves;
  int fail_from = 0;

  std::string location() const override { return "memory"; }
  std::optional<state::State> load(const sdk::SchemaSource&, diag::Diagnostics&) override {
    return saves.empty() ? state::State{} : saves.back();
  }
  diag::Diagnostics save(state::State& state) override {
    diag::Diagnostics diags;
    if (fail_from > 0 && static_cast<int>(saves.size()) + 1 >= fail_from) {
      diags.error(diag::Code::E0505, source::Span{}, "the disk is full");
      return diags;
    }
    ++state.serial;
    saves.push_back(state);
    return diags;
  }
  // In-memory state is private to this process: the lock always succeeds.
  std::unique_ptr<state::StateLock> lock(std::string_view operation, std::chrono::milliseconds,
                                         diag::Diagnostics&) override {
    struct Held final : state::StateLock {
      state::LockInfo held;
      const state::LockInfo& info() const override { return held; }
    };
    auto lock = std::make_unique<Held>();
    lock->held.operation = std::string(operation);
    return lock;
  }
};

inline std::string machine(const std::string& label) {
  return "fake.machine[\"" + label + "\"]";
}

inline eval::DesiredResource desired_machine(const std::string& label, sdk::Value attributes,
                                             std::vector<std::string> depends_on = {}) {
  eval::DesiredResource r;
  r.address = machine(label);
  r.type = "fake.machine";
  r.provider = "fake";
  r.attributes = std::move(attributes);
  r.depends_on = std::move(depends_on);
  r.span = source::Span{0, 10, 20};
  return r;
}

}  // namespace kc::testing
