// Scheduler: the one place that decides which plan step may run next. A step runs once every step
// it depends on has finished successfully; a failure skips everything that depends on it.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "runtime/plan/plan.h"

namespace kc::apply {

// Not thread-safe: the executor's coordinator thread alone calls it. Several steps may be running
// at once; each is finished (or cancelled) once.
class Scheduler {
 public:
  // `steps` must outlive the scheduler.
  explicit Scheduler(const std::vector<plan::Step>& steps);

  // The index (into the steps given) of the ready step with the lowest id for which `can_start`
  // (when given) says yes, now marked running; nullopt when there is none (all finished, waiting
  // on running steps, or every ready step refused, e.g. because its provider is at its cap).
  std::optional<size_t> next(const std::function<bool(size_t)>& can_start = {});
  // Records the end of a running step. A failure marks its transitive dependents skipped.
  void finish(size_t index, bool ok);
  // A running step that was handed out but never started: it and its dependents become skipped.
  void cancel(size_t index);
  // Marks every step that has not started as skipped (after an error that must stop the apply).
  void abort();
  // Indices skipped since the last call, in id order.
  std::vector<size_t> take_skipped();
  // The failed (or cancelled) step whose failure skipped `index`, or nullopt when it was skipped
  // by abort() or is not skipped.
  std::optional<size_t> skipped_because_of(size_t index) const { return cause_[index]; }
  // True when a step is ready (whether or not a cap lets it start).
  bool has_ready() const { return !ready_.empty(); }

 private:
  enum class Status { Waiting, Ready, Running, Done, Failed, Skipped };
  void skip(size_t index, std::optional<size_t> cause);

  const std::vector<plan::Step>& steps_;
  std::vector<Status> status_;
  std::vector<size_t> waiting_;  // unfinished dependencies
  std::vector<std::vector<size_t>> dependents_;
  std::vector<std::optional<size_t>> cause_;
  std::set<std::pair<int, size_t>> ready_;  // (id, index)
  std::vector<size_t> skipped_;
};

}  // namespace kc::apply
