// The planning steps `plan`, `apply` and `destroy` share: load and refresh the state, evaluate the
// module with the outputs that are known, plan, and re-evaluate where a planned change makes a
// known output unknown again. Also the InputResolver the executor uses during apply.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/lock_options.h"
#include "cli/plan_options.h"
#include "cli/session.h"
#include "runtime/apply/resolver.h"
#include "runtime/plan/plan.h"
#include "runtime/plan/refresh.h"
#include "runtime/state/local_backend.h"
#include "runtime/state/state.h"

namespace kc::cli {

struct PlanRun {
  // Held until the run ends; declared first so that it is released after everything else.
  std::unique_ptr<state::StateLock> lock;
  std::unique_ptr<state::LocalBackend> backend;
  state::State state;              // refreshed
  std::vector<plan::Drift> drift;  // what the refresh found changed outside kc, by address
  // Pending creates were settled (adopted or dropped): the state differs from the stored one even
  // when the plan has no changes, so a run that may write must save it.
  bool settled_pending = false;
  plan::Plan plan;
  // The module's provider blocks, for the executor's settings (max_concurrency, timeout).
  std::vector<eval::ProviderConfig> providers;
};

// nullopt when anything reported errors (already in the session's diagnostics). `options` says
// whether to refresh first and which addresses the plan covers (--target/--exclude).
// The state is locked (for `lock.operation`, default "plan"/"destroy") before it is read, and the
// lock is kept in the PlanRun.
std::optional<PlanRun> prepare_plan(Session& session, bool destroy, const PlanOptions& options = {},
                                    const LockOptions& lock = {});

// Stored attributes by address: the known outputs evaluation reads.
std::map<std::string, sdk::Value> known_resources(const state::State& state);

// Re-evaluates the module against the state as it is now, for inputs that were unknown at plan
// time.
class ModuleResolver final : public apply::InputResolver {
 public:
  explicit ModuleResolver(Session& session) : session_(session) {}
  std::optional<sdk::Value> resolve(const std::string& address, const state::State& current,
                                    diag::Diagnostics& diags) override;

 private:
  Session& session_;
};

// Evaluates the outputs against the applied state, stores them in it, records the settings of the
// resources the plan left unchanged (record_settings.h) and saves it.
void store_outputs(Session& session, PlanRun& run);

// Prints the text form of the plan, noting drift found by the refresh.
void print_plan(const PlanRun& run, bool color);

}  // namespace kc::cli
