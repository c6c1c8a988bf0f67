// What the sim provider's unit tests share: configuring a provider on a directory and creating
// resources through the provider interface the way the executor does (plan, then apply).
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "providers/sdk/provider.h"
#include "tests/unit/temp_dir.h"

namespace kc::test {

// The address of `type` labelled `label`: sim.machine["web"].
inline std::string address_of(const std::string& type, const std::string& label) {
  return type + "[\"" + label + "\"]";
}

inline void configure(sdk::Provider& provider, const std::string& dir,
                      sdk::Value config = sdk::Value()) {
  diag::Diagnostics diagnostics = provider.configure(sdk::ConfigureRequest{config, dir});
  REQUIRE_MESSAGE(diagnostics.empty(), messages(diagnostics));
}

// Plans and applies a create of `type`; the plan must succeed, the apply may fail.
inline sdk::ApplyResponse try_create(sdk::Provider& provider, const std::string& type,
                                     const std::string& label, const sdk::Value& inputs) {
  const std::string address = address_of(type, label);
  sdk::PlanResponse plan =
      provider.plan_change(sdk::PlanRequest{type, address, sdk::Value(), inputs});
  REQUIRE_MESSAGE(plan.diagnostics.empty(), messages(plan.diagnostics));
  return provider.apply_change(sdk::ApplyRequest{type, address, sdk::Value(), plan.planned, ""});
}

// A create that must succeed; returns the stored state.
inline sdk::Value create_ok(sdk::Provider& provider, const std::string& type,
                            const std::string& label, const sdk::Value& inputs) {
  sdk::ApplyResponse applied = try_create(provider, type, label, inputs);
  REQUIRE_MESSAGE(applied.diagnostics.empty(), messages(applied.diagnostics));
  REQUIRE(!applied.state.is_null());
  return applied.state;
}

}  // namespace kc::test
