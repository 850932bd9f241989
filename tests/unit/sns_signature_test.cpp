// Amazon SNS signatures: the exact string SNS signs per message type, and its check with a
// configured certificate for SignatureVersion 1 (SHA1) and 2 (SHA256), refusing anything
// altered, signed by another key, or of another version. Keys are made fresh for the test.
#include "core/sns_signature.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/sns_test_message.hpp"
#include "tests/support/test_certificate.hpp"

namespace optgate {
namespace {

using testing::test_certificate;

// The shape of AWS's documented example notification.
sns_message example_notification() {
    auto m = testing::sns_notification("arn:aws:sns:us-west-2:123456789012:MyTopic",
                                       "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324", "Hello world!",
                                       "2012-05-02T00:54:06.655Z");
    m.subject = "My First Message";
    return m;
}

sns_message example_confirmation() {
    sns_message m;
    m.type = "SubscriptionConfirmation";
    m.message_id = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b";
    m.token = "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3";
    m.topic_arn = "arn:aws:sns:us-west-2:123456789012:MyTopic";
    m.message = "You have chosen to subscribe to the topic.";
    m.subscribe_url =
        "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:"
        "us-west-2:123456789012:MyTopic&Token=2336412f37";
    m.timestamp = "2012-04-26T20:45:04.751Z";
    return m;
}

const test_certificate& sns_key() {
    static const test_certificate key(test_certificate::key_type::fixed_rsa_2048);
    return key;
}

// RSA key generation takes a while: the forger's key is made once for the whole suite.
const test_certificate& other_key() {
    static const test_certificate key;
    return key;
}

signing_certificate configured(const test_certificate& key) {
    std::string error;
    auto certificate = signing_certificate::from_pem(key.pem(), error);
    EXPECT_TRUE(certificate) << error;
    return certificate.value();
}

TEST(SnsStringToSign, NotificationFieldsInOrderWithSubject) {
    EXPECT_EQ(sns_string_to_sign(example_notification()),
              "Message\nHello world!\n"
              "MessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n"
              "Subject\nMy First Message\n"
              "Timestamp\n2012-05-02T00:54:06.655Z\n"
              "TopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\n"
              "Type\nNotification\n");
}

TEST(SnsStringToSign, AbsentSubjectIsLeftOutAndConfirmationFieldsAreNotSigned) {
    auto m = example_notification();
    m.subject.reset();
    m.token = "not signed in a notification";
    m.subscribe_url = "https://not.signed";
    EXPECT_EQ(sns_string_to_sign(m),
              "Message\nHello world!\n"
              "MessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n"
              "Timestamp\n2012-05-02T00:54:06.655Z\n"
              "TopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\n"
              "Type\nNotification\n");
}

TEST(SnsStringToSign, ConfirmationsSignSubscribeUrlAndTokenNotSubject) {
    auto m = example_confirmation();
    m.subject = "not signed in a confirmation";
    const std::string expected =
        "Message\nYou have chosen to subscribe to the topic.\n"
        "MessageId\n165545c9-2a5c-472c-8df2-7ff2be2b3b1b\n"
        "SubscribeURL\n" +
        *m.subscribe_url +
        "\n"
        "Timestamp\n2012-04-26T20:45:04.751Z\n"
        "Token\n" +
        *m.token +
        "\n"
        "TopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\n"
        "Type\nSubscriptionConfirmation\n";
    EXPECT_EQ(sns_string_to_sign(m), expected);
    m.type = "UnsubscribeConfirmation";
    EXPECT_EQ(
        sns_string_to_sign(m),
        expected.substr(0, expected.size() - std::string("SubscriptionConfirmation\n").size()) +
            "UnsubscribeConfirmation\n");
}

TEST(SnsStringToSign, UnknownTypeHasNone) {
    auto m = example_notification();
    m.type = "notification";
    EXPECT_FALSE(sns_string_to_sign(m));
    EXPECT_FALSE(parse_sns_type(""));
    EXPECT_EQ(parse_sns_type("SubscriptionConfirmation"), sns_type::subscription_confirmation);
}

TEST(SnsSignature, VersionOneAndTwoVerifyWithTheConfiguredCertificate) {
    const auto certificate = configured(sns_key());
    for (const char* version : {"1", "2"}) {
        for (auto m : {example_notification(), example_confirmation()}) {
            testing::sign_sns_message(m, sns_key(), version);
            EXPECT_EQ(verify_sns_signature(m, certificate), sns_verdict::valid)
                << m.type << " v" << version;
        }
    }
}

TEST(SnsSignature, TheDigestMustMatchTheVersion) {
    const auto certificate = configured(sns_key());
    auto m = example_notification();
    testing::sign_sns_message(m, sns_key(), "1");
    m.signature_version = "2";  // a SHA1 signature presented as SHA256
    EXPECT_EQ(verify_sns_signature(m, certificate), sns_verdict::bad_signature);
    testing::sign_sns_message(m, sns_key(), "2");
    m.signature_version = "1";
    EXPECT_EQ(verify_sns_signature(m, certificate), sns_verdict::bad_signature);
}

TEST(SnsSignature, AnyAlteredSignedFieldIsRefused) {
    const auto certificate = configured(sns_key());
    auto signed_message = example_notification();
    testing::sign_sns_message(signed_message, sns_key(), "2");
    const auto refused = [&](auto change) {
        auto m = signed_message;
        change(m);
        return verify_sns_signature(m, certificate) == sns_verdict::bad_signature;
    };
    EXPECT_TRUE(refused([](sns_message& m) { m.message = "Hello world?"; }));
    EXPECT_TRUE(refused([](sns_message& m) { m.message_id = "another"; }));
    EXPECT_TRUE(refused([](sns_message& m) { m.subject.reset(); }));
    EXPECT_TRUE(refused([](sns_message& m) { m.timestamp = "2012-05-02T00:54:06.656Z"; }));
    EXPECT_TRUE(refused([](sns_message& m) { m.topic_arn = "arn:aws:sns:us-west-2:1:Other"; }));
    EXPECT_TRUE(refused([](sns_message& m) { m.signature[10] ^= 1; }));
    EXPECT_TRUE(refused([](sns_message& m) { m.signature = "not base64!"; }));
    EXPECT_TRUE(refused([](sns_message& m) { m.signature.clear(); }));
    // Unsigned fields do not matter.
    auto m = signed_message;
    m.token = "ignored";
    EXPECT_EQ(verify_sns_signature(m, certificate), sns_verdict::valid);
}

TEST(SnsSignature, AnotherKeysSignatureIsRefused) {
    const auto& other = other_key();
    auto m = example_notification();
    testing::sign_sns_message(m, other, "2");
    EXPECT_EQ(verify_sns_signature(m, configured(sns_key())), sns_verdict::bad_signature);
    EXPECT_EQ(verify_sns_signature(m, configured(other)), sns_verdict::valid);
}

TEST(SnsSignature, OtherVersionsAndTypesAreRefused) {
    const auto certificate = configured(sns_key());
    auto m = example_notification();
    testing::sign_sns_message(m, sns_key(), "2");
    for (const char* version : {"", "3", "0", "2 ", "v2"}) {
        m.signature_version = version;
        EXPECT_EQ(verify_sns_signature(m, certificate), sns_verdict::unsupported_version)
            << version;
    }
    m.signature_version = "2";
    m.type = "Unknown";
    EXPECT_EQ(verify_sns_signature(m, certificate), sns_verdict::unknown_type);
}

TEST(SigningCertificate, RefusesWhatIsNotAnRsaCertificate) {
    std::string error;
    EXPECT_FALSE(signing_certificate::from_pem("", error));
    EXPECT_NE(error.find("not a PEM X.509 certificate"), std::string::npos) << error;
    error.clear();
    EXPECT_FALSE(signing_certificate::from_pem(
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", error));
    EXPECT_NE(error.find("not a PEM X.509 certificate"), std::string::npos) << error;
    error.clear();
    const test_certificate ec(test_certificate::key_type::ec_p256);
    EXPECT_FALSE(signing_certificate::from_pem(ec.pem(), error));
    EXPECT_NE(error.find("not an RSA key"), std::string::npos) << error;
}

TEST(SigningCertificate, TakesTheFirstCertificateOfAPemFile) {
    std::string error;
    const auto certificate = signing_certificate::from_pem(
        "a comment line\n" + sns_key().pem() + other_key().pem(), error);
    ASSERT_TRUE(certificate) << error;
    auto m = example_notification();
    testing::sign_sns_message(m, sns_key(), "1");
    EXPECT_EQ(verify_sns_signature(m, *certificate), sns_verdict::valid);
}

TEST(SnsCertificateUrl, OnlyAwsShapedUrlsAreShown) {
    EXPECT_TRUE(plausible_sns_certificate_url(
        "https://sns.us-east-2.amazonaws.com/"
        "SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem"));
    EXPECT_TRUE(plausible_sns_certificate_url(
        "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem"));
    EXPECT_FALSE(plausible_sns_certificate_url("http://sns.us-east-2.amazonaws.com/a.pem"));
    EXPECT_FALSE(plausible_sns_certificate_url("https://sns.evil.example/a.pem"));
    EXPECT_FALSE(plausible_sns_certificate_url("https://sns.amazonaws.com.evil.example/a.pem"));
    EXPECT_FALSE(plausible_sns_certificate_url("https://sns.us-east-2.amazonaws.com/a.txt"));
    EXPECT_FALSE(plausible_sns_certificate_url("https://sns.us-east-2.amazonaws.com/a\n.pem"));
    EXPECT_FALSE(plausible_sns_certificate_url("https://sns.us-east-2.amazonaws.com/a?b.pem"));
    EXPECT_FALSE(plausible_sns_certificate_url("https://sns.us-east-2.amazonaws.com"));
    EXPECT_FALSE(plausible_sns_certificate_url("https://sns.us-east-2.amazonaws.com/" +
                                               std::string(300, 'a') + ".pem"));
}

}  // namespace
}  // namespace optgate
