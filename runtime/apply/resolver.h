// InputResolver: how the executor learns a resource's inputs once the resources it depends on
// exist. The CLI implements it by evaluating the module again against the current state.
#pragma once

#include <optional>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/value.h"
#include "runtime/state/state.h"

namespace kc::apply {

class InputResolver {
 public:
  virtual ~InputResolver();
  // The desired inputs (a map) of the resource at `address`, with the outputs of its dependencies
  // taken from `current`. nullopt, with errors in `diags`, when they cannot be computed.
  virtual std::optional<sdk::Value> resolve(const std::string& address, const state::State& current,
                                            diag::Diagnostics& diags) = 0;
};

}  // namespace kc::apply
