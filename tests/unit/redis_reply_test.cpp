// Numbers Redis sends as strings (a sorted set's scores): read without throwing, and anything
// that is not a whole number in range is refused, for the caller to report as a bad reply.
#include "adapters/redis/redis_reply.hpp"

#include <gtest/gtest.h>

namespace optgate {
namespace {

TEST(RedisReply, ReadsAWholeNumber) {
    EXPECT_EQ(parse_reply_integer("1795341600000"), 1'795'341'600'000LL);
    EXPECT_EQ(parse_reply_integer("0"), 0LL);
    EXPECT_EQ(parse_reply_integer("-5"), -5LL);
}

TEST(RedisReply, RefusesWhatIsNotAWholeNumberInsteadOfThrowing) {
    // std::stoll threw on the first three and read "12abc" as 12.
    for (const char* bad :
         {"", "abc", "99999999999999999999", "12abc", "1.5", " 1", "+1", "1795341600000\r\n"})
        EXPECT_EQ(parse_reply_integer(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace optgate
