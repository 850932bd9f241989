// Times in email providers' webhooks: Unix seconds, whole or with a fraction, and the ten
// minutes either way within which a signed timestamp is fresh.
#include "core/provider_time.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace optgate {
namespace {

TEST(ProviderTime, WholeAndFractionalSecondsBecomeMilliseconds) {
    EXPECT_EQ(unix_seconds_to_ms(1'700'000'000), 1'700'000'000'000);
    // Mailgun: "timestamp": 1521472262.908181; the fraction is cut to whole milliseconds.
    EXPECT_EQ(unix_seconds_to_ms(1521472262.908181), 1'521'472'262'908);
    EXPECT_EQ(unix_seconds_to_ms(0), 0);
}

TEST(ProviderTime, ImpossibleSecondsAreRefused) {
    EXPECT_EQ(unix_seconds_to_ms(-1), std::nullopt);
    EXPECT_EQ(unix_seconds_to_ms(1e300), std::nullopt);
    EXPECT_EQ(unix_seconds_to_ms(std::numeric_limits<double>::quiet_NaN()), std::nullopt);
    EXPECT_EQ(unix_seconds_to_ms(std::numeric_limits<double>::infinity()), std::nullopt);
    EXPECT_EQ(unix_seconds_to_ms(253'402'300'800.0), std::nullopt);  // year 10000
    EXPECT_EQ(unix_seconds_to_ms(253'402'300'799.0), 253'402'300'799'000);
}

TEST(ProviderTime, HeaderSecondsAreDigitsOnly) {
    EXPECT_EQ(parse_unix_seconds("1700000000"), 1'700'000'000'000);
    EXPECT_EQ(parse_unix_seconds("0"), 0);
    for (const char* bad : {"", " 1700000000", "1700000000 ", "+1700000000", "-1", "17e8",
                            "1700000000.5", "abc", "9999999999999", "253402300800"})
        EXPECT_EQ(parse_unix_seconds(bad), std::nullopt) << bad;
}

TEST(ProviderTime, FreshMeansWithinTenMinutesEitherWay) {
    constexpr epoch_ms now = 1'700'000'000'000;
    constexpr epoch_ms ten_minutes = 10 * 60 * 1000;
    EXPECT_TRUE(is_fresh_signature_time(now, now));
    EXPECT_TRUE(is_fresh_signature_time(now - ten_minutes, now));
    EXPECT_TRUE(is_fresh_signature_time(now + ten_minutes, now));
    EXPECT_FALSE(is_fresh_signature_time(now - ten_minutes - 1, now));
    EXPECT_FALSE(is_fresh_signature_time(now + ten_minutes + 1, now));
    EXPECT_FALSE(is_fresh_signature_time(0, now));
}

}  // namespace
}  // namespace optgate
