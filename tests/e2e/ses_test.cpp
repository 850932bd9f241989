// Amazon SES notifications through Amazon SNS, end to end: a key and self-signed certificate
// made for the test stand in for AWS's, the PEM goes into the config, and a complaint signed
// with it (SignatureVersion 1) posted to the built daemon ends in Redis (what /v1/check and the
// audit trail then say, SPEC "Email"); and a rotated certificate taken on SIGHUP (a broken one
// refused, the running one kept). Every other answer and refusal in process:
// tests/unit/http/ses_webhook_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/ses_webhook.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {
namespace {

using ses::post;
using ses::ses_complaint;
using ses::sns_body;
using ses::topic;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* jane = "jane.doe@example.org";
constexpr const char* john = "john.roe@example.org";

// Published by SNS half a minute ago.
sns_message notify(std::string message, std::string message_id) {
    return ses::notification(std::move(message), std::move(message_id), now_ms() - 30'000);
}

class SesWebhook : public e2e_test {
  protected:
    std::string ses_provider(const test_certificate& key = ses::aws_key()) const {
        return ses::provider_yaml(certificates_.path() / "sns.pem", key);
    }
    std::unique_ptr<daemon_process> start() const { return start_daemon({}, ses_provider()); }

    temp_dir certificates_{"sns-cert"};
};

TEST_F(SesWebhook, AComplaintSignedWithVersionOneOptsOutOfTheUnsubscribeProgramsOnly) {
    const auto daemon = start();
    const epoch_ms complained = now_ms() - 120'000;
    const std::string id = "f6b1d1c2-4b7e-5f2a-9a8e-000000000001";
    expect_webhook_status(
        daemon->request(
            post(sns_body(notify(ses_complaint({"Jane.Doe@Example.org"}, complained), id), "1"))),
        "journaled");
    const auto entry = expect_email_unsubscribed(*daemon, jane, "ses", complained);
    EXPECT_EQ(text_of(entry, "reference"), id);
    EXPECT_EQ(text_of(entry, "dedupe_key"), "ses:" + id);
    EXPECT_EQ(text_of(entry, "keyword"), "Complaint");
    EXPECT_EQ(text_of(entry, "event_time"), format_rfc3339(complained));
    EXPECT_THAT(daemon->log_text(), Not(HasSubstr(jane)));
}

TEST_F(SesWebhook, ARotatedCertificateIsTakenOnSighupAndABrokenOneIsRefused) {
    const auto daemon = start();
    const test_certificate rotated;
    const auto signed_by_rotated = [&](const std::string& id) {
        return post(sns_body(notify(ses_complaint({jane}, now_ms() - 1'000), id), "2", rotated));
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
    expect_webhook_status(daemon->request(post(sns_body(
                              notify(ses_complaint({john}, now_ms() - 1'000), "old-cert-1"), "2"))),
                          "journaled");

    // The operator installs the new certificate and sends SIGHUP.
    daemon->reload(default_test_config(redis().url(), key_prefix(), {}, ses_provider(rotated)));
    ASSERT_TRUE(
        wait_until([&] { return daemon->request(signed_by_rotated("rotated-2")).status == 200; },
                   std::chrono::seconds(10)))
        << daemon->log_text();
    EXPECT_EQ(text_of(check_one(*daemon, jane, "district", "email"), "reason"), "opted_out");
    EXPECT_TRUE(is_error(
        daemon->request(post(sns_body(notify(ses_complaint({john}, now_ms()), "old-cert-2"), "2"))),
        403, "bad_signature"));
}

}  // namespace
}  // namespace optgate::testing
