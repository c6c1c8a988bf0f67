// Backoff computation for retried provider calls.
#include "runtime/apply/retry.h"

#include <algorithm>

namespace kc::apply {

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, uint64_t random) {
  int64_t cap = std::max<int64_t>(0, policy.cap.count());
  int64_t bound = std::max<int64_t>(0, policy.base.count());
  for (int i = 1; i < retry && bound < cap; ++i)
    bound *= 2;
  bound = std::min(bound, cap);
  return std::chrono::milliseconds(static_cast<int64_t>(random % static_cast<uint64_t>(bound + 1)));
}

}  // namespace kc::apply
