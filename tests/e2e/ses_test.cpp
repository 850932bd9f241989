// Amazon SES notifications through Amazon SNS, end to end: a key and self-signed certificate
// made for the test stand in for AWS's, the PEM goes into the config, and SNS messages in
// AWS's documented shapes are signed with it (SignatureVersion 1 and 2) and posted to the
// built daemon. What /v1/check, /v1/consent and the audit trail then say (SPEC "Email"), and
// that forged, foreign and non-consent messages change nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <string>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/sns_test_message.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificate.hpp"

namespace optgate::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* path = "/webhooks/ses";
constexpr const char* topic = "arn:aws:sns:us-east-2:123456789012:optgate-ses";
constexpr const char* jane = "jane.doe@example.org";
constexpr const char* john = "john.roe@example.org";
constexpr const char* cert_url =
    "https://sns.us-east-2.amazonaws.com/"
    "SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem";

// AWS's key, as far as these tests know: made once for the suite (RSA generation is slow).
const test_certificate& aws_key() {
    static const test_certificate key;
    return key;
}

// The SES JSON of a complaint, as an identity's notifications (notificationType) or a
// configuration set's event publishing (eventType) write it.
std::string ses_complaint(const std::vector<std::string>& recipients, epoch_ms at,
                          std::string_view kind_field = "notificationType") {
    json::array complained;
    for (const auto& r : recipients) complained.push_back(json::object{{"emailAddress", r}});
    const json::object message{
        {kind_field, "Complaint"},
        {"complaint",
         json::object{{"userAgent", "ExampleCorp Feedback Loop (V0.01)"},
                      {"complainedRecipients", complained},
                      {"complaintFeedbackType", "abuse"},
                      {"arrivalDate", format_rfc3339(at)},
                      {"timestamp", format_rfc3339(at)},
                      {"feedbackId", "000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a"}}},
        {"mail", json::object{{"timestamp", format_rfc3339(at - 60'000)},
                              {"source", "news@district.example.org"},
                              {"sourceArn",
                               "arn:aws:ses:us-east-2:123456789012:identity/"
                               "district.example.org"},
                              {"sendingAccountId", "123456789012"},
                              {"messageId", "000001378603177f-7a5433e7-8edb-42ae"},
                              {"destination", json::array(recipients.begin(), recipients.end())}}}};
    return json::serialize(message);
}

std::string ses_other(std::string_view kind) {
    return json::serialize(json::object{
        {"notificationType", kind},
        {"bounce",
         json::object{{"bounceType", "Permanent"},
                      {"bouncedRecipients", json::array{json::object{{"emailAddress", jane}}}}}},
        {"delivery", json::object{{"recipients", json::array{jane}}}},
        {"mail", json::object{{"messageId", "000001378603177f-7a5433e7"}}}});
}

sns_message notification(std::string message, std::string message_id,
                         std::string topic_arn = topic) {
    return sns_notification(std::move(topic_arn), std::move(message_id), std::move(message),
                            format_rfc3339(now_ms() - 30'000));
}

sns_message subscription_confirmation() {
    sns_message m;
    m.type = "SubscriptionConfirmation";
    m.message_id = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b";
    m.token = "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3";
    m.topic_arn = topic;
    m.message = std::string("You have chosen to subscribe to the topic ") + topic +
                ".\nTo confirm the subscription, visit the SubscribeURL included in this message.";
    m.subscribe_url = std::string(
                          "https://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription"
                          "&TopicArn=") +
                      topic + "&Token=" + *m.token;
    m.timestamp = format_rfc3339(now_ms());
    return m;
}

// The message signed by `key` as SNS signs it, then written as SNS posts it.
std::string sns_body(sns_message m, std::string_view version,
                     const test_certificate& key = aws_key()) {
    sign_sns_message(m, key, version);
    json::object o{{"Type", m.type},
                   {"MessageId", *m.message_id},
                   {"TopicArn", *m.topic_arn},
                   {"Message", *m.message},
                   {"Timestamp", *m.timestamp},
                   {"SignatureVersion", m.signature_version},
                   {"Signature", m.signature},
                   {"SigningCertURL", cert_url}};
    if (m.subject) o["Subject"] = *m.subject;
    if (m.token) o["Token"] = *m.token;
    if (m.subscribe_url) o["SubscribeURL"] = *m.subscribe_url;
    if (m.type == "Notification")
        o["UnsubscribeURL"] = std::string(
                                  "https://sns.us-east-2.amazonaws.com/?Action=Unsubscribe"
                                  "&SubscriptionArn=") +
                              topic + ":1";
    return json::serialize(o);
}

http_call post(std::string body, std::string content_type = "text/plain; charset=UTF-8") {
    http_call call;
    call.method = "POST";
    call.target = path;
    call.body = std::move(body);
    call.headers["Content-Type"] = std::move(content_type);
    call.headers["x-amz-sns-message-type"] = "Notification";
    return call;
}

void expect_ok(const http_result& result, std::string_view status) {
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, "{\"status\":\"" + std::string(status) + "\"}");
}

void expect_nothing_changed(const daemon_process& daemon) {
    for (const char* who : {jane, john})
        for (const char* program : {"district", "emergency"})
            EXPECT_EQ(text_of(check_one(daemon, who, program, "email"), "reason"), "default")
                << who << " " << program;
    EXPECT_TRUE(audit_entries(daemon).empty());
}

class SesWebhook : public e2e_test {
  protected:
    std::string ses_provider(const test_certificate& key = aws_key()) const {
        return "  ses:\n    topic_arns: [\"" + std::string(topic) +
               "\"]\n    certificate_file: \"" +
               key.write(certificates_.path() / "sns.pem").string() + "\"\n";
    }
    std::unique_ptr<daemon_process> start() const { return start_daemon({}, ses_provider()); }

    temp_dir certificates_{"sns-cert"};
};

TEST_F(SesWebhook, AComplaintSignedWithVersionOneOptsOutOfTheUnsubscribeProgramsOnly) {
    const auto daemon = start();
    const epoch_ms complained = now_ms() - 120'000;
    const std::string id = "f6b1d1c2-4b7e-5f2a-9a8e-000000000001";
    expect_ok(daemon->request(post(sns_body(
                  notification(ses_complaint({"Jane.Doe@Example.org"}, complained), id), "1"))),
              "journaled");
    const auto entry = expect_email_unsubscribed(*daemon, jane, "ses", complained);
    EXPECT_EQ(text_of(entry, "reference"), id);
    EXPECT_EQ(text_of(entry, "dedupe_key"), "ses:" + id);
    EXPECT_EQ(text_of(entry, "keyword"), "Complaint");
    EXPECT_EQ(text_of(entry, "event_time"), format_rfc3339(complained));
    EXPECT_THAT(daemon->log_text(), Not(HasSubstr(jane)));
}

TEST_F(SesWebhook, AConfigurationSetComplaintSignedWithVersionTwoOptsOutEveryRecipient) {
    const auto daemon = start();
    const std::string body =
        sns_body(notification(ses_complaint({jane, john}, now_ms() - 60'000, "eventType"),
                              "f6b1d1c2-4b7e-5f2a-9a8e-000000000002"),
                 "2");
    // SNS can be told to post application/json; that is accepted too.
    expect_ok(daemon->request(post(body, "application/json")), "journaled");
    for (const char* who : {jane, john}) {
        EXPECT_EQ(text_of(check_one(*daemon, who, "district", "email"), "reason"), "opted_out")
            << who;
        EXPECT_EQ(text_of(check_one(*daemon, who, "emergency", "email"), "reason"), "default")
            << who;
        const auto consent = consent_of(*daemon, who);
        ASSERT_TRUE(value_of(consent, "history").is_array()) << json::serialize(consent);
        EXPECT_EQ(consent.at("history").as_array().size(), 1u) << who;
    }
    EXPECT_EQ(audit_entries(*daemon).size(), 2u);
}

TEST_F(SesWebhook, AnSnsRetryIsAuditedOnce) {
    const auto daemon = start();
    const epoch_ms complained = now_ms() - 60'000;
    const std::string body =
        sns_body(notification(ses_complaint({jane}, complained), "retried-message-id"), "2");
    for (int delivery = 1; delivery <= 3; ++delivery)
        expect_ok(daemon->request(post(body)), "journaled");
    const auto entry = expect_email_unsubscribed(*daemon, jane, "ses", complained);
    EXPECT_EQ(text_of(entry, "dedupe_key"), "ses:retried-message-id");
}

// SPEC rule 2: the complaint's timestamp ten minutes ahead of optgate's clock (SNS's own
// Timestamp is not): the unsubscribe is dated by its receipt, SES's time kept beside it.
TEST_F(SesWebhook, AComplaintDatedAheadOfTheClockIsDatedAtItsReceipt) {
    const auto daemon = start();
    const epoch_ms ahead = now_ms() + 10 * 60'000;
    const epoch_ms before = now_ms();
    expect_ok(
        daemon->request(post(sns_body(notification(ses_complaint({jane}, ahead), "ahead-1"), "2"))),
        "journaled");
    expect_email_unsubscribed_at_receipt(*daemon, jane, "ses", ahead, before, now_ms());
}

TEST_F(SesWebhook, ForgedOrAlteredMessagesAreRefusedAndChangeNothing) {
    const auto daemon = start();
    const auto complaint = notification(ses_complaint({jane}, now_ms()), "forged-1");
    const test_certificate forger;
    EXPECT_TRUE(
        is_error(daemon->request(post(sns_body(complaint, "2", forger))), 403, "bad_signature"));
    // Signed, then another recipient put in.
    auto altered = json::parse(sns_body(complaint, "1")).as_object();
    altered["Message"] = ses_complaint({john}, now_ms());
    EXPECT_TRUE(is_error(daemon->request(post(json::serialize(altered))), 403, "bad_signature"));
    // A SHA1 signature presented as version 2, and versions that do not exist.
    auto relabelled = json::parse(sns_body(complaint, "1")).as_object();
    relabelled["SignatureVersion"] = "2";
    EXPECT_TRUE(is_error(daemon->request(post(json::serialize(relabelled))), 403, "bad_signature"));
    relabelled["SignatureVersion"] = "3";
    EXPECT_TRUE(is_error(daemon->request(post(json::serialize(relabelled))), 403, "bad_signature"));
    auto unsigned_message = json::parse(sns_body(complaint, "2")).as_object();
    unsigned_message.erase("Signature");
    EXPECT_TRUE(
        is_error(daemon->request(post(json::serialize(unsigned_message))), 400, "missing_fields"));
    expect_nothing_changed(*daemon);
    // The operator is told where the message says its certificate is, in case AWS rotated it.
    EXPECT_THAT(daemon->log_text(), HasSubstr(cert_url));
}

TEST_F(SesWebhook, AnUnconfiguredTopicIsRefusedEvenWhenSigned) {
    const auto daemon = start();
    const auto other = notification(ses_complaint({jane}, now_ms()), "other-topic-1",
                                    "arn:aws:sns:us-east-2:123456789012:someone-elses-topic");
    EXPECT_TRUE(is_error(daemon->request(post(sns_body(other, "2"))), 403, "unknown_topic"));
    expect_nothing_changed(*daemon);
    EXPECT_THAT(daemon->log_text(), HasSubstr("someone-elses-topic is not in providers.ses"));
}

TEST_F(SesWebhook, BouncesAndDeliveriesChangeNothing) {
    const auto daemon = start();
    expect_ok(daemon->request(post(sns_body(notification(ses_other("Bounce"), "bounce-1"), "2"))),
              "ignored");
    expect_ok(
        daemon->request(post(sns_body(notification(ses_other("Delivery"), "delivery-1"), "1"))),
        "ignored");
    // A complaint about mail SES never sent (the address was already suppressed) is not a
    // new act of the family's.
    auto message = json::parse(ses_complaint({jane}, now_ms())).as_object();
    message["complaint"].as_object()["complaintSubType"] = "OnAccountSuppressionList";
    expect_ok(daemon->request(
                  post(sns_body(notification(json::serialize(message), "suppressed-1"), "2"))),
              "ignored");
    expect_nothing_changed(*daemon);
}

TEST_F(SesWebhook, ASubscriptionConfirmationIsLoggedForTheOperatorAndChangesNothing) {
    const auto daemon = start();
    const auto confirmation = subscription_confirmation();
    expect_ok(daemon->request(post(sns_body(confirmation, "1"))), "confirmation_logged");
    expect_nothing_changed(*daemon);
    // One line at warn level: the topic, and the URL the operator opens.
    const std::string log = daemon->log_text();
    const auto at = log.find(*confirmation.subscribe_url);
    ASSERT_NE(at, std::string::npos) << log;
    const auto line_start = log.rfind('\n', at) + 1;  // npos + 1 == 0 on the first line
    const std::string line = log.substr(line_start, log.find('\n', at) - line_start);
    EXPECT_THAT(line, HasSubstr("warn"));
    EXPECT_THAT(line, HasSubstr("confirm this endpoint's subscription to " + std::string(topic)));

    auto unsubscribed = subscription_confirmation();
    unsubscribed.type = "UnsubscribeConfirmation";
    expect_ok(daemon->request(post(sns_body(unsubscribed, "2"))), "unsubscribe_logged");
    EXPECT_THAT(daemon->log_text(), HasSubstr("was unsubscribed from " + std::string(topic)));
    expect_nothing_changed(*daemon);
}

TEST_F(SesWebhook, MalformedRequestsAreRefusedAndChangeNothing) {
    const auto daemon = start();
    EXPECT_TRUE(is_error(daemon->request(post("{\"Type\":")), 400, "malformed_json"));
    auto form = post(sns_body(notification(ses_complaint({jane}, now_ms()), "form-1"), "2"));
    form.headers["Content-Type"] = "application/x-www-form-urlencoded";
    EXPECT_TRUE(is_error(daemon->request(form), 415, "unsupported_media_type"));
    // Signed by AWS but not an SES notification (someone published to the topic by hand).
    EXPECT_TRUE(is_error(daemon->request(post(sns_body(notification("hello", "hand-1"), "2"))), 400,
                         "not_ses_notification"));
    const std::string no_recipients = R"({"notificationType":"Complaint","complaint":{}})";
    EXPECT_TRUE(
        is_error(daemon->request(post(sns_body(notification(no_recipients, "hand-2"), "2"))), 400,
                 "not_ses_notification"));
    expect_nothing_changed(*daemon);
}

TEST_F(SesWebhook, ARotatedCertificateIsTakenOnSighupAndABrokenOneIsRefused) {
    const auto daemon = start();
    const test_certificate rotated;
    const auto signed_by_rotated = [&](const std::string& id) {
        return post(
            sns_body(notification(ses_complaint({jane}, now_ms() - 1'000), id), "2", rotated));
    };
    EXPECT_TRUE(is_error(daemon->request(signed_by_rotated("rotated-1")), 403, "bad_signature"));

    // A file that is not a certificate: the reload is refused, the running certificate stays.
    std::ofstream(certificates_.path() / "broken.pem") << "<html>Access Denied</html>\n";
    auto yaml = default_test_config(redis().url(), key_prefix(), {},
                                    "  ses:\n    topic_arns: [\"" + std::string(topic) +
                                        "\"]\n    certificate_file: \"" +
                                        (certificates_.path() / "broken.pem").string() + "\"\n");
    daemon->reload(yaml);
    ASSERT_TRUE(wait_until(
        [&] { return daemon->log_text().find("refused, the running config") != std::string::npos; },
        std::chrono::seconds(10)))
        << daemon->log_text();
    EXPECT_THAT(daemon->log_text(), HasSubstr("providers.ses.certificate_file"));
    expect_ok(daemon->request(post(sns_body(
                  notification(ses_complaint({john}, now_ms() - 1'000), "old-cert-1"), "2"))),
              "journaled");

    // The operator installs the new certificate and sends SIGHUP.
    daemon->reload(default_test_config(redis().url(), key_prefix(), {}, ses_provider(rotated)));
    ASSERT_TRUE(
        wait_until([&] { return daemon->request(signed_by_rotated("rotated-2")).status == 200; },
                   std::chrono::seconds(10)))
        << daemon->log_text();
    EXPECT_EQ(text_of(check_one(*daemon, jane, "district", "email"), "reason"), "opted_out");
    EXPECT_TRUE(is_error(daemon->request(post(sns_body(
                             notification(ses_complaint({john}, now_ms()), "old-cert-2"), "2"))),
                         403, "bad_signature"));
}

TEST_F(SesWebhook, NotConfiguredIsNotFound) {
    const auto daemon = start_daemon();
    EXPECT_TRUE(is_error(
        daemon->request(post(sns_body(notification(ses_complaint({jane}, now_ms()), "n-1"), "2"))),
        404, "not_found"));
}

}  // namespace
}  // namespace optgate::testing
