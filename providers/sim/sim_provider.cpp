// SimProvider: configuration, and read/apply against the persisted world.
#include "providers/sim/sim_provider.h"

#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "providers/sim/machine_rules.h"
#include "providers/sim/sim_schema.h"
#include "providers/sim/world.h"
#include "providers/sim/world_store.h"

namespace kc::sim {
namespace {

diag::Diagnostic& error(diag::Diagnostics& diagnostics, std::string message) {
  return diagnostics.error(diag::Code::E0504, source::Span{}, std::move(message));
}

// False (with a diagnostic) when `type` is not a resource this provider has.
bool check_type(const std::string& type, diag::Diagnostics& diagnostics) {
  if (type == kMachineType) return true;
  error(diagnostics, "provider `sim` has no resource type `" + type + "`");
  return false;
}

// The `id` stored in a machine's attributes; empty with a diagnostic when there is none.
std::string stored_id(const std::string& address, const sdk::Value& attributes,
                      diag::Diagnostics& diagnostics) {
  const sdk::Value* id = attributes.find("id");
  if (id != nullptr && id->kind() == sdk::Kind::String && !id->as_string().empty()) {
    return id->as_string();
  }
  error(diagnostics, "the stored state of `" + address + "` has no machine `id`");
  return {};
}

}  // namespace

SimProvider::SimProvider() = default;
SimProvider::~SimProvider() = default;

const sdk::ProviderSchema& SimProvider::schema() const {
  return sim_schema();
}

diag::Diagnostics SimProvider::configure(const sdk::ConfigureRequest& request) {
  diag::Diagnostics diagnostics;
  int64_t latency_ms = 0;
  int64_t seed = 1;
  const sdk::Value& config = request.config;
  if (config.is_unknown()) {
    error(diagnostics, "the configuration of provider `sim` is not known before apply");
  } else if (!config.is_null() && config.kind() != sdk::Kind::Map) {
    error(diagnostics, "the configuration of provider `sim` must be a map");
  } else if (!config.is_null()) {
    for (const auto& [name, value] : config.as_map()) {
      if (value.is_null() || name == "max_concurrency") continue;
      if (value.contains_unknown()) {
        error(diagnostics, "provider `sim` setting `" + name + "` is not known before apply");
      } else if (name == "latency") {
        if (value.kind() != sdk::Kind::Duration || value.as_duration().ms < 0) {
          error(diagnostics, "provider `sim` setting `latency` must be a duration of 0s or more");
        } else {
          latency_ms = value.as_duration().ms;
        }
      } else if (name == "seed") {
        if (value.kind() != sdk::Kind::Int) {
          error(diagnostics, "provider `sim` setting `seed` must be an int");
        } else {
          seed = value.as_int();
        }
      } else {
        error(diagnostics, "provider `sim` has no setting `" + name + "`")
            .with_note("its settings are `latency` and `seed`");
      }
    }
  }
  auto store = std::make_unique<WorldStore>(request.module_dir.empty() ? "." : request.module_dir);
  store->current(diagnostics);  // a corrupt world is reported now rather than at the first read

  std::lock_guard<std::mutex> guard(mutex_);
  latency_ms_ = latency_ms;
  seed_ = seed;
  store_ = std::move(store);
  return diagnostics;
}

diag::Diagnostics SimProvider::validate(const sdk::ValidateRequest& request) {
  diag::Diagnostics diagnostics;
  if (check_type(request.type, diagnostics)) {
    validate_machine(request.address, request.attributes, diagnostics);
  }
  return diagnostics;
}

sdk::ReadResponse SimProvider::read(const sdk::ReadRequest& request) {
  sdk::ReadResponse response;
  if (!check_type(request.type, response.diagnostics) || request.state.is_null()) return response;
  std::string id = stored_id(request.address, request.state, response.diagnostics);
  if (id.empty()) return response;

  std::lock_guard<std::mutex> guard(mutex_);
  if (store_ == nullptr) {
    error(response.diagnostics, "provider `sim` is used before it is configured");
    return response;
  }
  const SimWorld* world = store_->current(response.diagnostics);
  if (world == nullptr) return response;
  if (const SimMachine* machine = world->find(id)) response.state = machine->attributes;
  return response;
}

sdk::PlanResponse SimProvider::plan_change(const sdk::PlanRequest& request) {
  sdk::PlanResponse response;
  if (!check_type(request.type, response.diagnostics)) return response;
  return plan_machine(request);
}

sdk::ApplyResponse SimProvider::apply_change(const sdk::ApplyRequest& request) {
  sdk::ApplyResponse response;
  if (!check_type(request.type, response.diagnostics)) return response;
  if (request.prior.is_null() && request.planned.is_null()) return response;
  int64_t latency_ms = 0;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (store_ == nullptr) {
      error(response.diagnostics, "provider `sim` is used before it is configured");
      return response;
    }
    latency_ms = latency_ms_;
  }
  if (latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(latency_ms));
  std::lock_guard<std::mutex> guard(mutex_);
  return apply_locked(request);
}

sdk::ApplyResponse SimProvider::apply_locked(const sdk::ApplyRequest& request) {
  sdk::ApplyResponse response;
  diag::Diagnostics& diagnostics = response.diagnostics;

  if (request.planned.is_null()) {  // delete; a machine that is already gone is fine
    std::string id = stored_id(request.address, request.prior, diagnostics);
    if (id.empty()) return response;
    store_->modify([&](SimWorld& world, diag::Diagnostics&) { return world.delete_machine(id); },
                   diagnostics);
    return response;
  }

  if (request.prior.is_null()) {  // create
    sdk::Value inputs = applicable_inputs(request.address, "create", request.planned, diagnostics);
    if (diagnostics.has_errors()) return response;
    store_->modify(
        [&](SimWorld& world, diag::Diagnostics&) {
          response.state = world.create_machine(inputs, seed_).attributes;
          return true;
        },
        diagnostics);
    if (diagnostics.has_errors()) response.state = sdk::Value();
    return response;
  }

  // update in place
  std::string id = stored_id(request.address, request.prior, diagnostics);
  sdk::Value inputs = applicable_inputs(request.address, "update", request.planned, diagnostics);
  if (diagnostics.has_errors()) return response;
  for (const sdk::AttributeSchema& attribute : machine_schema().attributes) {
    if (!attribute.force_new) continue;
    const sdk::Value* before = request.prior.find(attribute.name);
    const sdk::Value* after = inputs.find(attribute.name);
    bool same = before == nullptr || after == nullptr ? before == after : *before == *after;
    if (!same) {
      error(diagnostics, "cannot update `" + request.address + "` in place: changing `" +
                             attribute.name + "` requires replacing the machine");
    }
  }
  if (diagnostics.has_errors()) return response;
  store_->modify(
      [&](SimWorld& world, diag::Diagnostics& modify_diagnostics) {
        size_t events_before = world.events().size();
        const SimMachine* machine = world.update_machine(id, inputs);
        if (machine == nullptr) {
          error(modify_diagnostics,
                "cannot update `" + request.address + "`: machine `" + id + "` no longer exists")
              .with_note("plan again to create it anew");
          return false;
        }
        response.state = machine->attributes;
        return world.events().size() != events_before;
      },
      diagnostics);
  if (diagnostics.has_errors()) response.state = sdk::Value();
  return response;
}

}  // namespace kc::sim
