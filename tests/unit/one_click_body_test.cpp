// The RFC 8058 one-click body, as mail clients send it (multipart/form-data or urlencoded)
// and as optgate's own page's button sends it; anything else is not the signal.
#include "core/one_click_body.hpp"

#include <gtest/gtest.h>

#include <string>

namespace optgate {
namespace {

constexpr const char* urlencoded = "application/x-www-form-urlencoded";

std::string multipart(const std::string& boundary, const std::string& parts) {
    return parts + "--" + boundary + "--\r\n";
}

std::string part(const std::string& boundary, const std::string& headers,
                 const std::string& value) {
    return "--" + boundary + "\r\n" + headers + "\r\n\r\n" + value + "\r\n";
}

const std::string one_click_part =
    part("b0undary", "Content-Disposition: form-data; name=\"List-Unsubscribe\"", "One-Click");

TEST(OneClickBody, TheUrlencodedSignalIsAccepted) {
    EXPECT_TRUE(is_one_click_unsubscribe(urlencoded, "List-Unsubscribe=One-Click"));
    EXPECT_TRUE(is_one_click_unsubscribe("Application/X-WWW-Form-Urlencoded; charset=UTF-8",
                                         "List-Unsubscribe=One-Click"));
    EXPECT_TRUE(is_one_click_unsubscribe(urlencoded, "List%2DUnsubscribe=One%2DClick"));
}

TEST(OneClickBody, TheMultipartSignalIsAccepted) {
    const auto body = multipart("b0undary", one_click_part);
    EXPECT_TRUE(is_one_click_unsubscribe("multipart/form-data; boundary=b0undary", body));
    EXPECT_TRUE(is_one_click_unsubscribe("multipart/form-data; boundary=\"b0undary\"", body));
    EXPECT_TRUE(
        is_one_click_unsubscribe("Multipart/Form-Data;charset=utf-8;BOUNDARY=b0undary", body));
    // A preamble, lower-case header names, an unquoted name, extra part headers, padding.
    EXPECT_TRUE(is_one_click_unsubscribe(
        "multipart/form-data; boundary=----x1",
        "ignored preamble\r\n------x1  \r\ncontent-type: text/plain\r\n"
        "content-disposition: form-data; name=List-Unsubscribe\r\n\r\nOne-Click\r\n------x1--"));
}

TEST(OneClickBody, AnyOtherFieldsAreNotTheSignal) {
    for (const char* body : {"", "List-Unsubscribe=one-click", "List-Unsubscribe=One-Click ",
                             "List-Unsubscribe=", "list-unsubscribe=One-Click", "One-Click",
                             "List-Unsubscribe=One-Click&List-Unsubscribe=One-Click",
                             "List-Unsubscribe=One-Click&also=this", "List-Unsubscribe=%ZZ"})
        EXPECT_FALSE(is_one_click_unsubscribe(urlencoded, body)) << body;
    const auto two_parts = multipart(
        "b0undary",
        one_click_part + part("b0undary", "Content-Disposition: form-data; name=\"x\"", "y"));
    EXPECT_FALSE(is_one_click_unsubscribe("multipart/form-data; boundary=b0undary", two_parts));
    const auto wrong_value = multipart(
        "b0undary",
        part("b0undary", "Content-Disposition: form-data; name=\"List-Unsubscribe\"", "Yes"));
    EXPECT_FALSE(is_one_click_unsubscribe("multipart/form-data; boundary=b0undary", wrong_value));
}

TEST(OneClickBody, OtherContentTypesAreNotTheSignal) {
    for (const char* type : {"", "text/plain", "application/json", "application/x-www-form"})
        EXPECT_FALSE(is_one_click_unsubscribe(type, "List-Unsubscribe=One-Click")) << type;
}

TEST(OneClickBody, MalformedMultipartIsNotTheSignal) {
    const auto body = multipart("b0undary", one_click_part);
    EXPECT_FALSE(is_one_click_unsubscribe("multipart/form-data", body));  // no boundary
    EXPECT_FALSE(is_one_click_unsubscribe("multipart/form-data; boundary=other", body));
    EXPECT_FALSE(is_one_click_unsubscribe("multipart/form-data; boundary=", body));
    EXPECT_FALSE(is_one_click_unsubscribe(
        "multipart/form-data; boundary=" + std::string(71, 'b'),
        multipart(std::string(71, 'b'),
                  part(std::string(71, 'b'),
                       "Content-Disposition: form-data; name=\"List-Unsubscribe\"", "One-Click"))));
    // No close delimiter, no headers' end, no Content-Disposition, not form-data.
    EXPECT_FALSE(is_one_click_unsubscribe("multipart/form-data; boundary=b0undary",
                                          "--b0undary\r\nContent-Disposition: form-data; "
                                          "name=\"List-Unsubscribe\"\r\n\r\nOne-Click"));
    EXPECT_FALSE(is_one_click_unsubscribe(
        "multipart/form-data; boundary=b0undary",
        "--b0undary\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\""));
    EXPECT_FALSE(is_one_click_unsubscribe(
        "multipart/form-data; boundary=b0undary",
        multipart("b0undary", part("b0undary", "Content-Type: text/plain", "One-Click"))));
    EXPECT_FALSE(is_one_click_unsubscribe(
        "multipart/form-data; boundary=b0undary",
        multipart("b0undary",
                  part("b0undary", "Content-Disposition: attachment; name=\"List-Unsubscribe\"",
                       "One-Click"))));
}

TEST(OneClickBody, MultipartFieldsKeepTheirOrderAndValues) {
    const auto fields = parse_multipart_form(
        "xyz",
        "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nline 1\r\nline 2\r\n"
        "--xyz\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n\r\n--xyz--");
    ASSERT_TRUE(fields);
    EXPECT_EQ(*fields, (form_fields{{"a", "line 1\r\nline 2"}, {"b", ""}}));
    EXPECT_EQ(parse_multipart_form("xyz", "--xyz--\r\n"), form_fields{});
}

}  // namespace
}  // namespace optgate
