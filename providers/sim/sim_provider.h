// SimProvider: the built-in `sim` provider, a simulated cloud (machines, networks, load balancers,
// etcd members, PKI, Kubernetes bootstrap/join/addons, kubeconfig files) persisted under
// <module_dir>/.kc/sim/world.json, so separate `kc` runs (and processes) see the same world.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "providers/sdk/provider.h"

namespace kc::sim {

class WorldStore;

// Thread-safe: every call may come from any thread; calls that touch the world are serialised by
// one mutex, and writes additionally hold an flock on world.lock so other processes wait. Each
// read goes back to the file (reloading only when it changed), so changes made behind kc's back
// (another instance, another process, a hand edit) show up as drift. The rules of each kind are in
// its *_rules.cpp (see kind.h); this class only routes requests and owns the world.
class SimProvider final : public sdk::Provider {
 public:
  SimProvider();
  ~SimProvider() override;

  const sdk::ProviderSchema& schema() const override;
  // Accepts `latency` (duration), `seed` (int) and `failure_rate` (a percent, or a float from 0 to
  // 1); `max_concurrency` is the executor's and is ignored here. Reports a corrupt world file right
  // away.
  diag::Diagnostics configure(const sdk::ConfigureRequest& request) override;
  diag::Diagnostics validate(const sdk::ValidateRequest& request) override;
  // Null state when the object is gone from the world (or, for a kubeconfig, its file is gone).
  // With a null request state and an idempotency key: the object a create with that key made.
  sdk::ReadResponse read(const sdk::ReadRequest& request) override;
  sdk::PlanResponse plan_change(const sdk::PlanRequest& request) override;
  // Sleeps `latency` (outside the lock, so parallel applies overlap), then changes the world and
  // makes the change durable before returning (one journal record; see world_store.h). A create
  // with an idempotency key remembers it with the object (world-only data, never an attribute); a
  // create whose key made an object already returns that object instead of making another. Deleting
  // an object that is already gone succeeds.
  sdk::ApplyResponse apply_change(const sdk::ApplyRequest& request) override;
  // Runs an action the type declares (sim.machine: drain, uncordon, wait_ready; sim.etcd_member:
  // remove_member, wait_healthy) after checking its params; sleeps `latency` first like an apply.
  sdk::ActionResponse run_action(const sdk::ActionRequest& request) override;

 private:
  // The module directory and latency once configured; false with a diagnostic before that.
  bool settings(std::string* module_dir, int64_t* latency_ms, diag::Diagnostics& diagnostics);
  // The change itself; the caller holds mutex_ and store_ is set. The change is written, not yet
  // synced: the caller syncs `*ticket` (WorldStore::sync) after releasing mutex_, so that
  // concurrent changes share their fdatasync.
  sdk::ApplyResponse apply_locked(const sdk::ApplyRequest& request, uint64_t* ticket);
  // Fault injection (faults.cpp). A transient failure is drawn with probability `failure_rate_`
  // from the seed, the address, the operation and how many times this instance has tried that
  // operation there; true with a (retryable) error then. The world is not touched.
  bool transient_failure(const std::string& address, std::string_view operation,
                         diag::Diagnostics& diagnostics);
  // A permanent failure injected by `kc sim fail` on `address` or object `id`: consumes the mark
  // (the only change written) and reports the error. The caller holds mutex_.
  bool injected_failure(const std::string& address, const std::string& id,
                        std::string_view operation, diag::Diagnostics& diagnostics);

  std::mutex mutex_;
  std::unique_ptr<WorldStore> store_;  // null until configured
  std::string module_dir_;
  int64_t latency_ms_ = 0;
  int64_t seed_ = 1;
  double failure_rate_ = 0;  // 0 to 1
  int64_t run_ = 0;          // this instance's run number in the world's event log; 0 before
  std::map<std::string, int64_t, std::less<>> attempts_;  // "operation address" -> calls so far
};

}  // namespace kc::sim
