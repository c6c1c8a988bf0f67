// The provider interface: the seam between the runtime and the outside world. Every request and
// response is plain data (Values and strings), so a provider can later run out of process behind
// JSON-RPC. Errors come back as diagnostics (code E0504), never as exceptions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/schema.h"
#include "providers/sdk/value.h"

namespace kc::sdk {

struct ConfigureRequest {
  Value config;            // the `provider NAME { ... }` block as a map (null when absent)
  std::string module_dir;  // directory of the root module; providers keep local data below .kc/
};

struct ValidateRequest {
  std::string type;  // "sim.machine"
  std::string address;
  Value attributes;  // inputs as a map; may contain unknowns
};

struct ReadRequest {
  std::string type;
  std::string address;
  Value state;  // the stored attributes (inputs and outputs)
  // Set (with a null `state`) to find the object that a create carrying this idempotency key made,
  // if any: how a run that died during a create adopts what the create made.
  std::string idempotency_key;
};
struct ReadResponse {
  Value state;  // the attributes as the world has them now; null when the object is gone
  diag::Diagnostics diagnostics;
  bool retryable =
      false;  // the failure is transient (throttling, a timeout): trying again may work
};

struct PlanRequest {
  std::string type;
  std::string address;
  Value prior;    // stored attributes; null for a create
  Value desired;  // desired inputs; null for a delete
};
struct PlanResponse {
  Value planned;  // inputs and outputs after apply; outputs not yet known are Unknown
  std::vector<std::string> requires_replace;  // input attributes whose change forces replacement
  diag::Diagnostics diagnostics;
};

struct ApplyRequest {
  std::string type;
  std::string address;
  Value prior;    // null for a create
  Value planned;  // null for a delete; must hold no unknown inputs
  // For creates: a key unique to this create, the same on every retry and on the resumed run after
  // a crash. A provider that already made an object with this key returns it instead of making a
  // second one.
  std::string idempotency_key;
};
struct ApplyResponse {
  Value state;  // the new stored attributes; null after a delete
  diag::Diagnostics diagnostics;
  bool retryable = false;  // the failure is transient: the same request may be sent again
};

// A provider action (ResourceSchema::actions) run as a plan step, e.g. a `before_destroy` drain.
struct ActionRequest {
  std::string type;  // "sim.machine"
  std::string address;
  std::string action;  // "drain": the name of one of the type's ActionSchemas
  Value params;        // the action's arguments as a map of known values; null when none are given
  Value state;         // the stored attributes (inputs and outputs) of the object acted on
};
struct ActionResponse {
  diag::Diagnostics diagnostics;  // errors mean the action failed and the step fails
  bool retryable = false;         // the failure is transient: the action may be run again
};

// One provider instance. Calls for different resources may come from several threads at once; an
// implementation synchronises its own shared data.
class Provider {
 public:
  virtual ~Provider() = default;
  virtual const ProviderSchema& schema() const = 0;
  virtual diag::Diagnostics configure(const ConfigureRequest& request) = 0;
  virtual diag::Diagnostics validate(const ValidateRequest& request) = 0;
  virtual ReadResponse read(const ReadRequest& request) = 0;
  virtual PlanResponse plan_change(const PlanRequest& request) = 0;
  virtual ApplyResponse apply_change(const ApplyRequest& request) = 0;
  // Runs one action on an existing object. The default (for providers that declare no actions)
  // reports every action as unsupported.
  virtual ActionResponse run_action(const ActionRequest& request) {
    ActionResponse response;
    response.diagnostics.error(diag::Code::E0504, source::Span{},
                               "provider of `" + request.type + "` does not support action `" +
                                   request.action + "` (on `" + request.address + "`)");
    return response;
  }
};

// The providers of one run, by name ("sim"). Also what the compiler reads schemas from.
class Providers : public SchemaSource {
 public:
  // nullptr when no provider has that name.
  virtual Provider* get(std::string_view name) = 0;
};

}  // namespace kc::sdk
