// How long a Redis connection waits before its next attempt: from a minimum, doubling after
// each failed attempt up to a maximum, and back to the minimum once an attempt succeeds.
#pragma once

#include <algorithm>
#include <chrono>

namespace optgate {

// Pure: no clock of its own; the caller starts its timer with what next() gives.
class reconnect_backoff {
  public:
    reconnect_backoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
        : min_(min), max_(max), next_(min) {}

    // The wait before this attempt; the one after it is twice as long, at most max.
    std::chrono::milliseconds next() {
        const auto now = next_;
        next_ = std::min(next_ * 2, max_);
        return now;
    }
    // A connection came up: the next outage starts over from the minimum.
    void reset() { next_ = min_; }

  private:
    std::chrono::milliseconds min_;
    std::chrono::milliseconds max_;
    std::chrono::milliseconds next_;
};

}  // namespace optgate
