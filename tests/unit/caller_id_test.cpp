// Who is calling the hotline: a caller id becomes a phone number only when it is shown and
// normalisable; every withheld form Twilio documents changes nothing (SPEC "Voice").
#include "core/caller_id.hpp"

#include <gtest/gtest.h>

#include <string>

namespace optgate {
namespace {

TEST(CallerId, AShownNumberIsTheCaller) {
    EXPECT_EQ(identified_caller("+16515550100", "US"), "+16515550100");
    EXPECT_EQ(identified_caller("(651) 555-0100", "US"), "+16515550100");
    EXPECT_EQ(identified_caller("+442071838750", "US"), "+442071838750");
}

TEST(CallerId, WithheldCallerIdsAreNobody) {
    for (std::string withheld : {"anonymous", "Anonymous", "ANONYMOUS", "Restricted", "restricted",
                                 "Unknown", "Blocked", "Private", "Unavailable", ""}) {
        SCOPED_TRACE(withheld);
        EXPECT_EQ(identified_caller(withheld, "US"), std::nullopt);
    }
}

TEST(CallerId, WithheldWordsSpelledOnTheKeypadAreNobody) {
    // ANONYMOUS, RESTRICTED and UNAVAILABLE as Twilio writes them: digits that would otherwise
    // pass for numbers in Lesotho, Kazakhstan and China; UNKNOWN, BLOCKED, PRIVATE (too short).
    for (std::string withheld : {"+266696687", "+7378742833", "+86282452253", " +266696687 ",
                                 "+8656696", "+2562533", "+7748283"}) {
        SCOPED_TRACE(withheld);
        EXPECT_EQ(identified_caller(withheld, "US"), std::nullopt);
    }
    // Numbers close to them are callers.
    EXPECT_EQ(identified_caller("+266696688", "US"), "+266696688");
    EXPECT_EQ(identified_caller("+7378742834", "US"), "+7378742834");
}

TEST(CallerId, WhatCannotBeNormalisedIsNobody) {
    for (std::string invalid : {"+1855", "client:alice", "sip:alice@example.org", "12345",
                                "+1 651 555 0100 ext 2", "+0000000000"}) {
        SCOPED_TRACE(invalid);
        EXPECT_EQ(identified_caller(invalid, "US"), std::nullopt);
    }
}

}  // namespace
}  // namespace optgate
