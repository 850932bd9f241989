// The log formats: JSON lines carry time, level, request id and message, each escaped; the
// request tag is lifted out of the message only when it is one.
#include <gtest/gtest.h>

#include <spdlog/details/log_msg.h>
#include <boost/json/parse.hpp>

#include "adapters/logging/log_format.hpp"

namespace optgate {
namespace {

namespace json = boost::json;

json::object format_json(std::string_view message, spdlog::level::level_enum level) {
    spdlog::details::log_msg msg(spdlog::source_loc{}, "optgated", level,
                                 spdlog::string_view_t(message.data(), message.size()));
    msg.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'795'348'800'123));
    spdlog::memory_buf_t out;
    make_json_log_formatter()->format(msg, out);
    const std::string line(out.data(), out.size());
    EXPECT_TRUE(line.ends_with("}\n")) << line;
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line per message: " << line;
    return json::parse(line).as_object();
}

TEST(JsonLogFormat, ALineAboutARequestHasItsIdAsAField) {
    const auto line =
        format_json("[req ab12-7] twilio sms: stop by +1651*****00", spdlog::level::info);
    EXPECT_EQ(line.at("time").as_string(), "2026-11-22T12:00:00.123Z");
    EXPECT_EQ(line.at("level").as_string(), "info");
    EXPECT_EQ(line.at("request_id").as_string(), "ab12-7");
    EXPECT_EQ(line.at("message").as_string(), "twilio sms: stop by +1651*****00");
}

TEST(JsonLogFormat, ALineAboutNoRequestHasNoRequestId) {
    const auto line = format_json("redis: connected", spdlog::level::warn);
    EXPECT_FALSE(line.contains("request_id"));
    EXPECT_EQ(line.at("level").as_string(), "warning");
    EXPECT_EQ(line.at("message").as_string(), "redis: connected");
}

TEST(JsonLogFormat, QuotesNewlinesAndBadUtf8StayInsideOneValidLine) {
    const auto line = format_json("[req 1] body \"a\"\nb\\c \xff", spdlog::level::err);
    EXPECT_EQ(line.at("message").as_string(), "body \"a\"\nb\\c \xEF\xBF\xBD");
}

TEST(RequestTag, IsSplitOnlyWhenWellFormed) {
    EXPECT_EQ(split_request_tag("[req 42] text").request_id, "42");
    EXPECT_EQ(split_request_tag("[req 42] text").text, "text");
    EXPECT_EQ(split_request_tag("[req ] text").request_id, "");
    EXPECT_EQ(split_request_tag("[req 42 text").text, "[req 42 text");
    EXPECT_EQ(split_request_tag("text [req 42] x").request_id, "");
}

}  // namespace
}  // namespace optgate
