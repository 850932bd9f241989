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

TEST(ProviderTime, FreshMeansWithinTheProvidersWindow) {
    constexpr epoch_ms now = 1'700'000'000'000;
    constexpr signature_window window{minutes_ms(9 * 60), minutes_ms(10)};
    EXPECT_TRUE(is_fresh_signature_time(now, now, window));
    EXPECT_TRUE(is_fresh_signature_time(now - window.behind, now, window));  // a late retry
    EXPECT_TRUE(is_fresh_signature_time(now + window.ahead, now, window));
    EXPECT_FALSE(is_fresh_signature_time(now - window.behind - 1, now, window));
    EXPECT_FALSE(is_fresh_signature_time(now + window.ahead + 1, now, window));
    EXPECT_FALSE(is_fresh_signature_time(0, now, window));
    EXPECT_EQ(window.width(), minutes_ms(9 * 60 + 10));
}

TEST(ProviderTime, EachProviderAcceptsItsRetriesWithTheFirstAttemptsSignature) {
    // Mailgun retries for 8 hours, SendGrid for 24, resending the first attempt's signature.
    EXPECT_GT(mailgun_signature_window.behind, minutes_ms(8 * 60 + 5));
    EXPECT_GT(sendgrid_signature_window.behind, minutes_ms(24 * 60));
    EXPECT_EQ(mailgun_signature_window.ahead, minutes_ms(10));
    EXPECT_EQ(sendgrid_signature_window.ahead, minutes_ms(10));
}

TEST(ProviderTime, DurationsAreSaidInHoursOrMinutes) {
    EXPECT_EQ(describe_duration(minutes_ms(25 * 60)), "25 h");
    EXPECT_EQ(describe_duration(minutes_ms(10)), "10 min");
    EXPECT_EQ(describe_duration(minutes_ms(90)), "90 min");
}

}  // namespace
}  // namespace optgate
