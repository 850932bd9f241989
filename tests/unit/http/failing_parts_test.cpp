// What every route answers when a part behind it fails, through the fakes' switches: a journal
// that cannot be written, a store that is unreachable or has lost data, answers held while
// Redis is verified or repaired. The gate fails closed: 503 with Retry-After and a reason,
// never an "allowed" and never an acknowledgement of what is not durable (SPEC rules 5 and 6).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <string>

#include "core/store_error.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/sms_webhook.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";

class FailingParts : public ::testing::Test {
  protected:
    route_harness api;

    // A 503 that says when to come back and why.
    static ::testing::AssertionResult is_unavailable(const http_result& result,
                                                     std::string_view because) {
        if (auto shape = is_error(result, 503, "unavailable"); !shape) return shape;
        if (header_of(result, "retry-after") != "5")
            return ::testing::AssertionFailure() << "no Retry-After: 5";
        if (result.body.find(because) == std::string::npos)
            return ::testing::AssertionFailure() << result.body << " does not say " << because;
        return ::testing::AssertionSuccess();
    }

    json::object readiness() {
        const auto result = api.request(api_call("GET", "/readyz", ""));
        const auto body = parse_json(result.body);
        return body.is_object() ? body.as_object() : json::object{};
    }
};

TEST_F(FailingParts, AStopThatCannotBeJournaledIsNotAcknowledged) {
    api.consent.journal_fails = true;
    const auto result = send_sms(api, family, district_code, "STOP", message_sid(1));
    EXPECT_EQ(result.status, 503) << result.body;
    EXPECT_TRUE(api.consent.journaled().empty());
    EXPECT_EQ(value_of(readiness(), "journal"), json::value("failing"));
    // Twilio retries once the journal takes writes again; the STOP is then heard.
    api.consent.journal_fails = false;
    EXPECT_EQ(send_sms(api, family, district_code, "STOP", message_sid(1)).body,
              twiml_message(opt_out_reply));
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_out");
}

TEST_F(FailingParts, ACheckOfAStoreThatLostDataIs503NeverTheDefault) {
    api.consent.read_error = store_error::data_lost;
    EXPECT_TRUE(is_unavailable(post_check(api, "sms", "district", {family}), "lost data"));
    EXPECT_TRUE(is_unavailable(
        api.request(api_call("GET", "/v1/consent/%2B16515550100", test_api_key)), "lost data"));
}

// A check answers as it reads: once its first results are sent, a store lost midway cannot
// be a 503. The answer then ends with an error and without its last chunk, so that neither
// the JSON nor the transfer is complete, and no client can take the results for all of them.
TEST_F(FailingParts, AStoreLostMidwayEndsTheCheckWithAnErrorNeverAsComplete) {
    std::vector<std::string> recipients;
    for (int i = 0; i < 9000; ++i) recipients.push_back("+1651" + std::to_string(2000000 + i));
    api.consent.read_error = store_error::data_lost;
    api.consent.record_reads_before_error = 2;  // two chunks read, the third fails
    const auto result = post_check(api, "sms", "district", recipients);
    EXPECT_EQ(result.status, 200);
    EXPECT_FALSE(result.complete);
    EXPECT_TRUE(result.body.starts_with(R"({"results":[{"input":"+16512000000")"))
        << result.body.substr(0, 80);
    EXPECT_TRUE(result.body.ends_with(
        R"(],"error":{"code":"unavailable","message":"the consent store has lost data; it is )"
        R"(being restored from the journal"})"))
        << result.body.substr(result.body.size() - std::min<std::size_t>(result.body.size(), 200));
    EXPECT_EQ(result.body.find(R"("allowed":9)"), std::string::npos);  // no counts
    boost::system::error_code ec;
    json::parse(result.body, ec);
    EXPECT_TRUE(ec) << "a cut answer must not parse as JSON";
    EXPECT_NE(api.log_text().find("the answer ends with an error"), std::string::npos);
    // The results sent are the first ones, in order, by whole chunks (of 2000).
    std::size_t sent = 0;
    for (auto at = result.body.find(R"({"input":")"); at != std::string::npos;
         at = result.body.find(R"({"input":")", at + 1)) {
        EXPECT_EQ(result.body.substr(at + 10, 12), recipients[sent]);
        ++sent;
    }
    EXPECT_GT(sent, 0u);
    EXPECT_LT(sent, recipients.size());
    EXPECT_EQ(sent % 2000, 0u);
}

TEST_F(FailingParts, AStoreLostBeforeTheFirstResultsIsStillA503) {
    std::vector<std::string> recipients;
    for (int i = 0; i < 9000; ++i) recipients.push_back("+1651" + std::to_string(2000000 + i));
    api.consent.read_error = std::make_error_code(std::errc::connection_refused);
    EXPECT_TRUE(is_unavailable(post_check(api, "sms", "district", recipients), "unreachable"));
}

TEST_F(FailingParts, ACheckOfAnUnreachableStoreIs503) {
    api.consent.reachable = false;
    EXPECT_TRUE(is_unavailable(post_check(api, "sms", "district", {family}), "unreachable"));
    EXPECT_EQ(value_of(readiness(), "redis"), json::value("unavailable"));
    // Webhooks are still journaled and acknowledged: the journal is the promise.
    EXPECT_EQ(send_sms(api, family, district_code, "STOP", message_sid(1)).status, 200);
    EXPECT_EQ(api.consent.journaled().size(), 1u);
}

TEST_F(FailingParts, WhileAnswersAreHeldChecksAre503AndReadinessSaysWhy) {
    ASSERT_EQ(send_sms(api, family, district_code, "STOP", message_sid(1)).status, 200);
    api.consent.holding = true;
    api.consent.held_because = "Redis's maxmemory-policy is allkeys-lru";
    EXPECT_TRUE(is_unavailable(post_check(api, "sms", "district", {family}), "brought up to date"));
    const auto ready = api.request(api_call("GET", "/readyz", ""));
    EXPECT_EQ(ready.status, 503);
    const auto body = readiness();
    EXPECT_EQ(value_of(body, "ready"), json::value(false));
    EXPECT_EQ(value_of(body, "consent"), json::value("verifying"));
    EXPECT_EQ(value_of(body, "consent_reason"), json::value(api.consent.held_because));
    api.consent.holding = false;
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_out");
    EXPECT_EQ(api.request(api_call("GET", "/readyz", "")).status, 200);
    EXPECT_FALSE(readiness().contains("consent_reason"));
}

}  // namespace
}  // namespace optgate::testing
