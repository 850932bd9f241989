// JSON strings as optgate writes them (the API, the change feed, webhooks): escapes, and
// only well-formed UTF-8, every ill-formed byte as U+FFFD, so that any receiver's JSON
// parser reads them (a raw SMS body lands in "keyword").
#include <gtest/gtest.h>

#include <string>

#include "core/json_text.hpp"

namespace optgate {
namespace {

std::string json_of(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

TEST(JsonText, EscapesQuotesBackslashesAndControls) {
    EXPECT_EQ(json_of("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
}

TEST(JsonText, KeepsWellFormedUtf8) {
    EXPECT_EQ(json_of("NO MÁS \xF0\x9F\x9B\x91 \xEF\xBB\xBF"),
              "\"NO MÁS \xF0\x9F\x9B\x91 \xEF\xBB\xBF\"");
    EXPECT_EQ(json_of("\xF4\x8F\xBF\xBF"), "\"\xF4\x8F\xBF\xBF\"");  // U+10FFFF, the last
}

TEST(JsonText, IllFormedUtf8BecomesReplacementCharacters) {
    EXPECT_EQ(json_of("\xC0\xAF"), R"("\ufffd\ufffd")");            // overlong '/'
    EXPECT_EQ(json_of("\xE0\x80\xAF"), R"("\ufffd\ufffd\ufffd")");  // overlong, 3 bytes
    EXPECT_EQ(json_of("\xED\xA0\x80"), R"("\ufffd\ufffd\ufffd")");  // a surrogate
    EXPECT_EQ(json_of("\xF0\x80\x80\xAF"), R"("\ufffd\ufffd\ufffd\ufffd")");
    EXPECT_EQ(json_of("\xF4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // > U+10FFFF
    EXPECT_EQ(json_of("STOP\xFF"), R"("STOP\ufffd")");
}

}  // namespace
}  // namespace optgate
