// The Twilio webhook against what is not Twilio: signatures that do not match, replays,
// malformed or oversized requests, and paths or methods that do not exist. A refused request
// changes nothing (SPEC: HTTP interface).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";

// Refused and unchanged: still at the default, nothing audited.
void expect_nothing_changed(const daemon_process& daemon) {
    const auto result = check_one(daemon, family);
    EXPECT_EQ(value_of(result, "allowed"), json::value(true));
    EXPECT_EQ(text_of(result, "reason"), "default");
    EXPECT_TRUE(audit_entries(daemon).empty());
}

http_call signed_stop(const std::string& signed_base, const std::string& signed_target) {
    auto call = twilio_post(signed_base, signed_target, test_twilio_token,
                            sms_fields(family, district_code, "STOP", message_sid(1)));
    call.target = sms_path;
    return call;
}

class WebhookSecurity : public e2e_test {};

TEST_F(WebhookSecurity, SignatureWithAnotherTokenIsRefused) {
    const auto daemon = start_daemon();
    auto call = twilio_post(test_public_url, sms_path, "another-token",
                            sms_fields(family, district_code, "STOP", message_sid(1)));
    EXPECT_TRUE(is_error(daemon->request(call), 403, "bad_signature"));
    call.headers.erase("X-Twilio-Signature");
    EXPECT_TRUE(is_error(daemon->request(call), 403, "bad_signature"));
    call.headers["X-Twilio-Signature"] = "";
    EXPECT_TRUE(is_error(daemon->request(call), 403, "bad_signature"));
    expect_nothing_changed(*daemon);
}

TEST_F(WebhookSecurity, SignatureOverAnotherUrlIsRefused) {
    const auto daemon = start_daemon();
    // http instead of the configured https, another path, another host.
    EXPECT_TRUE(is_error(daemon->request(signed_stop("http://optgate.test", sms_path)), 403,
                         "bad_signature"));
    EXPECT_TRUE(is_error(daemon->request(signed_stop(test_public_url, "/webhooks/twilio/voice")),
                         403, "bad_signature"));
    EXPECT_TRUE(is_error(daemon->request(signed_stop("https://elsewhere.test", sms_path)), 403,
                         "bad_signature"));
    // Twilio signs the query string as part of the URL: dropping or adding one breaks it.
    auto with_query = signed_stop(test_public_url, std::string(sms_path) + "?school=central");
    EXPECT_TRUE(is_error(daemon->request(with_query), 403, "bad_signature"));
    expect_nothing_changed(*daemon);
}

TEST_F(WebhookSecurity, SignatureOverTheUrlWithItsQueryIsAccepted) {
    const auto daemon = start_daemon();
    const std::string target = std::string(sms_path) + "?school=central";
    const auto call = twilio_post(test_public_url, target, test_twilio_token,
                                  sms_fields(family, district_code, "STOP", message_sid(1)));
    const auto result = daemon->request(call);
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, twiml_message(opt_out_reply));
    EXPECT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");
}

TEST_F(WebhookSecurity, BodyTamperedAfterSigningIsRefused) {
    const auto daemon = start_daemon();
    auto call = twilio_post(test_public_url, sms_path, test_twilio_token,
                            sms_fields(family, district_code, "HELP", message_sid(1)));
    call.body = form_urlencode(sms_fields(family, district_code, "STOP", message_sid(1)));
    EXPECT_TRUE(is_error(daemon->request(call), 403, "bad_signature"));
    // A field added after signing breaks it too.
    call = twilio_post(test_public_url, sms_path, test_twilio_token,
                       sms_fields(family, district_code, "STOP", message_sid(1)));
    call.body += "&Extra=1";
    EXPECT_TRUE(is_error(daemon->request(call), 403, "bad_signature"));
    expect_nothing_changed(*daemon);
}

TEST_F(WebhookSecurity, RedeliveredMessageSidChangesStateOnceAndIsAuditedOnce) {
    const auto daemon = start_daemon();
    auto deliver = [&](int delivery) {
        const auto result = send_sms(*daemon, family, district_code, "STOP", message_sid(1));
        EXPECT_EQ(result.status, 200) << "delivery " << delivery << ": " << result.body;
        EXPECT_EQ(result.body, twiml_message(opt_out_reply)) << "delivery " << delivery;
        EXPECT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");
    };
    deliver(1);
    const auto first = audit_entries(*daemon);
    ASSERT_EQ(first.size(), 1u);
    const auto received = parse_rfc3339(text_of(first[0], "received_time"));
    ASSERT_TRUE(received);
    // Twilio redelivers later: make sure the second delivery is received in a later millisecond.
    ASSERT_TRUE(wait_until([&] { return now_ms() > *received + 1; }, std::chrono::seconds(1)));
    deliver(2);

    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0], first[0]);
    const auto consent = consent_of(*daemon, family);
    ASSERT_TRUE(value_of(consent, "history").is_array());
    EXPECT_EQ(consent.at("history").as_array().size(), 1u);
    // The entry stays where its receipt time puts it in the trail: the redelivery, which is
    // not audited, does not move it.
    const auto at = format_rfc3339(*received);
    const auto range =
        daemon->request(api_call("GET", "/v1/audit?since=" + at + "&until=" + at, test_api_key));
    EXPECT_EQ(range.status, 200);
    EXPECT_EQ(std::count(range.body.begin(), range.body.end(), '\n'), 1) << range.body;
}

TEST_F(WebhookSecurity, FormContentTypeIsRequiredAndItsCharsetAccepted) {
    const auto daemon = start_daemon();
    auto call = twilio_post(test_public_url, sms_path, test_twilio_token,
                            sms_fields(family, district_code, "STOP", message_sid(1)));
    call.headers["Content-Type"] = "application/json";
    EXPECT_TRUE(is_error(daemon->request(call), 415, "unsupported_media_type"));
    call.headers.erase("Content-Type");
    EXPECT_TRUE(is_error(daemon->request(call), 415, "unsupported_media_type"));
    expect_nothing_changed(*daemon);
    // What Twilio actually sends.
    call.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=UTF-8";
    const auto result = daemon->request(call);
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");
}

TEST_F(WebhookSecurity, MalformedFormIsRefusedBeforeItsSignatureCanBeChecked) {
    // The signature is over the decoded fields: a body that does not decode has none to check.
    const auto daemon = start_daemon();
    auto call = twilio_post(test_public_url, sms_path, test_twilio_token,
                            sms_fields(family, district_code, "STOP", message_sid(1)));
    for (const char* tail : {"&Body=%zz", "&Body=%4", "&Body=STOP%"}) {
        auto malformed = call;
        malformed.body += tail;
        EXPECT_TRUE(is_error(daemon->request(malformed), 400, "malformed_form")) << tail;
        malformed.headers.erase("X-Twilio-Signature");
        EXPECT_TRUE(is_error(daemon->request(malformed), 400, "malformed_form")) << tail;
    }
    expect_nothing_changed(*daemon);
}

TEST_F(WebhookSecurity, SignedFormWithoutMessageSidFromOrToIsRefused) {
    const auto daemon = start_daemon();
    for (const char* missing : {"MessageSid", "From", "To"}) {
        auto fields = sms_fields(family, district_code, "STOP", message_sid(1));
        std::erase_if(fields, [&](const auto& field) { return field.first == missing; });
        const auto call = twilio_post(test_public_url, sms_path, test_twilio_token, fields);
        EXPECT_TRUE(is_error(daemon->request(call), 400, "missing_fields")) << missing;
    }
    const auto empty_sid = twilio_post(test_public_url, sms_path, test_twilio_token,
                                       sms_fields(family, district_code, "STOP", ""));
    EXPECT_TRUE(is_error(daemon->request(empty_sid), 400, "missing_fields"));
    expect_nothing_changed(*daemon);
}

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
    expect_nothing_changed(*daemon);
}

TEST_F(WebhookSecurity, HeadersOverTheLimitAreRefusedAndTheDaemonServesOn) {
    const auto daemon = start_daemon();
    auto call = twilio_post(test_public_url, sms_path, test_twilio_token,
                            sms_fields(family, district_code, "STOP", message_sid(1)));
    call.headers["X-Padding"] = std::string(9 * 1024, 'a');
    EXPECT_TRUE(is_error(daemon->request(call), 431, "headers_too_large"));
    EXPECT_EQ(daemon->request(api_call("GET", "/healthz", "")).status, 200);
    expect_nothing_changed(*daemon);
}

// A token rotation: with secondary_auth_token set, a signature by either token is accepted,
// and any other is still refused.
TEST_F(WebhookSecurity, DuringARotationEitherTwilioTokenIsAccepted) {
    auto config = default_test_config(redis().url(), key_prefix());
    const std::string twilio = "twilio: { auth_token: \"" + std::string(test_twilio_token) + "\"";
    const auto at = config.find(twilio);
    ASSERT_NE(at, std::string::npos) << config;
    config.insert(at + twilio.size(), ", secondary_auth_token: \"rotated-token\"");
    daemon_process daemon(config);
    ASSERT_TRUE(daemon.wait_until_ready()) << daemon.log_text();

    auto forged = twilio_post(test_public_url, sms_path, "another-token",
                              sms_fields(family, district_code, "STOP", message_sid(1)));
    EXPECT_TRUE(is_error(daemon.request(forged), 403, "bad_signature"));
    const auto by_new = twilio_post(test_public_url, sms_path, "rotated-token",
                                    sms_fields(family, district_code, "STOP", message_sid(2)));
    EXPECT_EQ(daemon.request(by_new).status, 200);
    EXPECT_EQ(text_of(check_one(daemon, family), "reason"), "opted_out");
    const auto by_old = twilio_post(test_public_url, sms_path, test_twilio_token,
                                    sms_fields(family, district_code, "START", message_sid(3)));
    EXPECT_EQ(daemon.request(by_old).status, 200);
    EXPECT_EQ(text_of(check_one(daemon, family), "reason"), "opted_in");
    EXPECT_EQ(audit_entries(daemon).size(), 2u);
}

TEST_F(WebhookSecurity, UnconfiguredProviderIsA404) {
    auto config = default_test_config(redis().url(), key_prefix());
    const std::string twilio =
        "  twilio: { auth_token: \"" + std::string(test_twilio_token) + "\" }\n";
    const auto at = config.find("providers:\n" + twilio);
    ASSERT_NE(at, std::string::npos) << config;
    config.erase(at, std::string("providers:\n").size() + twilio.size());
    daemon_process daemon(config);
    EXPECT_TRUE(is_error(send_sms(daemon, family, district_code, "STOP", message_sid(1)), 404,
                         "not_found"));
}

TEST_F(WebhookSecurity, UnknownPathIsA404JsonError) {
    const auto daemon = start_daemon();
    EXPECT_TRUE(is_error(daemon->request(api_call("GET", "/nope", "")), 404, "not_found"));
    EXPECT_TRUE(
        is_error(daemon->request(api_call("POST", "/webhooks/unknown", "")), 404, "not_found"));
    // "/v1/consent/" alone names no address.
    EXPECT_TRUE(
        is_error(daemon->request(api_call("GET", "/v1/consent/", test_api_key)), 404, "not_found"));
}

TEST_F(WebhookSecurity, WrongMethodIsA405WithAllow) {
    const auto daemon = start_daemon();
    const auto check = daemon->request(api_call("GET", "/v1/check", test_api_key));
    EXPECT_TRUE(is_error(check, 405, "method_not_allowed"));
    EXPECT_EQ(header_of(check, "allow"), "POST");
    const auto sms = daemon->request(api_call("GET", sms_path, ""));
    EXPECT_TRUE(is_error(sms, 405, "method_not_allowed"));
    EXPECT_EQ(header_of(sms, "allow"), "POST");
    const auto consent =
        daemon->request(api_call("DELETE", "/v1/consent/+16515550100", test_api_key));
    EXPECT_TRUE(is_error(consent, 405, "method_not_allowed"));
    EXPECT_EQ(header_of(consent, "allow"), "GET, PUT");
}

}  // namespace
}  // namespace optgate::testing
