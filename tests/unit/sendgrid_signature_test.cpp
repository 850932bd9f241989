// SendGrid's Signed Event Webhook: a signature made by the OpenSSL command line verifies,
// signatures of fresh keys verify, and any change to what was signed, or another key, fails.
// Keys that are not P-256 public keys are refused when parsed.
#include "core/sendgrid_signature.hpp"

#include <gtest/gtest.h>

#include "core/digest.hpp"
#include "tests/support/p256_test_key.hpp"

namespace optgate {
namespace {

using testing::p256_test_key;

// Made with: openssl ecparam -name prime256v1 -genkey; openssl ec -pubout -outform DER | base64;
// printf %s "$timestamp$body" | openssl dgst -sha256 -sign key.pem | base64.
constexpr std::string_view cli_public_key =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEclBqKXVbcXBd4ZQgcmYEqVF6Z+IHn5hXm9OhitHnfjG989ULa625klot"
    "Xm8u9J5Q6UX2bG5hKIT+7oic/m9QJQ==";
constexpr std::string_view cli_timestamp = "1700000000";
constexpr std::string_view cli_body =
    R"([{"email":"jane@example.org","event":"unsubscribe","sg_event_id":"evt1","timestamp":1700000000}])";
constexpr std::string_view cli_signature =
    "MEUCIQChagUsMVHnyiHFRQ2rvAvw8vOnkVjBOwYWAziZzai/WgIgJvmJUA1l+YYkRe7uA5SRpRLacQebu32/"
    "6j4ifYflH2k=";

TEST(SendgridSignature, VerifiesASignatureMadeByTheOpensslCommandLine) {
    const auto key = sendgrid_verification_key::parse(cli_public_key);
    ASSERT_TRUE(key);
    EXPECT_TRUE(key->verify(cli_timestamp, cli_body, cli_signature));
}

TEST(SendgridSignature, CoversTheTimestampAndEveryByteOfTheBody) {
    const auto key = sendgrid_verification_key::parse(cli_public_key);
    ASSERT_TRUE(key);
    EXPECT_FALSE(key->verify("1700000001", cli_body, cli_signature));
    EXPECT_FALSE(key->verify("", cli_body, cli_signature));
    std::string body(cli_body);
    body[body.find("unsubscribe")] = 'U';
    EXPECT_FALSE(key->verify(cli_timestamp, body, cli_signature));
    EXPECT_FALSE(key->verify(cli_timestamp, std::string(cli_body) + "\n", cli_signature));
    // The timestamp moved into the body: the same bytes in another split are still signed.
    EXPECT_TRUE(key->verify("", std::string(cli_timestamp) + std::string(cli_body), cli_signature));
}

TEST(SendgridSignature, RefusesMalformedOrForeignSignatures) {
    const auto key = sendgrid_verification_key::parse(cli_public_key);
    ASSERT_TRUE(key);
    std::string flipped(cli_signature);
    flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
    for (const std::string& bad :
         {std::string(), flipped, std::string("not base64!"), std::string("AAAA"),
          std::string(cli_signature.substr(0, 40)), std::string(300, 'A')})
        EXPECT_FALSE(key->verify(cli_timestamp, cli_body, bad)) << bad;
    // A valid signature by another key.
    const p256_test_key other;
    EXPECT_FALSE(key->verify(cli_timestamp, cli_body, other.sign(cli_timestamp, cli_body)));
}

TEST(SendgridSignature, FreshKeysSignAndVerifyAsSendgridDoes) {
    const p256_test_key signer;
    const auto key = sendgrid_verification_key::parse(signer.public_key_base64());
    ASSERT_TRUE(key);
    EXPECT_TRUE(signer.public_key_base64().starts_with("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"));
    const std::string body = R"([{"event":"spamreport"}])";
    EXPECT_TRUE(key->verify("1800000000", body, signer.sign("1800000000", body)));
    EXPECT_FALSE(key->verify("1800000000", body, signer.sign("1800000001", body)));
    // Copies share the parsed key: a config snapshot copied is as good as the original.
    const auto copy = *key;
    EXPECT_TRUE(copy.verify("1800000000", body, signer.sign("1800000000", body)));
}

TEST(SendgridSignature, ParsesOnlyBase64DerP256PublicKeys) {
    EXPECT_FALSE(sendgrid_verification_key::parse(""));
    EXPECT_FALSE(sendgrid_verification_key::parse("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE..."));
    EXPECT_FALSE(sendgrid_verification_key::parse(cli_public_key.substr(0, 60)));
    EXPECT_FALSE(sendgrid_verification_key::parse(" " + std::string(cli_public_key)));
    // The right key with bytes after it.
    const auto der = base64_decode(cli_public_key);
    ASSERT_TRUE(der);
    EXPECT_FALSE(sendgrid_verification_key::parse(base64_encode(*der + "x")));
    // A P-384 key: ECDSA, but not SendGrid's curve.
    EXPECT_FALSE(sendgrid_verification_key::parse(
        "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEdW4Bru2WerEN8O+iETnAqd6ngJntTDZfGO25J2UUq+RhrFrgjr4azcIM"
        "/H4pGytQxAMdpnlhBuMEMglFWbfidhvh1kN2RIqig46lptSjC0jWnQIG+qthNtZGNLG0EVrP"));
    // An RSA key.
    EXPECT_FALSE(sendgrid_verification_key::parse(
        "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDE4XnhcXGU9KQ05zeKdeptCL1wlhf1uI5HUZTBBYYThMeZo0ld"
        "djMwfcmSz+c8RtPwmyJIm3L5vXkmPudTRYftMDmW4S8a1rVIQZCEB/ta/pr/5uUWVCNS9QTTu8tdLkVQxvvTXdh9"
        "uIlUGA2DO4Q0KE9qTU6vGogSf3L676r8cQIDAQAB"));
}

}  // namespace
}  // namespace optgate
