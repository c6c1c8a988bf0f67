// Scheduler: the one place that decides which plan step may run next. A step runs once every step
// it depends on has finished successfully; a failure skips everything that depends on it.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "runtime/plan/plan.h"

namespace kc::apply {

// Not thread-safe: the sequential executor owns it; the future worker pool will call it under the
// lock that guards the state.
class Scheduler {
 public:
  // `steps` must outlive the scheduler.
  explicit Scheduler(const std::vector<plan::Step>& steps);

  // The index (into the steps given) of the ready step with the lowest id, now marked running;
  // nullopt when nothing is ready (all finished, or waiting on running steps).
  std::optional<size_t> next();
  // Records the end of a running step. A failure marks its transitive dependents skipped.
  void finish(size_t index, bool ok);
  // Marks every step that has not started as skipped (after an error that must stop the apply).
  void abort();
  // Indices skipped since the last call, in id order.
  std::vector<size_t> take_skipped();

 private:
  enum class Status { Waiting, Ready, Running, Done, Failed, Skipped };
  void skip(size_t index);

  const std::vector<plan::Step>& steps_;
  std::vector<Status> status_;
  std::vector<size_t> waiting_;  // unfinished dependencies
  std::vector<std::vector<size_t>> dependents_;
  std::set<std::pair<int, size_t>> ready_;  // (id, index)
  std::vector<size_t> skipped_;
};

}  // namespace kc::apply
