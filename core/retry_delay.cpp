#include "core/retry_delay.hpp"

#include <algorithm>

namespace optgate {

std::chrono::milliseconds retry_delay(const retry_policy& policy, unsigned failures,
                                      double jitter) {
    auto ceiling = policy.first;
    // Doubling stops at `most`: no overflow however long the receiver stays down.
    for (unsigned i = 1; i < failures && ceiling < policy.most; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, policy.most);
    const double share = std::clamp(jitter, 0.0, 1.0);
    const auto wait = std::chrono::milliseconds(
        static_cast<std::chrono::milliseconds::rep>(static_cast<double>(ceiling.count()) * share));
    return std::max(wait, policy.first / 10);
}

}  // namespace optgate
