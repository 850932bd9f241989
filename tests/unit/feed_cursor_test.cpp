// Cursors of the change feed and the id a receiver dedupes a change by (core/feed_cursor.hpp),
// and the whole-string decimals they are made of (core/decimal.hpp).
#include "core/feed_cursor.hpp"

#include <gtest/gtest.h>

#include "core/decimal.hpp"

namespace optgate {
namespace {

TEST(FeedCursor, DecimalsAreDigitsOnlyAndFit64Bits) {
    EXPECT_EQ(parse_decimal("0"), 0u);
    EXPECT_EQ(parse_decimal("18446744073709551615"), 18446744073709551615u);
    for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1x", "0x1", "1e3", "18446744073709551616"})
        EXPECT_EQ(parse_decimal(bad), std::nullopt) << bad;
}

TEST(FeedCursor, CursorsAreRedisStreamIds) {
    EXPECT_EQ(parse_feed_cursor("1767225600000-3"),
              (std::pair<std::uint64_t, std::uint64_t>{1767225600000u, 3u}));
    EXPECT_EQ(parse_feed_cursor("0"), (std::pair<std::uint64_t, std::uint64_t>{0u, 0u}));
    for (const char* bad : {"", "-", "1-", "-1", "1--1", "1-2-3", "end", "1.5"})
        EXPECT_EQ(parse_feed_cursor(bad), std::nullopt) << bad;
    EXPECT_TRUE(feed_cursor_valid("end"));
    EXPECT_TRUE(feed_cursor_valid("0"));
    EXPECT_FALSE(feed_cursor_valid("yesterday"));
}

// Numbers, not text: "9-0" comes before "10-0", and the sequence breaks a tie.
TEST(FeedCursor, OrderIsNumeric) {
    EXPECT_TRUE(feed_cursor_before("9-0", "10-0"));
    EXPECT_TRUE(feed_cursor_before("10-1", "10-2"));
    EXPECT_TRUE(feed_cursor_before("0", "1-0"));
    EXPECT_FALSE(feed_cursor_before("10-2", "10-2"));
    EXPECT_FALSE(feed_cursor_before("10-0", "9-5"));
}

// The same change (address, channel, program, dedupe key) has the same id whatever else its
// delivery says; another change another.
TEST(FeedCursor, AChangesIdNamesItsRecordAndDedupeKey) {
    audit_entry e;
    e.address = "+16515550100";
    e.channel = channel::sms;
    e.program = "district";
    e.dedupe_key = "SM1";
    const auto id = feed_change_id(e);
    EXPECT_EQ(id.size(), 40u);
    auto again = e;
    again.received_time = 42;
    again.reference = "other";
    EXPECT_EQ(feed_change_id(again), id);
    auto program = e, channel_ = e, dedupe = e;
    program.program = "emergency";
    channel_.channel = channel::voice;
    dedupe.dedupe_key = "SM2";
    for (const auto& other : {program, channel_, dedupe}) EXPECT_NE(feed_change_id(other), id);
}

}  // namespace
}  // namespace optgate
