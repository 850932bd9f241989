// The Twilio webhook against oversized requests, which the daemon's sessions refuse before any
// route sees them, and serves on (the routes' refusals are tests/unit/http's).
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/admin_changes.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";

class WebhookSecurity : public e2e_test {};

TEST_F(WebhookSecurity, BodyOverTheWebhookLimitIsRefusedAndTheDaemonServesOn) {
    const auto daemon = start_daemon();
    // Just under 64 KiB is a webhook like any other (plain text: no change).
    const auto near =
        twilio_post(test_public_url, sms_path, test_twilio_token,
                    sms_fields(family, district_code, std::string(60 * 1024, 'x'), message_sid(1)));
    ASSERT_LT(near.body.size(), 64u * 1024);
    const auto accepted = daemon->request(near);
    EXPECT_EQ(accepted.status, 200) << accepted.body;
    EXPECT_EQ(accepted.body, twiml_empty());

    const auto over = twilio_post(
        test_public_url, sms_path, test_twilio_token,
        sms_fields(family, district_code, "STOP " + std::string(65 * 1024, 'x'), message_sid(2)));
    EXPECT_TRUE(is_error(daemon->request(over), 413, "body_too_large"));
    EXPECT_EQ(daemon->request(api_call("GET", "/healthz", "")).status, 200);
    expect_nothing_changed(*daemon, family);
}

TEST_F(WebhookSecurity, HeadersOverTheLimitAreRefusedAndTheDaemonServesOn) {
    const auto daemon = start_daemon();
    auto call = twilio_post(test_public_url, sms_path, test_twilio_token,
                            sms_fields(family, district_code, "STOP", message_sid(1)));
    call.headers["X-Padding"] = std::string(9 * 1024, 'a');
    EXPECT_TRUE(is_error(daemon->request(call), 431, "headers_too_large"));
    EXPECT_EQ(daemon->request(api_call("GET", "/healthz", "")).status, 200);
    expect_nothing_changed(*daemon, family);
}

}  // namespace
}  // namespace optgate::testing
