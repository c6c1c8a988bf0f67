// SimProvider: configuration, and routing of read/plan/apply/action requests to the kind's rules
// against the persisted world.
#include "providers/sim/sim_provider.h"

#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "providers/sim/kind.h"
#include "providers/sim/resource_rules.h"
#include "providers/sim/sim_schema.h"
#include "providers/sim/world.h"
#include "providers/sim/world_store.h"

namespace kc::sim {
namespace {

diag::Diagnostic& error(diag::Diagnostics& diagnostics, std::string message) {
  return diagnostics.error(diag::Code::E0504, source::Span{}, std::move(message));
}

// The kind of `type`; nullptr with a diagnostic when this provider has no such resource type.
const SimKind* kind_of(const std::string& type, diag::Diagnostics& diagnostics) {
  if (const SimKind* kind = find_kind(type)) return kind;
  error(diagnostics, "provider `sim` has no resource type `" + type + "`");
  return nullptr;
}

// The `id` stored in an object's attributes; empty with a diagnostic when there is none.
std::string stored_id(const std::string& address, const sdk::Value& attributes,
                      diag::Diagnostics& diagnostics) {
  const sdk::Value& id = attribute_or_null(attributes, "id");
  if (id.kind() == sdk::Kind::String && !id.as_string().empty()) return id.as_string();
  error(diagnostics, "the stored state of `" + address + "` has no `id`");
  return {};
}

void sleep_ms(int64_t ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
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
  double failure_rate = 0;
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
      } else if (name == "failure_rate") {
        const bool percent = value.kind() == sdk::Kind::Percent;
        const bool fraction = value.kind() == sdk::Kind::Float;
        const double rate = percent    ? value.as_percent().value / 100.0
                            : fraction ? value.as_float()
                                       : -1;
        if (!(rate >= 0 && rate <= 1)) {
          error(diagnostics,
                "provider `sim` setting `failure_rate` must be a percent from 0% to 100% (or a "
                "float from 0 to 1)");
        } else {
          failure_rate = rate;
        }
      } else {
        error(diagnostics, "provider `sim` has no setting `" + name + "`")
            .with_note("its settings are `latency`, `seed` and `failure_rate`");
      }
    }
  }
  std::string module_dir = request.module_dir.empty() ? "." : request.module_dir;
  auto store = std::make_unique<WorldStore>(module_dir);
  store->current(diagnostics);  // a corrupt world is reported now rather than at the first read

  std::lock_guard<std::mutex> guard(mutex_);
  latency_ms_ = latency_ms;
  seed_ = seed;
  failure_rate_ = failure_rate;
  module_dir_ = std::move(module_dir);
  store_ = std::move(store);
  return diagnostics;
}

diag::Diagnostics SimProvider::validate(const sdk::ValidateRequest& request) {
  diag::Diagnostics diagnostics;
  if (const SimKind* kind = kind_of(request.type, diagnostics)) {
    validate_resource(*kind, request.address, request.attributes, diagnostics);
  }
  return diagnostics;
}

sdk::ReadResponse SimProvider::read(const sdk::ReadRequest& request) {
  sdk::ReadResponse response;
  const SimKind* kind = kind_of(request.type, response.diagnostics);
  if (kind == nullptr) return response;
  // A null state with an idempotency key asks for the object a create with that key made.
  const bool by_key = request.state.is_null();
  if (by_key && request.idempotency_key.empty()) return response;
  std::string id;
  if (!by_key) {
    id = stored_id(request.address, request.state, response.diagnostics);
    if (id.empty()) return response;
  }

  std::lock_guard<std::mutex> guard(mutex_);
  if (store_ == nullptr) {
    error(response.diagnostics, "provider `sim` is used before it is configured");
    return response;
  }
  const SimWorld* world = store_->current(response.diagnostics);
  if (world == nullptr) return response;
  const SimObject* object = by_key ? world->find_by_key(kind->type(), request.idempotency_key)
                                   : world->find(kind->type(), id);
  if (object != nullptr && kind->present(*object, module_dir_)) response.state = object->attributes;
  return response;
}

sdk::PlanResponse SimProvider::plan_change(const sdk::PlanRequest& request) {
  sdk::PlanResponse response;
  const SimKind* kind = kind_of(request.type, response.diagnostics);
  if (kind == nullptr) return response;
  return plan_resource(*kind, request);
}

bool SimProvider::settings(std::string* module_dir, int64_t* latency_ms,
                           diag::Diagnostics& diagnostics) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (store_ == nullptr) {
    error(diagnostics, "provider `sim` is used before it is configured");
    return false;
  }
  *module_dir = module_dir_;
  *latency_ms = latency_ms_;
  return true;
}

sdk::ApplyResponse SimProvider::apply_change(const sdk::ApplyRequest& request) {
  sdk::ApplyResponse response;
  if (kind_of(request.type, response.diagnostics) == nullptr) return response;
  if (request.prior.is_null() && request.planned.is_null()) return response;
  std::string module_dir;
  int64_t latency_ms = 0;
  if (!settings(&module_dir, &latency_ms, response.diagnostics)) return response;
  sleep_ms(latency_ms);
  const char* operation = request.prior.is_null()     ? "create"
                          : request.planned.is_null() ? "delete"
                                                      : "update";
  if (transient_failure(request.address, operation, response.diagnostics)) {
    response.retryable = true;
    return response;
  }
  std::unique_lock<std::mutex> guard(mutex_);
  diag::Diagnostics ignored;
  const std::string prior_id =
      request.prior.is_null() ? std::string() : stored_id(request.address, request.prior, ignored);
  if (injected_failure(request.address, prior_id, operation, response.diagnostics)) {
    return response;
  }
  uint64_t ticket = 0;
  response = apply_locked(request, &ticket);
  WorldStore* store = store_.get();
  guard.unlock();
  if (!store->sync(ticket, response.diagnostics)) response.state = sdk::Value();
  return response;
}

sdk::ApplyResponse SimProvider::apply_locked(const sdk::ApplyRequest& request, uint64_t* ticket) {
  sdk::ApplyResponse response;
  diag::Diagnostics& diagnostics = response.diagnostics;
  const SimKind& kind = *find_kind(request.type);
  const std::string& type = kind.type();

  if (request.planned.is_null()) {  // delete; an object that is already gone is fine
    std::string id = stored_id(request.address, request.prior, diagnostics);
    if (id.empty()) return response;
    store_->modify_unsynced(
        [&](SimWorld& world, diag::Diagnostics& change_diagnostics) {
          world.begin_change(&run_, request.address);
          const SimObject* object = world.find(type, id);
          if (object == nullptr) return false;
          SimContext context{world, module_dir_, seed_, request.address, change_diagnostics};
          const size_t errors = change_diagnostics.error_count();
          kind.before_delete(context, *object);
          if (change_diagnostics.error_count() > errors) return false;
          return world.erase(type, id);
        },
        diagnostics, ticket);
    return response;
  }

  const bool create = request.prior.is_null();
  std::string id;
  if (!create) {
    id = stored_id(request.address, request.prior, diagnostics);
    if (id.empty()) return response;
  }
  sdk::Value inputs = applicable_inputs(kind, request.address, create ? "create" : "update",
                                        request.planned, diagnostics);
  if (diagnostics.has_errors()) return response;
  if (!create) {
    for (const sdk::AttributeSchema& attribute : kind.schema().attributes) {
      if (!attribute.force_new) continue;
      if (!(attribute_or_null(request.prior, attribute.name) ==
            attribute_or_null(inputs, attribute.name))) {
        error(diagnostics, "cannot update `" + request.address + "` in place: changing `" +
                               attribute.name + "` requires replacing it");
      }
    }
    if (diagnostics.has_errors()) return response;
  }

  store_->modify_unsynced(
      [&](SimWorld& world, diag::Diagnostics& change_diagnostics) {
        world.begin_change(&run_, request.address);
        SimContext context{world, module_dir_, seed_, request.address, change_diagnostics};
        const size_t errors = change_diagnostics.error_count();
        const SimObject* existing = nullptr;
        if (create && !request.idempotency_key.empty()) {
          // A retried or resumed create: hand back what the first attempt made.
          if (const SimObject* made = world.find_by_key(type, request.idempotency_key)) {
            response.state = made->attributes;
            return false;
          }
        }
        if (create) {
          id = world.next_id(type);
        } else if ((existing = world.find(type, id)) == nullptr) {
          context.error("cannot update: `" + id + "` no longer exists")
              .with_note("plan again to create it anew");
          return false;
        }
        sdk::Entries outputs =
            kind.outputs(context, id, inputs, existing ? existing->attributes : sdk::Value());
        if (change_diagnostics.error_count() > errors) return false;
        outputs.emplace_back("id", id);
        sdk::Value attributes = assemble(kind.schema(), inputs, outputs);
        if (create) {
          response.state = world.insert(type, SimObject{id, attributes}).attributes;
          if (!request.idempotency_key.empty()) world.remember_key(request.idempotency_key, id);
          kind.after_create(context, *world.find(type, id));
          return true;
        }
        bool changed = false;
        response.state = world.update(type, id, std::move(attributes), &changed)->attributes;
        return changed;
      },
      diagnostics, ticket);
  if (diagnostics.has_errors()) response.state = sdk::Value();
  return response;
}

sdk::ActionResponse SimProvider::run_action(const sdk::ActionRequest& request) {
  sdk::ActionResponse response;
  diag::Diagnostics& diagnostics = response.diagnostics;
  const SimKind* kind = kind_of(request.type, diagnostics);
  if (kind == nullptr) return response;
  const sdk::ActionSchema* action = kind->schema().find_action(request.action);
  if (action == nullptr) {
    std::string known;
    for (const sdk::ActionSchema& a : kind->schema().actions)
      known += (known.empty() ? "`" : ", `") + a.name + "`";
    address_error(diagnostics, request.address,
                  "`" + kind->type() + "` has no action `" + request.action + "`")
        .with_note(known.empty() ? "it has no actions" : "its actions are " + known);
    return response;
  }
  check_params(*action, request.address, request.params, diagnostics);
  std::string id = stored_id(request.address, request.state, diagnostics);
  if (diagnostics.has_errors()) return response;
  std::string module_dir;
  int64_t latency_ms = 0;
  if (!settings(&module_dir, &latency_ms, diagnostics)) return response;
  sleep_ms(latency_ms);
  if (transient_failure(request.address, action->name, diagnostics)) {
    response.retryable = true;
    return response;
  }

  std::unique_lock<std::mutex> guard(mutex_);
  if (injected_failure(request.address, id, action->name, diagnostics)) return response;
  uint64_t ticket = 0;
  store_->modify_unsynced(
      [&](SimWorld& world, diag::Diagnostics& change_diagnostics) {
        world.begin_change(&run_, request.address);
        SimContext context{world, module_dir_, seed_, request.address, change_diagnostics};
        const bool changed = kind->run_action(context, action->name, world.find(kind->type(), id),
                                              request.state, request.params);
        response.retryable = context.retryable;
        return changed;
      },
      diagnostics, &ticket);
  WorldStore* store = store_.get();
  guard.unlock();
  store->sync(ticket, diagnostics);
  return response;
}

}  // namespace kc::sim
