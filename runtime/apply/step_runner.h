// run_step: the provider calls of one plan step. It never reads or changes the shared state: the
// executor gives it a copy of what it needs (StepContext), so steps can run on worker threads while
// the coordinator records other steps' outcomes.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/provider.h"
#include "runtime/apply/retry.h"
#include "runtime/plan/plan.h"
#include "runtime/state/state.h"

namespace kc::apply {

struct StepOutcome {
  bool ok = false;
  sdk::Value state;  // the object's attributes after a create/update; null after a delete
  diag::Diagnostics diagnostics;
  int attempts = 0;  // provider apply/action calls made, retries included
};

// Everything a step needs besides the plan and the providers. Callbacks may be called from the
// thread running the step; the executor makes them safe to call from there.
struct StepContext {
  // The stored record at the step's address when the step was handed out (a copy), if any.
  std::optional<state::ResourceState> stored;
  // For Create steps: the idempotency key sent with every attempt (sdk::ApplyRequest).
  std::string idempotency_key;
  RetryPolicy retry;
  // The desired inputs of `address` computed against the current state (an InputResolver behind
  // the executor's locks); empty when nothing can compute them.
  std::function<std::optional<sdk::Value>(const std::string& address, diag::Diagnostics& diags)>
      resolve;
  // Told before each retry: the retry's number (1 = second call), the wait, the failure's message.
  std::function<void(int retry, std::chrono::milliseconds wait, const std::string& error)> on_retry;
  // True once the executor no longer wants the outcome (timeout, second interrupt): no more
  // retries are made.
  std::function<bool()> abandoned;
  // A 64-bit random number for backoff jitter.
  std::function<uint64_t()> random;
};

// Create/update: applies the planned attributes. When planned inputs hold unknowns, asks
// `context.resolve` for the inputs now that the dependencies exist and plans again first; the
// create half of a replace is always planned again as a new object. Delete: deletes the stored
// object (for a create_before_destroy replace, the old object the plan saw). Action: runs the
// hook's provider action on the object it concerns: the old object for before_/after_destroy, the
// stored (just applied) one for after_create and the update hooks, none for before_create.
// apply_change and run_action calls that fail with `retryable` are retried per `context.retry`;
// other failures fail the step at once.
StepOutcome run_step(const plan::Step& step, const plan::ResourceChange& change,
                     sdk::Providers& providers, const StepContext& context);

}  // namespace kc::apply
