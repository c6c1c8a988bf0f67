// DesiredState: what the compiler hands to the runtime. Resources with stable addresses, their
// input attributes as Values (possibly holding Unknowns that depend on other resources' outputs),
// their dependencies and lifecycle, and the outputs. No AST or type crosses this boundary.
#pragma once

#include <map>
#include <optional>
#include <set>
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

// `rollout { ... }` (LANGUAGE.md 7): resources of one group are replaced in waves no wider than
// these bounds. A bound is a count or a percent of the group; with `quorum` no wave may take away
// a majority of the group.
struct RolloutBound {
  bool percent = false;
  double amount = 0;  // a count, or a percent (25 for 25%)
};
struct Rollout {
  std::string group;  // empty: no rollout group
  std::optional<RolloutBound> max_surge;
  std::optional<RolloutBound> max_unavailable;
  bool quorum = false;
};

struct DesiredResource {
  std::string address;    // `prod.sim.machine["cp-0"]`, or `sim.machine["web"]` at the top level
  std::string type;       // "sim.machine"
  std::string provider;   // "sim"
  sdk::Value attributes;  // a map of the inputs the module sets, in source order
  std::vector<std::string> depends_on;  // addresses, sorted, without duplicates
  Lifecycle lifecycle;
  Rollout rollout;
  // `hooks { before_destroy = ["drain"] }`: provider actions by event, in order.
  std::map<std::string, std::vector<std::string>> hooks;
  // Attributes never printed: those the provider marks sensitive, and those computed from a
  // secret (a @secret field, another resource's sensitive attribute).
  std::set<std::string> sensitive;
  source::Span span;  // the `resource` expression
};

struct DesiredOutput {
  std::string name;
  sdk::Value value;
  source::Span span;
  bool sensitive = false;  // holds or was computed from a secret: printed as "(sensitive)"
};

struct ProviderConfig {
  std::string name;   // the provider ("sim")
  std::string alias;  // `provider sim fast { ... }`: "fast"; empty for the default configuration
  sdk::Value config;  // a map
  source::Span span;
};

struct DesiredState {
  std::vector<DesiredResource> resources;  // sorted by address
  std::vector<DesiredOutput> outputs;      // in source order
  std::vector<ProviderConfig> providers;
  // `backend KIND { ... }`; nullopt: the default (local state under .kc/).
  std::optional<ProviderConfig> backend;
  sdk::Value exports;  // the root module's exports as a map, for `kc eval`

  const DesiredResource* find(std::string_view address) const;
};

}  // namespace kc::eval
