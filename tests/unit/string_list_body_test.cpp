// The /v1/check and /v1/unsubscribe-links bodies are read without a JSON tree: the members
// asked for, the list's strings in order, anything else skipped, and never more items than
// the limit (reading stops at the first one over it).
#include "adapters/http/string_list_body.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optgate {
namespace {

using strings = std::vector<std::string>;

string_list_body read(std::string_view body, std::size_t max_items = 10) {
    return read_string_list_body(body, {{"channel", "program"}, "recipients", max_items});
}

std::optional<strings> items(const string_list_body& r) {
    if (!r.items) return std::nullopt;
    strings out;
    for (std::size_t i = 0; i < r.items->size(); ++i) out.emplace_back((*r.items)[i]);
    return out;
}

TEST(StringListBody, StringsWithoutEscapesAreReadInPlaceAndTheOthersDecoded) {
    const std::string body =
        R"({"recipients":["+16515550100","a\u00e9b","",  "x\"y\\z","plain"],"channel":"sms"})";
    const auto r = read(body);
    ASSERT_TRUE(r.items);
    EXPECT_EQ(items(r), (strings{"+16515550100",
                                 "a\xc3\xa9"
                                 "b",
                                 "", "x\"y\\z", "plain"}));
    const auto in_body = [&](std::string_view s) {
        return s.data() >= body.data() && s.data() + s.size() <= body.data() + body.size();
    };
    EXPECT_TRUE(in_body((*r.items)[0]));
    EXPECT_EQ((*r.items)[0].data(), body.data() + body.find("+1651"));
    EXPECT_FALSE(in_body((*r.items)[1]));
    EXPECT_FALSE(in_body((*r.items)[3]));
    EXPECT_EQ((*r.items)[4].data(), body.data() + body.find("plain"));
}

TEST(StringListBody, ReadsTheFieldsAndTheListInOrder) {
    const auto r = read(R"({"channel":"sms","program":"district","recipients":["+16515550100",
        "651-555-0101","",  "Jane@Example.org"]})"
                        "\n");
    ASSERT_EQ(r.status, string_list_status::ok);
    EXPECT_EQ(r.fields[0], "sms");
    EXPECT_EQ(r.fields[1], "district");
    EXPECT_EQ(items(r), (strings{"+16515550100", "651-555-0101", "", "Jane@Example.org"}));
}

TEST(StringListBody, MembersMayComeInAnyOrderAmongOthersOfAnyType) {
    const auto r = read(R"({"recipients":["a\u00e9\"b"],"extra":{"recipients":[1],"x":[[],{}]},
        "program":"district","n":1.5,"t":true,"z":null,"channel":"voice"})");
    ASSERT_EQ(r.status, string_list_status::ok);
    EXPECT_EQ(r.fields[0], "voice");
    EXPECT_EQ(r.fields[1], "district");
    EXPECT_EQ(items(r), (strings{"a\xc3\xa9\"b"}));  // escapes decoded
}

TEST(StringListBody, AbsentOrMistypedMembersAreReportedAsSuch) {
    auto r = read(R"({"channel":1,"recipients":"+16515550100"})");
    ASSERT_EQ(r.status, string_list_status::ok);
    EXPECT_EQ(r.fields[0], std::nullopt);
    EXPECT_EQ(r.fields[1], std::nullopt);
    EXPECT_EQ(items(r), std::nullopt);
    for (const char* list :
         {R"(["a",1])", R"(["a",null])", R"(["a",["b"]])", R"(["a",{}])", R"({"a":"b"})", "true"}) {
        r = read(std::string(R"({"channel":"sms","recipients":)") + list + "}");
        EXPECT_EQ(r.status, string_list_status::ok) << list;
        EXPECT_EQ(items(r), std::nullopt) << list;
        EXPECT_EQ(r.fields[0], "sms") << list;
    }
    r = read(R"({"channel":"sms","recipients":[]})");
    EXPECT_EQ(items(r), strings{});
}

TEST(StringListBody, TheLastOfARepeatedMemberCounts) {
    auto r = read(R"({"channel":"sms","channel":"email","recipients":["a"],"recipients":["b"]})");
    EXPECT_EQ(r.fields[0], "email");
    EXPECT_EQ(items(r), strings{"b"});
    r = read(R"({"channel":"sms","channel":2,"recipients":["a"],"recipients":[1]})");
    EXPECT_EQ(r.fields[0], std::nullopt);
    EXPECT_EQ(items(r), std::nullopt);
}

TEST(StringListBody, WhatIsNotAJsonObjectIsRefused) {
    for (const char* body :
         {"", "[]", R"(["a"])", R"("a")", "1", "null", R"({"channel":"sms")",
          R"({"channel":"sms"} x)", R"({"channel":"sms"}{})", "{,}", R"({"recipients":["a",]})"}) {
        const auto r = read(body);
        EXPECT_EQ(r.status, string_list_status::not_a_json_object) << body;
        EXPECT_EQ(items(r), std::nullopt) << body;
    }
}

TEST(StringListBody, TheListHoldsAtMostMaxItems) {
    auto r = read(R"({"channel":"sms","recipients":["a","b","c"]})", 3);
    ASSERT_EQ(r.status, string_list_status::ok);
    EXPECT_EQ(items(r), (strings{"a", "b", "c"}));
    // One more is refused, whatever follows (here: not even valid JSON).
    r = read(R"({"channel":"sms","recipients":["a","b","c","d", oops)", 3);
    EXPECT_EQ(r.status, string_list_status::too_many_items);
    EXPECT_EQ(items(r), std::nullopt);
    r = read(R"({"recipients":[""]})", 0);
    EXPECT_EQ(r.status, string_list_status::too_many_items);
    // Items of other members, and a list that is not one of strings, count for nothing.
    r = read(R"({"other":["a","b","c","d"],"recipients":["a"]})", 1);
    EXPECT_EQ(r.status, string_list_status::ok);
    EXPECT_EQ(items(r), strings{"a"});
}

TEST(StringListBody, AMillionEmptyStringsStopAtTheLimit) {
    std::string body = R"({"channel":"sms","recipients":[)";
    constexpr std::size_t count = 1'000'001;
    body.reserve(body.size() + count * 3 + 2);
    for (std::size_t i = 0; i < count; ++i) body += i ? R"(,"")" : R"("")";
    body += "]}";
    EXPECT_EQ(read(body, count - 1).status, string_list_status::too_many_items);
    const auto r = read(body, count);
    ASSERT_EQ(r.status, string_list_status::ok);
    EXPECT_EQ(r.items->size(), count);
}

}  // namespace
}  // namespace optgate
