// DesiredState: what the compiler hands to the runtime. Resources with stable addresses, their
// input attributes as Values (possibly holding Unknowns that depend on other resources' outputs),
// their dependencies and lifecycle, and the outputs. No AST or type crosses this boundary.
#pragma once

#include <string>
#include <vector>

#include "compiler/source/source.h"
#include "providers/sdk/value.h"

namespace kc::eval {

struct Lifecycle {
  bool prevent_destroy = false;
  bool create_before_destroy = false;
  std::vector<std::string> ignore_changes;
};

struct DesiredResource {
  std::string address;    // `prod.sim.machine["cp-0"]`, or `sim.machine["web"]` at the top level
  std::string type;       // "sim.machine"
  std::string provider;   // "sim"
  sdk::Value attributes;  // a map of the inputs the module sets, in source order
  std::vector<std::string> depends_on;  // addresses, sorted, without duplicates
  Lifecycle lifecycle;
  source::Span span;  // the `resource` expression
};

struct DesiredOutput {
  std::string name;
  sdk::Value value;
  source::Span span;
};

struct ProviderConfig {
  std::string name;
  sdk::Value config;  // a map
  source::Span span;
};

struct DesiredState {
  std::vector<DesiredResource> resources;  // sorted by address
  std::vector<DesiredOutput> outputs;      // in source order
  std::vector<ProviderConfig> providers;
  sdk::Value exports;  // the root module's exports as a map, for `kc eval`

  const DesiredResource* find(std::string_view address) const;
};

}  // namespace kc::eval
