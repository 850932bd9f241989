// Amazon SES notifications through Amazon SNS as AWS delivers them, for e2e and
// tests/unit/http: a key and self-signed certificate made for the test stand in for AWS's,
// SES messages in AWS's documented shapes, and SNS messages signed with it (SignatureVersion
// 1 and 2) as SNS posts them.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/sns_signature.hpp"
#include "core/timestamp.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_certificate.hpp"

namespace optgate::testing::ses {

inline constexpr const char* path = "/webhooks/ses";
inline constexpr const char* topic = "arn:aws:sns:us-east-2:123456789012:optgate-ses";
inline constexpr const char* cert_url =
    "https://sns.us-east-2.amazonaws.com/"
    "SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem";

// AWS's key, as far as the tests know: made once per test program (RSA generation is slow).
const test_certificate& aws_key();

// The providers entry for default_test_config's `extra_providers`: `topic`, with `key`'s
// certificate written to `certificate_file`.
std::string provider_yaml(const std::filesystem::path& certificate_file,
                          const test_certificate& key = aws_key());

// The SES JSON of a complaint, as an identity's notifications (notificationType) or a
// configuration set's event publishing (eventType) write it.
std::string ses_complaint(const std::vector<std::string>& recipients, epoch_ms at,
                          std::string_view kind_field = "notificationType");

// The SES JSON of a notification that is not a complaint (Bounce, Delivery) about
// `recipient`.
std::string ses_other(std::string_view kind, std::string_view recipient);

// An SNS Notification of `message` published at `published`.
sns_message notification(std::string message, std::string message_id, epoch_ms published,
                         std::string topic_arn = topic);

// SNS's SubscriptionConfirmation for `topic`, sent at `sent`.
sns_message subscription_confirmation(epoch_ms sent);

// The message signed by `key` as SNS signs it, then written as SNS posts it.
std::string sns_body(sns_message m, std::string_view version,
                     const test_certificate& key = aws_key());

// SNS's POST of `body`.
http_call post(std::string body, std::string content_type = "text/plain; charset=UTF-8");

}  // namespace optgate::testing::ses
