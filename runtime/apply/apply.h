// The executor's entry point: carry out a plan's steps through the providers on worker threads,
// journaling every started create and every finished step through the backend.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "providers/sdk/provider.h"
#include "runtime/apply/progress.h"
#include "runtime/apply/resolver.h"
#include "runtime/apply/retry.h"
#include "runtime/plan/plan.h"
#include "runtime/state/backend.h"
#include "runtime/state/state.h"

namespace kc::apply {

struct ApplyOptions {
  int parallelism = 10;  // steps running at once, over all providers (>= 1)
  // Provider name -> the most steps running at once on it (a provider block's `max_concurrency`).
  std::map<std::string, int> max_concurrency;
  // Provider name -> how long one step may run (a provider block's `timeout`); others get
  // `default_timeout`. A step still running then is reported failed and its result ignored.
  std::map<std::string, std::chrono::milliseconds> timeouts;
  std::chrono::milliseconds default_timeout = std::chrono::minutes(30);
  RetryPolicy retry;
  // Interrupts received so far (the CLI's SIGINT watcher counts them), polled several times a
  // second: 1 = start no new step and wait for the running ones; 2 = stop waiting for them too.
  const std::atomic<int>* interrupts = nullptr;
  // Whether apply_plan waits, before returning, for the threads of steps it gave up on (timed out
  // or interrupted twice). When false they are detached: the caller must then keep `plan` and
  // `providers` alive or end the process soon (the CLI exits); `state` and the resolver are safe.
  bool wait_for_abandoned = true;
};

struct FailedStep {
  std::string address;
  std::string error;  // the first error's message
};

struct SkippedStep {
  std::string address;
  std::string waited_on;  // the step whose failure (or skip) skipped it; empty when not started
                          // because the apply stopped (interrupt, failed journal write)
};

struct ApplyResult {
  int created = 0, updated = 0, replaced = 0, deleted = 0;
  int actions = 0;  // hook actions run (action steps); they change no resource
  int failed = 0;   // steps whose provider call failed or timed out
  int skipped = 0;  // steps not run because a step they depend on failed, or the apply stopped
  int abandoned =
      0;  // steps given up on while running (timeout, second interrupt): outcome unknown
  bool interrupted = false;
  std::vector<FailedStep> failures;  // in the order they failed
  std::vector<SkippedStep> skips;    // in the order they were skipped
  std::chrono::milliseconds elapsed{0};
  diag::Diagnostics diagnostics;

  bool ok() const {
    return failed == 0 && skipped == 0 && abandoned == 0 && !interrupted &&
           !diagnostics.has_errors();
  }
};

// Runs the steps in dependency order, up to `options.parallelism` at once (and per provider at
// most its `max_concurrency`); a step starts as soon as its dependencies have finished and a slot
// is free. One coordinator (the calling thread) alone touches `state`, `backend`, `progress` and
// the scheduler; each running step has its own worker thread calling run_step.
//
// Durability: before a Create step starts, its pending create (with a fresh idempotency key) is
// added to `state`, recorded through `backend.record` and synced. Each finished step is applied to
// `state` (upsert or remove) and recorded; each batch of finished steps is synced once before their
// dependents start (group commit). A failed record or sync stops new steps from starting.
// A failed step skips its dependents while independent steps go on. `resolver` may be null when no
// planned input holds an unknown; calls to it are serialised. Outputs are left to the caller, and
// so is the final save that folds the journal.
ApplyResult apply_plan(const plan::Plan& plan, state::State& state, sdk::Providers& providers,
                       state::Backend& backend, InputResolver* resolver, ProgressSink& progress,
                       const ApplyOptions& options = {});

}  // namespace kc::apply
