// Event times as the HTTP interface shows them: RFC 3339 in UTC with milliseconds out, and
// RFC 3339 with any offset, fraction and T or space in; impossible dates are refused.
#include "core/timestamp.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace optgate {
namespace {

// 2026-11-22T10:00:00Z: 20,779 days after 1970-01-01 (56 years with 14 leap days, then 325
// days into 2026) plus ten hours: (20779 * 86400 + 36000) * 1000.
constexpr epoch_ms spec_example = 1'795'341'600'000;

TEST(Timestamp, FormatsKnownInstants) {
    static_assert(spec_example == (20779LL * 86400 + 10 * 3600) * 1000);
    EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_rfc3339(spec_example), "2026-11-22T10:00:00.000Z");
    EXPECT_EQ(format_rfc3339(spec_example + 123), "2026-11-22T10:00:00.123Z");
    EXPECT_EQ(format_rfc3339(spec_example + 7), "2026-11-22T10:00:00.007Z");
    EXPECT_EQ(format_rfc3339(951'782'400'000), "2000-02-29T00:00:00.000Z");
    EXPECT_EQ(format_rfc3339(1'709'164'800'000 + 86'399'999), "2024-02-29T23:59:59.999Z");
    EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Timestamp, ParsesUtc) {
    EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00.000Z"), 0);
    EXPECT_EQ(parse_rfc3339("2026-11-22T10:00:00.000Z"), spec_example);
    EXPECT_EQ(parse_rfc3339("2026-11-22T10:00:00Z"), spec_example);
    EXPECT_EQ(parse_rfc3339("2026-11-22t10:00:00z"), spec_example);
    EXPECT_EQ(parse_rfc3339("2026-11-22 10:00:00Z"), spec_example);
    EXPECT_EQ(parse_rfc3339("2024-02-29T00:00:00Z"), 1'709'164'800'000);
}

TEST(Timestamp, ParsesOffsets) {
    EXPECT_EQ(parse_rfc3339("2026-11-22T10:00:00+00:00"), spec_example);
    EXPECT_EQ(parse_rfc3339("2026-11-22T10:00:00-00:00"), spec_example);
    EXPECT_EQ(parse_rfc3339("2026-11-22T12:00:00+02:00"), spec_example);
    EXPECT_EQ(parse_rfc3339("2026-11-22T04:00:00-06:00"), spec_example);  // Saint Paul, CST
    EXPECT_EQ(parse_rfc3339("2026-11-22T15:30:00.000+05:30"), spec_example);
    EXPECT_EQ(parse_rfc3339("2026-11-22T04:30:00-05:30"), spec_example);
    // Across midnight and a year boundary.
    EXPECT_EQ(parse_rfc3339("2016-12-31T18:00:00-06:00"), 1'483'228'800'000);
}

TEST(Timestamp, ParsesOneToNineFractionalDigitsTruncatingToMilliseconds) {
    const std::vector<std::pair<std::string, epoch_ms>> cases{
        {".1", 100},         {".12", 120},        {".123", 123},     {".1234", 123},
        {".12345", 123},     {".123456", 123},    {".1234567", 123}, {".12345678", 123},
        {".123456789", 123}, {".999999999", 999}, {".000000001", 0}, {".5", 500},
    };
    for (const auto& [fraction, ms] : cases) {
        const std::string text = "2026-11-22T10:00:00" + fraction + "Z";
        SCOPED_TRACE(text);
        EXPECT_EQ(parse_rfc3339(text), spec_example + ms);
    }
}

TEST(Timestamp, RejectsImpossibleDatesAndTimes) {
    const std::vector<std::string> invalid{
        "2026-02-30T00:00:00Z",  // February 30
        "2026-02-29T00:00:00Z",  // not a leap year
        "2100-02-29T00:00:00Z",  // not a leap year either
        "2026-04-31T00:00:00Z",  // April has 30 days
        "2026-13-01T00:00:00Z",  // month 13
        "2026-00-10T00:00:00Z",  // month 0
        "2026-11-00T00:00:00Z",  // day 0
        "2026-11-32T00:00:00Z",  // day 32
        "2026-11-22T24:00:00Z",  // hour 24
        "2026-11-22T10:60:00Z",  // minute 60
        "2026-11-22T10:00:61Z",  // second 61
    };
    for (const auto& t : invalid) {
        SCOPED_TRACE(t);
        EXPECT_EQ(parse_rfc3339(t), std::nullopt);
    }
}

TEST(Timestamp, RejectsMissingZoneAndGarbage) {
    const std::vector<std::string> invalid{
        "",
        "garbage",
        "2026-11-22",                 // a date alone
        "2026-11-22T10:00:00",        // no zone: ambiguous
        "2026-11-22T10:00:00.000",    // no zone: ambiguous
        "2026-11-22T10:00Z",          // no seconds
        "2026-11-22T10:00:00.Z",      // a dot without digits
        "2026-11-22T10:00:00+0200",   // offset without colon
        "2026-11-22T10:00:00+02",     // offset without minutes
        "2026-11-22T10:00:00+02:0",   // offset with one minute digit
        "2026-11-22T10:00:00+25:00",  // offset hour out of range
        "2026-11-22T10:00:00+02:60",  // offset minute out of range
        "2026-11-22T10:00:00ZZ",      // trailing garbage
        "2026-11-22T10:00:00Z ",      // trailing space
        " 2026-11-22T10:00:00Z",      // leading space
        "2026/11/22T10:00:00Z",       // wrong date separator
        "2026-11-22X10:00:00Z",       // wrong T
        "2026-11-22T10.00.00Z",       // wrong time separator
        "26-11-22T10:00:00Z",         // two-digit year
        "2026-1-22T10:00:00Z",        // one-digit month
        "+2026-11-22T10:00:00Z",      // a sign on the year
        "2026-11-22T10:00:00 UTC",    // a zone name
        "1795341600000",              // epoch milliseconds
    };
    for (const auto& t : invalid) {
        SCOPED_TRACE(t);
        EXPECT_EQ(parse_rfc3339(t), std::nullopt);
    }
}

TEST(Timestamp, FormatThenParseRoundTrips) {
    std::vector<epoch_ms> instants{0,
                                   1,
                                   999,
                                   -1,
                                   -86'400'000,
                                   spec_example,
                                   951'782'400'000,
                                   253'402'300'799'999 /* 9999-12-31T23:59:59.999Z */};
    std::mt19937_64 rng(20261122);
    std::uniform_int_distribution<epoch_ms> any(0, 253'402'300'799'999);
    for (int i = 0; i < 1000; ++i) instants.push_back(any(rng));
    for (auto t : instants) {
        const std::string text = format_rfc3339(t);
        SCOPED_TRACE(text);
        ASSERT_EQ(text.size(), 24u);
        EXPECT_EQ(parse_rfc3339(text), t);
    }
    EXPECT_EQ(format_rfc3339(253'402'300'799'999), "9999-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace optgate
