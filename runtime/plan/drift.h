// Drift: one stored resource the world no longer matches, as the refresh finds it, the plan shows
// it and a saved plan keeps it.
#pragma once

#include <string>
#include <vector>

#include "providers/sdk/value.h"
#include "runtime/plan/action.h"

namespace kc::plan {

// One stored resource the world no longer matches.
struct Drift {
  std::string address, type;
  // Update: attributes changed; Delete: the object is gone; Create: an interrupted apply made it
  // (adopted from a pending create, refresh.h adopt_pending).
  Action action = Action::Update;
  sdk::Value before;                   // the stored attributes (null for most Creates)
  sdk::Value after;                    // what the provider reports now; null when gone
  std::vector<std::string> changed;    // attribute names whose value differs, sorted
  std::vector<std::string> sensitive;  // attribute names never printed, sorted
};

}  // namespace kc::plan
