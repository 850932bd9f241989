// Amazon SES notifications through Amazon SNS in process: a configuration set's complaint,
// SNS retries, how a complaint is dated, what changes nothing (bounces, deliveries,
// subscription confirmations) and the refusals: forged or altered messages, a topic not
// configured, malformed requests (SPEC "Email"). A complaint end to end and a certificate
// rotated on SIGHUP: tests/e2e/ses_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "core/timestamp.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/ses_webhook.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

using ses::cert_url;
using ses::post;
using ses::ses_complaint;
using ses::ses_other;
using ses::sns_body;
using ses::subscription_confirmation;
using ses::topic;
using ::testing::HasSubstr;

constexpr const char* jane = "jane.doe@example.org";
constexpr const char* john = "john.roe@example.org";

class SesWebhook : public ::testing::Test {
  protected:
    // Published by SNS half a minute ago.
    sns_message notify(std::string message, std::string message_id,
                       std::string topic_arn = topic) const {
        return ses::notification(std::move(message), std::move(message_id), api.now - 30'000,
                                 std::move(topic_arn));
    }

    temp_dir certificates_{"sns-cert"};
    route_harness api{{}, ses::provider_yaml(certificates_.path() / "sns.pem")};
};

TEST_F(SesWebhook, AConfigurationSetComplaintSignedWithVersionTwoOptsOutEveryRecipient) {
    const std::string body =
        sns_body(notify(ses_complaint({jane, john}, api.now - 60'000, "eventType"),
                        "f6b1d1c2-4b7e-5f2a-9a8e-000000000002"),
                 "2");
    // SNS can be told to post application/json; that is accepted too.
    expect_webhook_status(api.request(post(body, "application/json")), "journaled");
    for (const char* who : {jane, john}) {
        EXPECT_EQ(text_of(check_one(api, who, "district", "email"), "reason"), "opted_out") << who;
        EXPECT_EQ(text_of(check_one(api, who, "emergency", "email"), "reason"), "default") << who;
        const auto consent = consent_of(api, who);
        ASSERT_TRUE(value_of(consent, "history").is_array()) << json::serialize(consent);
        EXPECT_EQ(consent.at("history").as_array().size(), 1u) << who;
    }
    EXPECT_EQ(audit_entries(api).size(), 2u);
}

TEST_F(SesWebhook, AnSnsRetryIsAuditedOnce) {
    const epoch_ms complained = api.now - 60'000;
    const std::string body =
        sns_body(notify(ses_complaint({jane}, complained), "retried-message-id"), "2");
    for (int delivery = 1; delivery <= 3; ++delivery)
        expect_webhook_status(api.request(post(body)), "journaled");
    const auto entry = expect_email_unsubscribed(api, jane, "ses", complained);
    EXPECT_EQ(text_of(entry, "dedupe_key"), "ses:retried-message-id");
}

// SPEC rule 2: the complaint's timestamp ten minutes ahead of optgate's clock (SNS's own
// Timestamp is not): the unsubscribe is dated by its receipt, SES's time kept beside it.
TEST_F(SesWebhook, AComplaintDatedAheadOfTheClockIsDatedAtItsReceipt) {
    const epoch_ms ahead = api.now + 10 * 60'000;
    const epoch_ms before = api.now;
    expect_webhook_status(
        api.request(post(sns_body(notify(ses_complaint({jane}, ahead), "ahead-1"), "2"))),
        "journaled");
    expect_email_unsubscribed_at_receipt(api, jane, "ses", ahead, before, api.now);
}

TEST_F(SesWebhook, ForgedOrAlteredMessagesAreRefusedAndChangeNothing) {
    const auto complaint = notify(ses_complaint({jane}, api.now), "forged-1");
    const test_certificate forger;
    EXPECT_TRUE(
        is_error(api.request(post(sns_body(complaint, "2", forger))), 403, "bad_signature"));
    // Signed, then another recipient put in.
    auto altered = json::parse(sns_body(complaint, "1")).as_object();
    altered["Message"] = ses_complaint({john}, api.now);
    EXPECT_TRUE(is_error(api.request(post(json::serialize(altered))), 403, "bad_signature"));
    // A SHA1 signature presented as version 2, and versions that do not exist.
    auto relabelled = json::parse(sns_body(complaint, "1")).as_object();
    relabelled["SignatureVersion"] = "2";
    EXPECT_TRUE(is_error(api.request(post(json::serialize(relabelled))), 403, "bad_signature"));
    relabelled["SignatureVersion"] = "3";
    EXPECT_TRUE(is_error(api.request(post(json::serialize(relabelled))), 403, "bad_signature"));
    auto unsigned_message = json::parse(sns_body(complaint, "2")).as_object();
    unsigned_message.erase("Signature");
    EXPECT_TRUE(
        is_error(api.request(post(json::serialize(unsigned_message))), 400, "missing_fields"));
    expect_email_unchanged(api, {jane, john});
    // The operator is told where the message says its certificate is, in case AWS rotated it.
    EXPECT_THAT(api.log_text(), HasSubstr(cert_url));
}

TEST_F(SesWebhook, AnUnconfiguredTopicIsRefusedEvenWhenSigned) {
    const auto other = notify(ses_complaint({jane}, api.now), "other-topic-1",
                              "arn:aws:sns:us-east-2:123456789012:someone-elses-topic");
    EXPECT_TRUE(is_error(api.request(post(sns_body(other, "2"))), 403, "unknown_topic"));
    expect_email_unchanged(api, {jane, john});
    EXPECT_THAT(api.log_text(), HasSubstr("someone-elses-topic is not in providers.ses"));
}

TEST_F(SesWebhook, BouncesAndDeliveriesChangeNothing) {
    expect_webhook_status(
        api.request(post(sns_body(notify(ses_other("Bounce", jane), "bounce-1"), "2"))), "ignored");
    expect_webhook_status(
        api.request(post(sns_body(notify(ses_other("Delivery", jane), "delivery-1"), "1"))),
        "ignored");
    // A complaint about mail SES never sent (the address was already suppressed) is not a
    // new act of the family's.
    auto message = json::parse(ses_complaint({jane}, api.now)).as_object();
    message["complaint"].as_object()["complaintSubType"] = "OnAccountSuppressionList";
    expect_webhook_status(
        api.request(post(sns_body(notify(json::serialize(message), "suppressed-1"), "2"))),
        "ignored");
    expect_email_unchanged(api, {jane, john});
}

TEST_F(SesWebhook, ASubscriptionConfirmationIsLoggedForTheOperatorAndChangesNothing) {
    const auto confirmation = subscription_confirmation(api.now);
    expect_webhook_status(api.request(post(sns_body(confirmation, "1"))), "confirmation_logged");
    expect_email_unchanged(api, {jane, john});
    // One line at warn level: the topic, and the URL the operator opens.
    const std::string log = api.log_text();
    const auto at = log.find(*confirmation.subscribe_url);
    ASSERT_NE(at, std::string::npos) << log;
    const auto line_start = log.rfind('\n', at) + 1;  // npos + 1 == 0 on the first line
    const std::string line = log.substr(line_start, log.find('\n', at) - line_start);
    EXPECT_THAT(line, HasSubstr("warn"));
    EXPECT_THAT(line, HasSubstr("confirm this endpoint's subscription to " + std::string(topic)));

    auto unsubscribed = subscription_confirmation(api.now);
    unsubscribed.type = "UnsubscribeConfirmation";
    expect_webhook_status(api.request(post(sns_body(unsubscribed, "2"))), "unsubscribe_logged");
    EXPECT_THAT(api.log_text(), HasSubstr("was unsubscribed from " + std::string(topic)));
    expect_email_unchanged(api, {jane, john});
}

TEST_F(SesWebhook, MalformedRequestsAreRefusedAndChangeNothing) {
    EXPECT_TRUE(is_error(api.request(post("{\"Type\":")), 400, "malformed_json"));
    auto form = post(sns_body(notify(ses_complaint({jane}, api.now), "form-1"), "2"));
    form.headers["Content-Type"] = "application/x-www-form-urlencoded";
    EXPECT_TRUE(is_error(api.request(form), 415, "unsupported_media_type"));
    // Signed by AWS but not an SES notification (someone published to the topic by hand).
    EXPECT_TRUE(is_error(api.request(post(sns_body(notify("hello", "hand-1"), "2"))), 400,
                         "not_ses_notification"));
    const std::string no_recipients = R"({"notificationType":"Complaint","complaint":{}})";
    EXPECT_TRUE(is_error(api.request(post(sns_body(notify(no_recipients, "hand-2"), "2"))), 400,
                         "not_ses_notification"));
    expect_email_unchanged(api, {jane, john});
}

TEST_F(SesWebhook, NotConfiguredIsNotFound) {
    api.reload({});
    EXPECT_TRUE(
        is_error(api.request(post(sns_body(notify(ses_complaint({jane}, api.now), "n-1"), "2"))),
                 404, "not_found"));
}

}  // namespace
}  // namespace optgate::testing
