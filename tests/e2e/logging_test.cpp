// The daemon's log as a log shipper sees it: with log.format json every line is one JSON
// object, and every line about a request carries the id the response's X-Request-Id names
// (a load balancer's own id when it sends a sane one). The access line names the route's
// pattern, never a path that holds an address.
#include <gmock/gmock.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "tests/e2e/e2e_fixture.hpp"

namespace optgate::testing {
namespace {

using LogFormat = e2e_test;

// The daemon's log once it holds every one of `lines`: a request's access line is written
// after its response, so a client may read the response before the line is there.
std::string log_holding(const daemon_process& daemon, const std::vector<std::string>& lines) {
    wait_until(
        [&] {
            const auto log = daemon.log_text();
            return std::all_of(lines.begin(), lines.end(), [&](const std::string& line) {
                return log.find(line) != std::string::npos;
            });
        },
        std::chrono::seconds(5));
    return daemon.log_text();
}

std::vector<json::object> json_lines(const std::string& log) {
    std::vector<json::object> lines;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        boost::system::error_code ec;
        auto value = json::parse(line, ec);
        EXPECT_FALSE(ec) << "not JSON: " << line;
        if (ec || !value.is_object()) continue;
        lines.push_back(value.as_object());
    }
    return lines;
}

std::vector<std::string> messages_of_request(const std::vector<json::object>& lines,
                                             const std::string& request_id) {
    std::vector<std::string> messages;
    for (const auto& line : lines)
        if (text_of(line, "request_id") == request_id) messages.push_back(text_of(line, "message"));
    return messages;
}

TEST_F(LogFormat, JsonLinesCarryTheRequestIdOfTheResponse) {
    auto config = default_test_config(redis().url(), key_prefix());
    const std::string text_log = "log: { level: debug }\n";
    ASSERT_NE(config.find(text_log), std::string::npos) << "default_test_config changed its log";
    config.replace(config.find(text_log), text_log.size(), "log: { level: info, format: json }\n");
    auto daemon = std::make_unique<daemon_process>(config);
    ASSERT_TRUE(daemon->wait_until_ready()) << daemon->log_text();
    const auto sms = send_sms(*daemon, "+16515550123", district_code, "STOP", message_sid(1));
    ASSERT_EQ(sms.status, 200) << sms.body;
    const auto id = sms.headers.at("x-request-id");
    ASSERT_FALSE(id.empty());

    auto call = api_call("GET", "/v1/consent/%2B16515550123", test_api_key);
    call.headers["X-Request-Id"] = "lb-7f3a.1";
    const auto consent = http_request(daemon->port(), call);
    EXPECT_EQ(consent.status, 200);
    EXPECT_EQ(consent.headers.at("x-request-id"), "lb-7f3a.1");

    const auto lines = json_lines(
        log_holding(*daemon, {"POST /webhooks/twilio/sms answered", "GET /v1/consent/* answered"}));
    ASSERT_FALSE(lines.empty());
    for (const auto& line : lines) {
        EXPECT_FALSE(text_of(line, "time").empty());
        EXPECT_FALSE(text_of(line, "level").empty());
        EXPECT_FALSE(text_of(line, "message").starts_with("[req ")) << text_of(line, "message");
    }
    const auto sms_messages = messages_of_request(lines, id);
    ASSERT_GE(sms_messages.size(), 2u);  // what happened, then the access line
    EXPECT_THAT(sms_messages, ::testing::Contains(::testing::HasSubstr("journaled as")));
    EXPECT_THAT(
        sms_messages,
        ::testing::Contains(::testing::HasSubstr("POST /webhooks/twilio/sms answered 200 in")));
    EXPECT_THAT(messages_of_request(lines, "lb-7f3a.1"),
                ::testing::Contains(::testing::HasSubstr("GET /v1/consent/* answered 200 in")));
    EXPECT_EQ(daemon->log_text().find("5550123"), std::string::npos) << "a number in clear";
}

TEST_F(LogFormat, TextLinesTagEveryLineOfARequest) {
    auto daemon = start_daemon();
    const auto sms = send_sms(*daemon, "+16515550124", district_code, "START", message_sid(2));
    ASSERT_EQ(sms.status, 200) << sms.body;
    const auto tag = "[req " + sms.headers.at("x-request-id") + "] ";
    const auto log = log_holding(*daemon, {"POST /webhooks/twilio/sms answered"});
    EXPECT_NE(log.find(tag + "twilio sms: opt_in"), std::string::npos) << log;
    EXPECT_NE(log.find(tag + "POST /webhooks/twilio/sms answered 200"), std::string::npos) << log;
    EXPECT_THROW(json::parse(log.substr(0, log.find('\n'))), std::exception) << "text, not JSON";
}

}  // namespace
}  // namespace optgate::testing
