// The backoff of a failed webhook batch, and the signature a receiver checks.
#include <gtest/gtest.h>

#include "core/retry_delay.hpp"
#include "core/webhook_signature.hpp"

namespace optgate {
namespace {

using namespace std::chrono_literals;

TEST(RetryDelay, DoublesUpToTheMostWithFullJitter) {
    const retry_policy policy{1000ms, 300000ms};
    EXPECT_EQ(retry_delay(policy, 1, 0.999999), 999ms);
    EXPECT_EQ(retry_delay(policy, 2, 0.5), 1000ms);
    EXPECT_EQ(retry_delay(policy, 4, 0.5), 4000ms);
    EXPECT_EQ(retry_delay(policy, 30, 0.5), 150000ms);
    EXPECT_EQ(retry_delay(policy, 64, 1.0), 300000ms);
    // Never less than a tenth of the first wait: a receiver is not hammered.
    EXPECT_EQ(retry_delay(policy, 1, 0.0), 100ms);
    EXPECT_EQ(retry_delay(policy, 1, -3.0), 100ms);
}

TEST(WebhookSignature, IsHmacSha256OverTimestampDotBodyInHex) {
    // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'whsec-...',
    // b'1767225600.' + body, hashlib.sha256).hexdigest())"
    EXPECT_EQ(webhook_signature("whsec-0123456789abcdef0123456789abcdef", "1767225600",
                                R"({"webhook":"sis","gap":false,"changes":[]})"),
              "v1=4d4b6fe161b0e6b7160db5cbd8008b1393e97b03cdf543e7770648636654747e");
    EXPECT_NE(webhook_signature("whsec-0123456789abcdef0123456789abcdef", "1767225601",
                                R"({"webhook":"sis","gap":false,"changes":[]})"),
              webhook_signature("whsec-0123456789abcdef0123456789abcdef", "1767225600",
                                R"({"webhook":"sis","gap":false,"changes":[]})"));
}

}  // namespace
}  // namespace optgate
