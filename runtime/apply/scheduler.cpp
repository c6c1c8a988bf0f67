// Dependency tracking for the executor.
#include "runtime/apply/scheduler.h"

#include <algorithm>
#include <unordered_map>

namespace kc::apply {

Scheduler::Scheduler(const std::vector<plan::Step>& steps)
    : steps_(steps),
      status_(steps.size(), Status::Waiting),
      waiting_(steps.size(), 0),
      dependents_(steps.size()),
      cause_(steps.size()) {
  std::unordered_map<int, size_t> index_of;
  for (size_t i = 0; i < steps.size(); ++i)
    index_of[steps[i].id] = i;
  for (size_t i = 0; i < steps.size(); ++i) {
    for (int dep : steps[i].depends_on) {
      auto it = index_of.find(dep);
      if (it == index_of.end() || it->second == i) continue;  // not a step of this plan
      ++waiting_[i];
      dependents_[it->second].push_back(i);
    }
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    if (waiting_[i] == 0) {
      status_[i] = Status::Ready;
      ready_.insert({steps[i].id, i});
    }
  }
}

std::optional<size_t> Scheduler::next(const std::function<bool(size_t)>& can_start) {
  for (auto it = ready_.begin(); it != ready_.end(); ++it) {
    size_t index = it->second;
    if (can_start && !can_start(index)) continue;
    ready_.erase(it);
    status_[index] = Status::Running;
    return index;
  }
  return std::nullopt;
}

void Scheduler::finish(size_t index, bool ok) {
  status_[index] = ok ? Status::Done : Status::Failed;
  for (size_t d : dependents_[index]) {
    if (status_[d] != Status::Waiting) continue;
    if (!ok) {
      skip(d, index);
    } else if (--waiting_[d] == 0) {
      status_[d] = Status::Ready;
      ready_.insert({steps_[d].id, d});
    }
  }
}

void Scheduler::cancel(size_t index) {
  if (status_[index] != Status::Running) return;
  status_[index] = Status::Waiting;  // so that skip() treats it as never started
  skip(index, std::nullopt);
}

void Scheduler::skip(size_t index, std::optional<size_t> cause) {
  if (status_[index] == Status::Ready) ready_.erase({steps_[index].id, index});
  status_[index] = Status::Skipped;
  cause_[index] = cause;
  skipped_.push_back(index);
  for (size_t d : dependents_[index]) {
    if (status_[d] == Status::Waiting || status_[d] == Status::Ready) skip(d, index);
  }
}

void Scheduler::abort() {
  for (size_t i = 0; i < steps_.size(); ++i) {
    if (status_[i] == Status::Waiting || status_[i] == Status::Ready) skip(i, std::nullopt);
  }
}

std::vector<size_t> Scheduler::take_skipped() {
  std::vector<size_t> out;
  out.swap(skipped_);
  std::sort(out.begin(), out.end(),
            [&](size_t a, size_t b) { return steps_[a].id < steps_[b].id; });
  return out;
}

}  // namespace kc::apply
