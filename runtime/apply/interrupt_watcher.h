// InterruptWatcher: counts Ctrl-C (SIGINT) during an apply without doing any work in a signal
// handler. SIGINT is blocked in the creating thread (and so in every thread it starts later); a
// watcher thread takes the signals with sigtimedwait and bumps a counter the executor polls.
#pragma once

#include <atomic>
#include <thread>

namespace kc::apply {

class InterruptWatcher {
 public:
  // Create it before starting any other thread that should not receive SIGINT.
  InterruptWatcher();
  // Stops the watcher. SIGINT stays blocked in the creating thread, so that a late Ctrl-C cannot
  // kill the final save half-way; the process is about to end anyway.
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  // SIGINTs received so far (ApplyOptions::interrupts).
  const std::atomic<int>& count() const { return count_; }

 private:
  std::atomic<int> count_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace kc::apply
