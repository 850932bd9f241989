// The broadcast and administration API in process: who may call what (API keys and roles),
// how a malformed /v1/check is refused, and what a valid one answers (SPEC: HTTP interface).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/support/api_reply.hpp"
#include "tests/support/sms_webhook.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";
constexpr const char* consent_body =
    R"({"channel":"sms","program":"district","state":"opted_out","source":"office"})";

http_result check_body(const http_endpoint& daemon, std::string body) {
    return daemon.request(api_call("POST", "/v1/check", test_api_key, std::move(body)));
}

class ApiAuth : public ::testing::Test {
  protected:
    route_harness api;
};

TEST_F(ApiAuth, CheckWithoutAnApiKeyIsUnauthorized) {
    const auto result = post_check(api, "sms", "district", {family}, "");
    EXPECT_TRUE(is_error(result, 401, "unauthorized"));
    EXPECT_EQ(header_of(result, "www-authenticate"), "Bearer");
}

TEST_F(ApiAuth, UnknownKeyOrAnotherSchemeIsUnauthorized) {
    const auto unknown = post_check(api, "sms", "district", {family}, "not-a-key");
    EXPECT_TRUE(is_error(unknown, 401, "unauthorized"));
    EXPECT_EQ(header_of(unknown, "www-authenticate"), "Bearer");
    auto basic = api_call("POST", "/v1/check", "", R"({"channel":"sms","program":"district",
                          "recipients":[]})");
    basic.headers["Authorization"] = "Basic dGVzdC1rZXk6";  // "test-key:"
    EXPECT_TRUE(is_error(api.request(basic), 401, "unauthorized"));
}

TEST_F(ApiAuth, CheckOnlyKeyMayCheckButNotReadOrChangeConsentNorReadTheAudit) {
    EXPECT_EQ(post_check(api, "sms", "district", {family}, test_check_only_key).status, 200);
    EXPECT_TRUE(
        is_error(api.request(api_call("GET", "/v1/consent/%2B16515550100", test_check_only_key)),
                 403, "forbidden"));
    EXPECT_TRUE(is_error(api.request(api_call("PUT", "/v1/consent/%2B16515550100",
                                              test_check_only_key, consent_body)),
                         403, "forbidden"));
    EXPECT_TRUE(
        is_error(api.request(api_call("GET", "/v1/audit", test_check_only_key)), 403, "forbidden"));
    // The refused PUT changed nothing.
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "default");
    EXPECT_TRUE(audit_entries(api).empty());
}

TEST_F(ApiAuth, MalformedCheckRequestsAreRefusedWithTheErrorShape) {
    const std::vector<std::string> malformed{
        "{\"channel\":\"sms\",",  // not JSON
        "[]",                     // not an object
        R"({"channel":"sms","program":"sports","recipients":[]})",
        R"({"channel":"fax","program":"district","recipients":[]})",
        R"({"program":"district","recipients":[]})",
        R"({"channel":"sms","program":"district","recipients":"+16515550100"})",
        R"({"channel":"sms","program":"district"})",
        R"({"channel":"sms","program":"district","recipients":["+16515550100",16515550101]})",
    };
    for (const auto& body : malformed)
        EXPECT_TRUE(is_error(check_body(api, body), 400, "malformed_request")) << body;
    auto call = api_call("POST", "/v1/check", test_api_key,
                         R"({"channel":"sms","program":"district","recipients":[]})");
    call.headers["Content-Type"] = "Application/JSON; charset=utf-8";
    EXPECT_EQ(api.request(call).status, 200);
    call.headers["Content-Type"] = "text/plain";
    EXPECT_TRUE(is_error(api.request(call), 415, "unsupported_media_type"));
}

TEST_F(ApiAuth, ResultsFollowTheInputOrderWithCounts) {
    ASSERT_EQ(send_sms(api, family, district_code, "STOP", message_sid(1)).status, 200);
    const auto result = post_check(
        api, "sms", "district",
        {"651-555-0101", family, "jane@example.org", "bad", "(651) 555-0100", "+1 651 555 0102"});
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(header_of(result, "content-type"), "application/json");
    const auto body = parse_json(result.body);
    ASSERT_TRUE(body.is_object());
    EXPECT_EQ(keys_of(body.as_object()),
              (std::vector<std::string>{"allowed", "denied", "results"}));
    EXPECT_EQ(value_of(body.as_object(), "allowed"), json::value(2));
    EXPECT_EQ(value_of(body.as_object(), "denied"), json::value(4));
    const auto& results = body.at("results").as_array();
    ASSERT_EQ(results.size(), 6u);

    EXPECT_EQ(results[0], json::parse(R"({"input":"651-555-0101","address":"+16515550101",
        "allowed":true,"state":"opted_in","reason":"default"})"));
    const auto& out = results[1].as_object();
    EXPECT_EQ(text_of(out, "input"), family);
    EXPECT_EQ(value_of(out, "allowed"), json::value(false));
    EXPECT_EQ(text_of(out, "reason"), "opted_out");
    EXPECT_EQ(text_of(out, "source"), "twilio-sms");
    // An email is not an address on sms: invalid, with no address or state.
    EXPECT_EQ(
        results[2],
        json::parse(R"({"input":"jane@example.org","allowed":false,"reason":"invalid_address"})"));
    EXPECT_EQ(results[3],
              json::parse(R"({"input":"bad","allowed":false,"reason":"invalid_address"})"));
    EXPECT_EQ(text_of(results[4].as_object(), "address"), family);
    EXPECT_EQ(text_of(results[4].as_object(), "reason"), "opted_out");
    EXPECT_EQ(text_of(results[5].as_object(), "address"), "+16515550102");
    EXPECT_EQ(text_of(results[5].as_object(), "reason"), "default");
}

// A check of an emergency-purpose program says which other programs each family opted out
// of, allowed or not: the district may reach it (FCC 16-88), from the emergency code.
TEST_F(ApiAuth, AnEmergencyCheckNamesTheOtherProgramsLeft) {
    ASSERT_EQ(send_sms(api, family, district_code, "STOP", message_sid(1)).status, 200);
    auto result = post_check(api, "sms", "emergency", {family, "+16515550101"});
    ASSERT_EQ(result.status, 200) << result.body;
    auto results = parse_json(result.body).at("results").as_array();
    EXPECT_EQ(results[0], json::parse(R"({"input":"+16515550100","address":"+16515550100",
        "allowed":true,"state":"opted_in","reason":"default","other_opt_outs":["district"]})"));
    EXPECT_FALSE(results[1].as_object().contains("other_opt_outs"));
    // The district program is not emergency-purpose: its check names no others.
    ASSERT_EQ(send_sms(api, family, emergency_code, "STOP", message_sid(2)).status, 200);
    result = post_check(api, "sms", "district", {family});
    EXPECT_FALSE(
        parse_json(result.body).at("results").as_array()[0].as_object().contains("other_opt_outs"));
    result = post_check(api, "sms", "emergency", {family});
    const auto denied = parse_json(result.body).at("results").as_array()[0].as_object();
    EXPECT_EQ(value_of(denied, "allowed"), json::value(false));
    EXPECT_EQ(value_of(denied, "other_opt_outs"), json::parse(R"(["district"])"));
}

TEST_F(ApiAuth, PhoneNumberIsAnInvalidAddressOnEmail) {
    const auto result = post_check(api, "email", "district", {family, " Jane@Example.org "});
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(parse_json(result.body), json::parse(R"({"results":[
        {"input":"+16515550100","allowed":false,"reason":"invalid_address"},
        {"input":" Jane@Example.org ","address":"jane@example.org","allowed":true,
         "state":"opted_in","reason":"default"}],"allowed":1,"denied":1})"));
}

TEST_F(ApiAuth, EmptyRecipientListIsAnEmptyAnswer) {
    const auto result = post_check(api, "sms", "district", {});
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(parse_json(result.body), json::parse(R"({"results":[],"allowed":0,"denied":0})"));
}

TEST_F(ApiAuth, ACheckOfMoreRecipientsThanTheLimitIsRefused) {
    api.reload("limits: { max_check_recipients: 3 }\n");
    EXPECT_EQ(post_check(api, "sms", "district", {family, "", "bad"}).status, 200);
    const auto over = post_check(api, "sms", "district", {family, "", "bad", ""});
    EXPECT_TRUE(is_error(over, 413, "too_many_recipients"));
    EXPECT_NE(over.body.find("at most 3 entries (limits.max_check_recipients)"), std::string::npos)
        << over.body;
}

TEST_F(ApiAuth, ByDefaultACheckNamesAtMostAMillionRecipients) {
    // 3 MB of "": as values of a JSON tree, a million of them took over 100 MB; only the
    // limit's worth is ever read.
    std::string body = R"({"channel":"sms","program":"district","recipients":[)";
    constexpr std::size_t over_the_limit = 1'000'001;
    for (std::size_t i = 0; i < over_the_limit; ++i) body += i ? R"(,"")" : R"("")";
    body += "]}";
    const auto over = check_body(api, std::move(body));
    EXPECT_TRUE(is_error(over, 413, "too_many_recipients"));
    EXPECT_NE(over.body.find("at most 1000000 entries"), std::string::npos) << over.body;
}

TEST_F(ApiAuth, TwentyThousandRecipientsAreAnsweredInOrder) {
    constexpr std::size_t count = 20000;
    std::vector<std::string> recipients;
    recipients.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        char number[24];
        std::snprintf(number, sizeof number, "+1651%03zu%04zu", 200 + i / 10000, i % 10000);
        recipients.emplace_back(number);
    }
    const std::vector<std::size_t> opted_out{0, 9999, 10000, count - 1};
    for (std::size_t n = 0; n < opted_out.size(); ++n)
        ASSERT_EQ(
            send_sms(api, recipients[opted_out[n]], district_code, "STOP", message_sid(unsigned(n)))
                .status,
            200);

    const auto result = post_check(api, "sms", "district", recipients);
    ASSERT_EQ(result.status, 200) << result.body.substr(0, 300);
    const auto body = parse_json(result.body);
    ASSERT_TRUE(body.is_object());
    EXPECT_EQ(value_of(body.as_object(), "allowed"),
              json::value(std::int64_t(count - opted_out.size())));
    EXPECT_EQ(value_of(body.as_object(), "denied"), json::value(std::int64_t(opted_out.size())));
    const auto& results = body.at("results").as_array();
    ASSERT_EQ(results.size(), count);
    std::vector<std::size_t> denied;
    for (std::size_t i = 0; i < count; ++i) {
        const auto& r = results[i].as_object();
        if (text_of(r, "input") != recipients[i] || text_of(r, "address") != recipients[i]) {
            ADD_FAILURE() << "result " << i << " is " << json::serialize(r) << ", expected "
                          << recipients[i];
            break;
        }
        if (value_of(r, "allowed") == json::value(false)) denied.push_back(i);
    }
    EXPECT_EQ(denied, opted_out);
}

}  // namespace
}  // namespace optgate::testing
