// The SIGINT watcher thread.
#include "runtime/apply/interrupt_watcher.h"

#include <signal.h>
#include <time.h>

namespace kc::apply {

InterruptWatcher::InterruptWatcher() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this, set] {
    // Wakes every 100 ms to notice stop_; a signal arriving meanwhile stays pending until then.
    timespec slice{0, 100'000'000};
    while (!stop_.load()) {
      if (sigtimedwait(&set, nullptr, &slice) == SIGINT) count_.fetch_add(1);
    }
  });
}

InterruptWatcher::~InterruptWatcher() {
  stop_.store(true);
  thread_.join();
}

}  // namespace kc::apply
