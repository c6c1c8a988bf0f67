// SimProvider: the built-in `sim` provider, a simulated cloud of machines persisted under
// <module_dir>/.kc/sim/world.json, so separate `kc` runs (and processes) see the same world.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

#include "providers/sdk/provider.h"

namespace kc::sim {

class WorldStore;

// Thread-safe: every call may come from any thread; calls that touch the world are serialised by
// one mutex, and writes additionally hold an flock on world.lock so other processes wait. Each
// read goes back to the file (reloading only when it changed), so changes made behind kc's back
// (another instance, another process, a hand edit) show up as drift.
class SimProvider final : public sdk::Provider {
 public:
  SimProvider();
  ~SimProvider() override;

  const sdk::ProviderSchema& schema() const override;
  // Accepts `latency` (duration) and `seed` (int); `max_concurrency` is the executor's and is
  // ignored here. Reports a corrupt world file right away.
  diag::Diagnostics configure(const sdk::ConfigureRequest& request) override;
  diag::Diagnostics validate(const sdk::ValidateRequest& request) override;
  sdk::ReadResponse read(const sdk::ReadRequest& request) override;
  sdk::PlanResponse plan_change(const sdk::PlanRequest& request) override;
  // Sleeps `latency` (outside the lock, so parallel applies overlap), then changes the world and
  // writes it to disk before returning. Deleting a machine that is already gone succeeds.
  sdk::ApplyResponse apply_change(const sdk::ApplyRequest& request) override;

 private:
  // The change itself; the caller holds mutex_ and store_ is set.
  sdk::ApplyResponse apply_locked(const sdk::ApplyRequest& request);

  std::mutex mutex_;
  std::unique_ptr<WorldStore> store_;  // null until configured
  int64_t latency_ms_ = 0;
  int64_t seed_ = 1;
};

}  // namespace kc::sim
