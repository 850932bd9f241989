// Address normalisation of SPEC ("Words"): every accepted phone form becomes one E.164
// address, emails are trimmed and lower-cased, and what cannot be normalised is invalid.
#include "core/address.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optgate {
namespace {

TEST(Address, EveryNationalFormOfSpecIsOneE164Address) {
    const std::vector<std::string> forms{
        "6515550100",        "(651) 555-0100", "1-651-555-0100",   "+1 651 555 0100",
        "651.555.0100",      "651-555-0100",   "16515550100",      "+16515550100",
        "+1 (651) 555-0100", "  6515550100\n", "\t(651)555-0100 ", "1 (651) 555 0100",
    };
    for (const auto& f : forms) {
        SCOPED_TRACE(testing::PrintToString(f));
        EXPECT_EQ(normalize_phone(f, "US"), "+16515550100");
    }
}

TEST(Address, OtherNanpCountriesNormaliseNationalNumbersToo) {
    EXPECT_EQ(normalize_phone("(416) 555-0199", "CA"), "+14165550199");
    EXPECT_EQ(normalize_phone("787-555-0100", "PR"), "+17875550100");
}

TEST(Address, InvalidPhoneNumbersAreNeverGuessed) {
    const std::vector<std::string> invalid{
        "",                           // empty
        "   ",                        // white space only
        "651-555-CALL",               // letters
        "six five one",               // letters
        "651-555-0100 x123",          // an extension
        "6515550100x123",             // an extension
        "651-555-0100;ext=1",         // an extension
        "555-0100",                   // too short
        "65155501",                   // too short
        "165155501001",               // too long
        "65155501000",                // 11 digits not starting with 1
        "2-651-555-0100",             // 11 digits not starting with 1
        "051-555-0100",               // area code starts with 0
        "151-555-0100",               // area code starts with 1
        "1-151-555-0100",             // area code starts with 1, with the trunk prefix
        "651-055-0100",               // exchange starts with 0
        "651-155-0100",               // exchange starts with 1
        "+0 20 7946 0958",            // country code 0
        "+",                          // a plus alone
        "+1234567",                   // 7 digits
        "+1 051 555 0100",            // +1 follows the NANP rules
        "+1 651 555 010",             // +1 with too few digits
        "+1 651 555 01000",           // +1 with too many digits
        "+4412345678901234",          // 16 digits
        "++16515550100",              // two plus signs
        "651+555+0100",               // plus inside
        "\xEF\xBC\x96-515-555-0100",  // a full-width digit 6 (U+FF16)
        "+44 (0)20 7946 0958",        // international and national forms mixed
    };
    for (const auto& f : invalid) {
        SCOPED_TRACE(testing::PrintToString(f));
        EXPECT_EQ(normalize_phone(f, "US"), std::nullopt);
    }
}

TEST(Address, InternationalNumbersKeepTheirCountryCode) {
    EXPECT_EQ(normalize_phone("+44 20 7946 0958", "US"), "+442079460958");
    EXPECT_EQ(normalize_phone("+44123456", "US"), "+44123456");  // 8 digits: the shortest
    EXPECT_EQ(normalize_phone("+441234567890123", "US"), "+441234567890123");  // 15: longest
    // An explicit country code does not need a supported default country.
    EXPECT_EQ(normalize_phone("+1 651 555 0100", "GB"), "+16515550100");
    EXPECT_EQ(normalize_phone("+44 20 7946 0958", "GB"), "+442079460958");
}

TEST(Address, NationalInputNeedsASupportedDefaultCountry) {
    EXPECT_EQ(normalize_phone("6515550100", "GB"), std::nullopt);
    EXPECT_EQ(normalize_phone("020 7946 0958", "GB"), std::nullopt);
    EXPECT_EQ(normalize_phone("6515550100", ""), std::nullopt);
    EXPECT_EQ(normalize_phone("6515550100", "us"), std::nullopt);  // codes are upper case
}

TEST(Address, SupportedCountries) {
    EXPECT_TRUE(is_supported_country("US"));
    EXPECT_TRUE(is_supported_country("CA"));
    EXPECT_TRUE(is_supported_country("PR"));
    EXPECT_FALSE(is_supported_country("GB"));
    EXPECT_FALSE(is_supported_country("MX"));
    EXPECT_FALSE(is_supported_country("us"));
    EXPECT_FALSE(is_supported_country(""));
    EXPECT_FALSE(is_supported_country("USA"));
}

TEST(Address, EmailsAreTrimmedAndLowerCased) {
    EXPECT_EQ(normalize_email("jane@example.org"), "jane@example.org");
    EXPECT_EQ(normalize_email("  Jane.Doe@Example.ORG  "), "jane.doe@example.org");
    EXPECT_EQ(normalize_email("\tJANE+school@Mail.Example.Org\r\n"),
              "jane+school@mail.example.org");
    EXPECT_EQ(normalize_email("o'brien@example.org"), "o'brien@example.org");
}

TEST(Address, InvalidEmails) {
    const std::vector<std::string> invalid{
        "",
        "   ",
        "janeexample.org",          // no @
        "jane@@example.org",        // two @
        "jane@exa@mple.org",        // two @
        "jane@localhost",           // no dot in the domain
        "jane doe@example.org",     // a space
        "jane@example .org",        // a space
        "jane@exam\tple.org",       // a tab
        "@example.org",             // empty local part
        "jane@",                    // empty domain
        "jane@.org",                // domain starts with a dot
        "jane@example.",            // domain ends with a dot
        "jane@example..org",        // empty label
        "jane@-example.org",        // domain starts with a dash
        "<jane@example.org>",       // angle brackets
        "jane@example.org, x@y.z",  // a list
        "\"jane\"@example.org",     // quoted local part
    };
    for (const auto& e : invalid) {
        SCOPED_TRACE(testing::PrintToString(e));
        EXPECT_EQ(normalize_email(e), std::nullopt);
    }
}

TEST(Address, NormalizeAddressDispatchesOnTheAtSign) {
    EXPECT_EQ(normalize_address(" Jane@Example.org ", "US"),
              (address{address_kind::email, "jane@example.org"}));
    EXPECT_EQ(normalize_address("(651) 555-0100", "US"),
              (address{address_kind::phone, "+16515550100"}));
    EXPECT_EQ(normalize_address("+44 20 7946 0958", "US"),
              (address{address_kind::phone, "+442079460958"}));
    // An invalid email is not retried as a phone number, nor the other way round.
    EXPECT_EQ(normalize_address("6515550100@", "US"), std::nullopt);
    EXPECT_EQ(normalize_address("jane@@example.org", "US"), std::nullopt);
    EXPECT_EQ(normalize_address("hello", "US"), std::nullopt);
    EXPECT_EQ(normalize_address("", "US"), std::nullopt);
    EXPECT_EQ(normalize_address("6515550100", "GB"), std::nullopt);
}

}  // namespace
}  // namespace optgate
