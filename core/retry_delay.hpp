// How long a webhook delivery waits before trying a failed batch again: exponential backoff
// with full jitter, so that receivers coming back from an outage are not met by every sender
// at the same instant.
#pragma once

#include <chrono>

namespace optgate {

struct retry_policy {
    std::chrono::milliseconds first{1000};  // the longest wait after the first failure
    std::chrono::milliseconds most{std::chrono::minutes(5)};
};

// The wait after `failures` failures in a row (1 or more): a uniform share, `jitter` in
// [0, 1), of min(first * 2^(failures-1), most), and at least a tenth of `first`.
std::chrono::milliseconds retry_delay(const retry_policy& policy, unsigned failures, double jitter);

}  // namespace optgate
