// The Twilio webhook against what is not Twilio, in process: signatures that do not match,
// replays, malformed requests, and paths or methods that do not exist. A refused request changes
// nothing (SPEC: HTTP interface). Oversized requests are the daemon's (e2e WebhookSecurity).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/timestamp.hpp"
#include "tests/support/admin_changes.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/sms_webhook.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";

http_call signed_stop(const std::string& signed_base, const std::string& signed_target) {
    auto call = twilio_post(signed_base, signed_target, test_twilio_token,
                            sms_fields(family, district_code, "STOP", message_sid(1)));
    call.target = sms_path;
    return call;
}

class WebhookSecurity : public ::testing::Test {
  protected:
    route_harness api;
};

TEST_F(WebhookSecurity, SignatureWithAnotherTokenIsRefused) {
    auto call = twilio_post(test_public_url, sms_path, "another-token",
                            sms_fields(family, district_code, "STOP", message_sid(1)));
    EXPECT_TRUE(is_error(api.request(call), 403, "bad_signature"));
    call.headers.erase("X-Twilio-Signature");
    EXPECT_TRUE(is_error(api.request(call), 403, "bad_signature"));
    call.headers["X-Twilio-Signature"] = "";
    EXPECT_TRUE(is_error(api.request(call), 403, "bad_signature"));
    expect_nothing_changed(api, family);
}

TEST_F(WebhookSecurity, SignatureOverAnotherUrlIsRefused) {
    // http instead of the configured https, another path, another host.
    EXPECT_TRUE(
        is_error(api.request(signed_stop("http://optgate.test", sms_path)), 403, "bad_signature"));
    EXPECT_TRUE(is_error(api.request(signed_stop(test_public_url, "/webhooks/twilio/voice")), 403,
                         "bad_signature"));
    EXPECT_TRUE(is_error(api.request(signed_stop("https://elsewhere.test", sms_path)), 403,
                         "bad_signature"));
    // Twilio signs the query string as part of the URL: dropping or adding one breaks it.
    auto with_query = signed_stop(test_public_url, std::string(sms_path) + "?school=central");
    EXPECT_TRUE(is_error(api.request(with_query), 403, "bad_signature"));
    expect_nothing_changed(api, family);
}

TEST_F(WebhookSecurity, SignatureOverTheUrlWithItsQueryIsAccepted) {
    const std::string target = std::string(sms_path) + "?school=central";
    const auto call = twilio_post(test_public_url, target, test_twilio_token,
                                  sms_fields(family, district_code, "STOP", message_sid(1)));
    const auto result = api.request(call);
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, twiml_message(opt_out_reply));
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_out");
}

TEST_F(WebhookSecurity, BodyTamperedAfterSigningIsRefused) {
    auto call = twilio_post(test_public_url, sms_path, test_twilio_token,
                            sms_fields(family, district_code, "HELP", message_sid(1)));
    call.body = form_urlencode(sms_fields(family, district_code, "STOP", message_sid(1)));
    EXPECT_TRUE(is_error(api.request(call), 403, "bad_signature"));
    // A field added after signing breaks it too.
    call = twilio_post(test_public_url, sms_path, test_twilio_token,
                       sms_fields(family, district_code, "STOP", message_sid(1)));
    call.body += "&Extra=1";
    EXPECT_TRUE(is_error(api.request(call), 403, "bad_signature"));
    expect_nothing_changed(api, family);
}

TEST_F(WebhookSecurity, RedeliveredMessageSidChangesStateOnceAndIsAuditedOnce) {
    auto deliver = [&](int delivery) {
        const auto result = send_sms(api, family, district_code, "STOP", message_sid(1));
        EXPECT_EQ(result.status, 200) << "delivery " << delivery << ": " << result.body;
        EXPECT_EQ(result.body, twiml_message(opt_out_reply)) << "delivery " << delivery;
        EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_out");
    };
    deliver(1);
    const auto first = audit_entries(api);
    ASSERT_EQ(first.size(), 1u);
    const auto received = parse_rfc3339(text_of(first[0], "received_time"));
    ASSERT_TRUE(received);
    api.now += 60'000;  // Twilio redelivers a minute later
    deliver(2);

    const auto audit = audit_entries(api);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0], first[0]);
    const auto consent = consent_of(api, family);
    ASSERT_TRUE(value_of(consent, "history").is_array());
    EXPECT_EQ(consent.at("history").as_array().size(), 1u);
    // The entry stays where its receipt time puts it in the trail: the redelivery, which is
    // not audited, does not move it.
    const auto at = format_rfc3339(*received);
    const auto range =
        api.request(api_call("GET", "/v1/audit?since=" + at + "&until=" + at, test_api_key));
    EXPECT_EQ(range.status, 200);
    EXPECT_EQ(std::count(range.body.begin(), range.body.end(), '\n'), 1) << range.body;
}

TEST_F(WebhookSecurity, FormContentTypeIsRequiredAndItsCharsetAccepted) {
    auto call = twilio_post(test_public_url, sms_path, test_twilio_token,
                            sms_fields(family, district_code, "STOP", message_sid(1)));
    call.headers["Content-Type"] = "application/json";
    EXPECT_TRUE(is_error(api.request(call), 415, "unsupported_media_type"));
    call.headers.erase("Content-Type");
    EXPECT_TRUE(is_error(api.request(call), 415, "unsupported_media_type"));
    expect_nothing_changed(api, family);
    // What Twilio actually sends.
    call.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=UTF-8";
    const auto result = api.request(call);
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_out");
}

TEST_F(WebhookSecurity, MalformedFormIsRefusedBeforeItsSignatureCanBeChecked) {
    // The signature is over the decoded fields: a body that does not decode has none to check.
    auto call = twilio_post(test_public_url, sms_path, test_twilio_token,
                            sms_fields(family, district_code, "STOP", message_sid(1)));
    for (const char* tail : {"&Body=%zz", "&Body=%4", "&Body=STOP%"}) {
        auto malformed = call;
        malformed.body += tail;
        EXPECT_TRUE(is_error(api.request(malformed), 400, "malformed_form")) << tail;
        malformed.headers.erase("X-Twilio-Signature");
        EXPECT_TRUE(is_error(api.request(malformed), 400, "malformed_form")) << tail;
    }
    expect_nothing_changed(api, family);
}

TEST_F(WebhookSecurity, SignedFormWithoutMessageSidFromOrToIsRefused) {
    for (const char* missing : {"MessageSid", "From", "To"}) {
        auto fields = sms_fields(family, district_code, "STOP", message_sid(1));
        std::erase_if(fields, [&](const auto& field) { return field.first == missing; });
        const auto call = twilio_post(test_public_url, sms_path, test_twilio_token, fields);
        EXPECT_TRUE(is_error(api.request(call), 400, "missing_fields")) << missing;
    }
    const auto empty_sid = twilio_post(test_public_url, sms_path, test_twilio_token,
                                       sms_fields(family, district_code, "STOP", ""));
    EXPECT_TRUE(is_error(api.request(empty_sid), 400, "missing_fields"));
    expect_nothing_changed(api, family);
}

// A token rotation: with secondary_auth_token set, a signature by either token is accepted,
// and any other is still refused.
TEST_F(WebhookSecurity, DuringARotationEitherTwilioTokenIsAccepted) {
    auto config = default_test_config(route_harness::redis_url, route_harness::key_prefix);
    const std::string twilio = "twilio: { auth_token: \"" + std::string(test_twilio_token) + "\"";
    const auto at = config.find(twilio);
    ASSERT_NE(at, std::string::npos) << config;
    config.insert(at + twilio.size(), ", secondary_auth_token: \"rotated-token\"");
    api.load(config);

    auto forged = twilio_post(test_public_url, sms_path, "another-token",
                              sms_fields(family, district_code, "STOP", message_sid(1)));
    EXPECT_TRUE(is_error(api.request(forged), 403, "bad_signature"));
    const auto by_new = twilio_post(test_public_url, sms_path, "rotated-token",
                                    sms_fields(family, district_code, "STOP", message_sid(2)));
    EXPECT_EQ(api.request(by_new).status, 200);
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_out");
    const auto by_old = twilio_post(test_public_url, sms_path, test_twilio_token,
                                    sms_fields(family, district_code, "START", message_sid(3)));
    EXPECT_EQ(api.request(by_old).status, 200);
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_in");
    EXPECT_EQ(audit_entries(api).size(), 2u);
}

TEST_F(WebhookSecurity, UnconfiguredProviderIsA404) {
    auto config = default_test_config(route_harness::redis_url, route_harness::key_prefix);
    const std::string twilio =
        "  twilio: { auth_token: \"" + std::string(test_twilio_token) + "\" }\n";
    const auto at = config.find("providers:\n" + twilio);
    ASSERT_NE(at, std::string::npos) << config;
    config.erase(at, std::string("providers:\n").size() + twilio.size());
    api.load(config);
    EXPECT_TRUE(
        is_error(send_sms(api, family, district_code, "STOP", message_sid(1)), 404, "not_found"));
}

TEST_F(WebhookSecurity, UnknownPathIsA404JsonError) {
    EXPECT_TRUE(is_error(api.request(api_call("GET", "/nope", "")), 404, "not_found"));
    EXPECT_TRUE(is_error(api.request(api_call("POST", "/webhooks/unknown", "")), 404, "not_found"));
    // "/v1/consent/" alone names no address.
    EXPECT_TRUE(
        is_error(api.request(api_call("GET", "/v1/consent/", test_api_key)), 404, "not_found"));
}

TEST_F(WebhookSecurity, WrongMethodIsA405WithAllow) {
    const auto check = api.request(api_call("GET", "/v1/check", test_api_key));
    EXPECT_TRUE(is_error(check, 405, "method_not_allowed"));
    EXPECT_EQ(header_of(check, "allow"), "POST");
    const auto sms = api.request(api_call("GET", sms_path, ""));
    EXPECT_TRUE(is_error(sms, 405, "method_not_allowed"));
    EXPECT_EQ(header_of(sms, "allow"), "POST");
    const auto consent = api.request(api_call("DELETE", "/v1/consent/+16515550100", test_api_key));
    EXPECT_TRUE(is_error(consent, 405, "method_not_allowed"));
    EXPECT_EQ(header_of(consent, "allow"), "GET, PUT");
}

}  // namespace
}  // namespace optgate::testing
