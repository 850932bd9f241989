// Masked addresses for logs (STYLE habit 9): a phone number keeps its country and area and
// its last four digits, an email its first letter and domain; nothing else ever shows.
#include "core/address_mask.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optgate {
namespace {

TEST(AddressMask, PhoneNumbersKeepCountryAreaAndLastFour) {
    EXPECT_EQ(mask_address("+16515550100"), "+1651***0100");
    EXPECT_EQ(mask_address("+442079460958"), "+4420***0958");
    EXPECT_EQ(mask_address("+441234567890123"), "+4412***0123");
}

TEST(AddressMask, EmailsKeepFirstLetterAndDomain) {
    EXPECT_EQ(mask_address("jane@example.org"), "j***@example.org");
    EXPECT_EQ(mask_address("j@example.org"), "j***@example.org");
    EXPECT_EQ(mask_address("jane.doe+school@mail.example.org"), "j***@mail.example.org");
}

TEST(AddressMask, ShortOrGarbageInputIsReducedToItsLength) {
    EXPECT_EQ(mask_address(""), "<0 chars>");
    EXPECT_EQ(mask_address("abc"), "<3 chars>");
    EXPECT_EQ(mask_address("6515550100"), "<10 chars>");  // not E.164: not a known shape
    EXPECT_EQ(mask_address("+1234"), "<5 chars>");
    EXPECT_EQ(mask_address("@example.org"), "<12 chars>");
    EXPECT_EQ(mask_address("not an address at all"), "<21 chars>");
}

// Whatever the input, the mask never shows the hidden middle: at least three characters of
// a phone number and everything of a string that is neither a phone number nor an email.
TEST(AddressMask, NeverRevealsAWholeShortNumberOrGarbageStartingWithPlus) {
    const std::vector<std::string> secrets{
        "+12345678",          // the shortest E.164 form: 4 + 4 digits would be all of it
        "+123456789",         // one digit hidden is not hiding
        "+1234567890",        // two digits hidden is not hiding
        "+password=hunter2",  // garbage that happens to start with "+"
        "+1 651 555 0100",    // not normalised: spaces
    };
    for (const auto& s : secrets) {
        SCOPED_TRACE(s);
        EXPECT_EQ(mask_address(s), "<" + std::to_string(s.size()) + " chars>");
    }
}

}  // namespace
}  // namespace optgate
