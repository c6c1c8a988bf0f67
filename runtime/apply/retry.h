// RetryPolicy: how often and how patiently the executor retries a provider call that failed with
// `retryable = true` (exponential backoff with full jitter).
#pragma once

#include <chrono>
#include <cstdint>

namespace kc::apply {

struct RetryPolicy {
  int max_attempts = 5;                   // calls in all, the first one included (>= 1)
  std::chrono::milliseconds base{200};    // the bound of the first wait
  std::chrono::milliseconds cap{10'000};  // no wait bound grows beyond this
};

// The wait before retry number `retry` (1 = the wait after the first failed call): a uniform draw
// from [0, min(cap, base * 2^(retry-1))] ("full jitter", so that many steps throttled at once do
// not retry in lockstep). `random` is any 64-bit random number; the caller owns the generator.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, uint64_t random);

}  // namespace kc::apply
