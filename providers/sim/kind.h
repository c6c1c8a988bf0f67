// SimKind: what SimProvider needs from one resource kind beyond the generic rules of
// resource_rules.h — value checks, outputs, delete checks and actions — and the registry of kinds.
// Each kind lives in its own *_rules.cpp file.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/schema.h"
#include "providers/sdk/value.h"
#include "providers/sim/world.h"

namespace kc::sim {

// What one change of the world may use. Errors name `address`.
struct SimContext {
  SimWorld& world;                // the world being changed; rolled back when an error is reported
  const std::string& module_dir;  // the provider's module directory
  int64_t seed = 1;               // the provider's `seed`
  const std::string& address;     // the resource address the change is for
  diag::Diagnostics& diagnostics;
  // Set with an error that is transient (a drain a disruption budget holds up): the caller
  // reports it as retryable.
  bool retryable = false;

  // The `sim.ca` whose `fingerprint` is `fingerprint`; nullptr when there is none (pki_rules.cpp).
  const SimObject* find_ca(const SimWorld& world, std::string_view fingerprint);
  // An E0504 error "`address`: message".
  diag::Diagnostic& error(const std::string& message) const;
};

// An output that an in-place update recomputes when one of `inputs` changes; the plan shows it as
// unknown then. Outputs not listed keep their value for the object's whole life.
struct DerivedOutput {
  std::string output;
  std::vector<std::string> inputs;
};

// Stateless; one instance per kind, shared by every provider and thread.
class SimKind {
 public:
  explicit SimKind(std::string_view type, std::vector<DerivedOutput> derived = {});
  virtual ~SimKind() = default;
  SimKind(const SimKind&) = delete;
  SimKind& operator=(const SimKind&) = delete;

  const sdk::ResourceSchema& schema() const { return *schema_; }
  const std::string& type() const { return schema_->type; }
  const std::vector<DerivedOutput>& derived() const { return derived_; }

  // Checks of input values beyond their types, without the world. `known` holds only the inputs
  // that are set, known and of the right type; anything may be missing from it.
  virtual void check_inputs(const std::string& address, const sdk::Value& known,
                            diag::Diagnostics& diagnostics) const;

  // The outputs other than `id` of object `id` with `inputs` (complete, known, valid), checking
  // its references against `context.world`. `prior` is the object's attributes before an update,
  // null for a create. Errors go to `context`; nothing is stored then.
  virtual sdk::Entries outputs(SimContext& context, const std::string& id, const sdk::Value& inputs,
                               const sdk::Value& prior) const = 0;

  // Runs before `object` is removed from the world: may refuse (an error) or clean up.
  virtual void before_delete(SimContext& context, const SimObject& object) const;

  // Runs right after `object` was created in the world: may refuse (an error, and the create is
  // undone) or record what the create means beyond the object (a join gives its machine a node).
  virtual void after_create(SimContext& context, const SimObject& object) const;

  // False when the object is in the world but what it stands for outside it is gone (a deleted
  // kubeconfig file), so that read reports it gone and the next apply makes it again.
  virtual bool present(const SimObject& object, const std::string& module_dir) const;

  // Runs `action` (declared in the schema; params already checked against it) on `object`,
  // which is nullptr when the object is gone; `state` is what kc has stored for it. Returns
  // whether the world changed.
  virtual bool run_action(SimContext& context, std::string_view action, const SimObject* object,
                          const sdk::Value& state, const sdk::Value& params) const;

 private:
  const sdk::ResourceSchema* schema_;
  std::vector<DerivedOutput> derived_;
};

// The kind of `type`; nullptr when sim has no such kind.
const SimKind* find_kind(std::string_view type);

// One accessor per kind, each defined in that kind's *_rules.cpp.
const SimKind& machine_kind();
const SimKind& network_kind();
const SimKind& subnet_kind();
const SimKind& load_balancer_kind();
const SimKind& etcd_member_kind();
const SimKind& ca_kind();
const SimKind& certificate_kind();
const SimKind& bootstrap_kind();
const SimKind& join_kind();
const SimKind& addon_kind();
const SimKind& kubeconfig_kind();

// Small helpers the kinds share.
// The value of `name` in a map, or null.
const sdk::Value& attribute_or_null(const sdk::Value& map, std::string_view name);
// The string value of `name`, or "" when it is missing or not a string.
std::string string_attribute(const sdk::Value& map, std::string_view name);
// Reports "attribute `name` must not be empty" when `known` has `name` as an empty string.
void require_not_empty(const std::string& address, const sdk::Value& known, std::string_view name,
                       diag::Diagnostics& diagnostics);
// The `sim.ca` whose `fingerprint` is `fingerprint`; nullptr when there is none (pki_rules.cpp).
const SimObject* find_ca(const SimWorld& world, std::string_view fingerprint);
// An E0504 error "`address`: message" (what SimContext::error does, for checks without a world).
diag::Diagnostic& address_error(diag::Diagnostics& diagnostics, const std::string& address,
                                const std::string& message);

}  // namespace kc::sim
