// Planning shared by plan/apply/destroy, and re-evaluation during apply.
#include "cli/planning.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "runtime/plan/diff.h"
#include "runtime/plan/record_settings.h"
#include "runtime/plan/refresh.h"
#include "runtime/plan/render_drift.h"
#include "runtime/plan/render_text.h"
#include "runtime/plan/targeting.h"

namespace kc::cli {

std::map<std::string, sdk::Value> known_resources(const state::State& state) {
  std::map<std::string, sdk::Value> known;
  for (const auto& resource : state.resources)
    known.emplace(resource.address, resource.attributes);
  return known;
}

namespace {

// Resources whose planned change makes their stored outputs stale: everything being replaced, and
// updates whose provider says some output is unknown until applied.
std::set<std::string> stale_outputs(const plan::Plan& plan) {
  std::set<std::string> stale;
  for (const auto& change : plan.changes) {
    if (change.action == plan::Action::Replace ||
        (change.action == plan::Action::Update && !change.after_unknown.empty())) {
      stale.insert(change.address);
    }
  }
  return stale;
}

}  // namespace

std::optional<PlanRun> prepare_plan(Session& session, bool destroy, const PlanOptions& options,
                                    const LockOptions& lock) {
  if (!session.check()) return std::nullopt;
  diag::Diagnostics& diags = session.diagnostics();
  PlanRun run;
  run.backend = std::make_unique<state::LocalBackend>(
      state::LocalBackend::default_path(session.module_dir()));
  LockOptions locking = lock;
  if (locking.operation.empty()) locking.operation = destroy ? "destroy" : "plan";
  run.lock = lock_state(*run.backend, locking, diags);
  if (!run.lock) return std::nullopt;
  std::optional<state::State> loaded = run.backend->load(session.providers(), diags);
  if (!loaded) return std::nullopt;
  run.state = std::move(*loaded);

  // Providers are configured from the module's evaluation, so evaluate once before refreshing.
  std::map<std::string, sdk::Value> known = known_resources(run.state);
  const size_t diagnostics_before = diags.all().size();
  std::optional<eval::DesiredState> desired = session.evaluate(&known);
  const bool evaluated_quietly = diags.all().size() == diagnostics_before;
  if (!desired || !session.configure_providers(*desired)) return std::nullopt;
  run.providers = desired->providers;

  if (options.refresh) {
    plan::RefreshOptions refreshing;
    refreshing.max_concurrency = plan::max_concurrency_of(desired->providers);
    run.drift = plan::refresh(run.state, session.providers(), refreshing, diags);
    if (diags.has_errors()) return std::nullopt;
  }
  // Creates an interrupted apply left pending are settled even with --refresh=false: planning
  // around them would make their objects a second time.
  if (!run.state.pending.empty()) {
    run.settled_pending = true;
    std::vector<plan::Drift> adopted =
        plan::adopt_pending(run.state, session.providers(), &*desired, diags);
    if (diags.has_errors()) return std::nullopt;
    run.drift.insert(run.drift.end(), adopted.begin(), adopted.end());
    std::sort(run.drift.begin(), run.drift.end(),
              [](const plan::Drift& a, const plan::Drift& b) { return a.address < b.address; });
  }

  plan::Selection selection{options.targets, options.excludes};
  if (destroy) {
    run.plan = plan::make_destroy_plan(run.state, session.providers(), diags);
    if (!diags.has_errors()) plan::narrow_plan(run.plan, run.state, selection, diags);
    return diags.has_errors() ? std::nullopt : std::optional(std::move(run));
  }

  // Plan, then re-plan while some change turns known outputs stale: dependents must then see them
  // as unknown. The stale set only grows, so this ends after at most one round per resource.
  // With no drift the state is as the first evaluation saw it, so evaluating again would give the
  // same result: a quiet first evaluation serves the first round (a large module evaluates once).
  bool evaluate_again = !run.drift.empty() || !evaluated_quietly;
  if (evaluate_again) known = known_resources(run.state);
  for (;;) {
    diag::Diagnostics round;
    if (evaluate_again) desired = session.evaluate(&known, round);
    evaluate_again = true;
    if (desired) run.plan = plan::make_plan(*desired, run.state, session.providers(), round);
    bool changed = false;
    if (desired && !round.has_errors()) {
      for (const std::string& address : stale_outputs(run.plan))
        changed |= known.erase(address) > 0;
    }
    if (!changed) {
      diags.append(round);
      break;
    }
  }
  if (!diags.has_errors()) plan::narrow_plan(run.plan, run.state, selection, diags);
  return diags.has_errors() ? std::nullopt : std::optional(std::move(run));
}

std::optional<sdk::Value> ModuleResolver::resolve(const std::string& address,
                                                  const state::State& current,
                                                  diag::Diagnostics& diags) {
  std::map<std::string, sdk::Value> known = known_resources(current);
  std::optional<eval::DesiredState> desired = session_.evaluate(&known, diags);
  if (!desired) return std::nullopt;
  const eval::DesiredResource* resource = desired->find(address);
  if (resource == nullptr) return std::nullopt;
  return resource->attributes;
}

void store_outputs(Session& session, PlanRun& run) {
  diag::Diagnostics& diags = session.diagnostics();
  std::map<std::string, sdk::Value> known = known_resources(run.state);
  std::optional<eval::DesiredState> desired = session.evaluate(&known, diags);
  if (!desired) return;
  run.state.outputs.clear();
  run.state.sensitive_outputs.clear();
  for (const auto& output : desired->outputs) {
    run.state.outputs.emplace_back(output.name, output.value);
    if (output.sensitive) run.state.sensitive_outputs.push_back(output.name);
  }
  std::sort(run.state.sensitive_outputs.begin(), run.state.sensitive_outputs.end());
  std::vector<std::string> recorded = plan::record_unchanged_settings(run.plan, run.state);
  if (!recorded.empty()) {
    std::cout << fmt::format(
        "Recorded the new settings (dependencies, rollout, hooks, prevent_destroy) of {} unchanged "
        "resource{} in the state.\n",
        recorded.size(), recorded.size() == 1 ? "" : "s");
  }
  diags.append(run.backend->save(run.state));
}

void print_plan(const PlanRun& run, bool color) {
  std::cout << plan::render_drift_text(run.drift, color);
  std::cout << plan::render_plan_text(run.plan, color);
}

}  // namespace kc::cli
