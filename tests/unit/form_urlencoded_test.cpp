// application/x-www-form-urlencoded as Twilio posts it: '+' is a space, %-escapes decode to
// bytes, malformed escapes refuse the whole body, and fields keep their order.
#include "core/form_urlencoded.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optgate {
namespace {

TEST(FormUrlencoded, ParsesATwilioBody) {
    const auto f =
        parse_form_urlencoded("From=%2B16515550100&Body=Stop+texting%21&To=60680&MessageSid=SM1");
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(*f, (form_fields{{"From", "+16515550100"},
                               {"Body", "Stop texting!"},
                               {"To", "60680"},
                               {"MessageSid", "SM1"}}));
}

TEST(FormUrlencoded, PlusIsASpaceAndPercentTwoBIsAPlus) {
    EXPECT_EQ(parse_form_urlencoded("a+b=c+d"), (form_fields{{"a b", "c d"}}));
    EXPECT_EQ(parse_form_urlencoded("a=%2B1+2"), (form_fields{{"a", "+1 2"}}));
    EXPECT_EQ(parse_form_urlencoded("a=%20"), (form_fields{{"a", " "}}));
}

TEST(FormUrlencoded, PercentEscapesDecodeInEitherCase) {
    EXPECT_EQ(parse_form_urlencoded("%41%62=%7e%7E"), (form_fields{{"Ab", "~~"}}));
    const std::string curly_stop = "\xE2\x80\x9C" + std::string("stop") + "\xE2\x80\x9D";
    EXPECT_EQ(parse_form_urlencoded("Body=%E2%80%9Cstop%E2%80%9D"),
              (form_fields{{"Body", curly_stop}}));
    EXPECT_EQ(parse_form_urlencoded("a=%26%3D%25"), (form_fields{{"a", "&=%"}}));
    EXPECT_EQ(parse_form_urlencoded("a=%00"), (form_fields{{"a", std::string(1, '\0')}}));
}

TEST(FormUrlencoded, BadEscapesRefuseTheBody) {
    const std::vector<std::string> invalid{
        "%",     "%4",    "%zz", "a=%",     "a=%4",          "a=%zz",
        "a=%G0", "a=%0g", "%=1", "a=1&b=%", "a=1&b=%4x&c=3", "a=%%41",
    };
    for (const auto& body : invalid) {
        SCOPED_TRACE(body);
        EXPECT_EQ(parse_form_urlencoded(body), std::nullopt);
    }
}

TEST(FormUrlencoded, EmptyPairsAreSkipped) {
    EXPECT_EQ(parse_form_urlencoded(""), form_fields{});
    EXPECT_EQ(parse_form_urlencoded("&"), form_fields{});
    EXPECT_EQ(parse_form_urlencoded("&&&"), form_fields{});
    EXPECT_EQ(parse_form_urlencoded("&&a=1&&b=2&"), (form_fields{{"a", "1"}, {"b", "2"}}));
}

TEST(FormUrlencoded, NamesWithoutValues) {
    EXPECT_EQ(parse_form_urlencoded("flag"), (form_fields{{"flag", ""}}));
    EXPECT_EQ(parse_form_urlencoded("flag&a=1"), (form_fields{{"flag", ""}, {"a", "1"}}));
    EXPECT_EQ(parse_form_urlencoded("a="), (form_fields{{"a", ""}}));
    EXPECT_EQ(parse_form_urlencoded("=v"), (form_fields{{"", "v"}}));
    EXPECT_EQ(parse_form_urlencoded("a=1=2"), (form_fields{{"a", "1=2"}}));
    EXPECT_EQ(parse_form_urlencoded("List-Unsubscribe=One-Click"),
              (form_fields{{"List-Unsubscribe", "One-Click"}}));
}

TEST(FormUrlencoded, OrderAndRepeatedNamesAreKept) {
    const auto f = parse_form_urlencoded("b=2&a=1&b=3");
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(*f, (form_fields{{"b", "2"}, {"a", "1"}, {"b", "3"}}));
    EXPECT_EQ(form_value(*f, "b"), "2");  // the first one
    EXPECT_EQ(form_value(*f, "a"), "1");
    EXPECT_EQ(form_value(*f, "c"), std::nullopt);
    EXPECT_EQ(form_value(*f, "B"), std::nullopt);  // names are case-sensitive
}

TEST(FormUrlencoded, FormValueOfAnEmptyValueIsPresent) {
    const form_fields f{{"Body", ""}};
    const auto v = form_value(f, "Body");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(*v, "");
}

TEST(FormUrlencoded, EncodesUnreservedAsIsAndEverythingElseEscaped) {
    EXPECT_EQ(form_urlencode({}), "");
    EXPECT_EQ(form_urlencode({{"Body", "Stop texting!"}, {"From", "+16515550100"}}),
              "Body=Stop%20texting%21&From=%2B16515550100");
    EXPECT_EQ(form_urlencode({{"aZ09-_.~", "&=%+/"}}), "aZ09-_.~=%26%3D%25%2B%2F");
    EXPECT_EQ(form_urlencode({{"a", ""}, {"", "b"}}), "a=&=b");
    EXPECT_EQ(form_urlencode({{"e", "\xC3\xA9"}}), "e=%C3%A9");
}

TEST(FormUrlencoded, EncodeThenParseRoundTrips) {
    std::string every_byte;
    for (int i = 0; i < 256; ++i) every_byte.push_back(char(i));
    const std::vector<form_fields> forms{
        {},
        {{"a", "1"}},
        {{"Body", "please stop texting me"}, {"From", "+16515550100"}, {"To", "60680"}},
        {{"tricky", "a+b c&d=e%f%20"}, {"", ""}, {"x", ""}, {"", "y"}},
        {{"z", "last"}, {"a", "first"}, {"z", "again"}},
        {{"bytes", every_byte}, {every_byte, "name"}},
    };
    for (const auto& f : forms) {
        SCOPED_TRACE(form_urlencode(f));
        EXPECT_EQ(parse_form_urlencoded(form_urlencode(f)), f);
    }
}

}  // namespace
}  // namespace optgate
