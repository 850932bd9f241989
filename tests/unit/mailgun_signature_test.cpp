// Mailgun's webhook signature: a vector made by the OpenSSL command line verifies, and every
// change to what was signed (key, timestamp, token, the hex itself) fails.
#include "core/mailgun_signature.hpp"

#include <gtest/gtest.h>

#include <cctype>

namespace optgate {
namespace {

constexpr std::string_view key = "test-mailgun-signing-key";
// Mailgun's documented shape: a 50-character token, the timestamp in seconds.
constexpr std::string_view timestamp = "1770920772";
constexpr std::string_view token = "e0b5477167110d68991efc6b9f89f0a11066af27834600e123";
// printf %s "$timestamp$token" | openssl dgst -sha256 -hmac "$key"
constexpr std::string_view cli_signature =
    "9e8699dc2beabc998c55f40d22207219bf6e2cc17fd1e45053ead7c2d272d450";

TEST(MailgunSignature, IsHexHmacSha256OverTimestampAndToken) {
    EXPECT_EQ(mailgun_signature(key, timestamp, token), cli_signature);
    EXPECT_TRUE(verify_mailgun_signature(key, timestamp, token, cli_signature));
}

TEST(MailgunSignature, AnyChangeFailsVerification) {
    EXPECT_FALSE(verify_mailgun_signature("another-key", timestamp, token, cli_signature));
    EXPECT_FALSE(verify_mailgun_signature(key, "1770920773", token, cli_signature));
    EXPECT_FALSE(verify_mailgun_signature(key, timestamp,
                                          "e0b5477167110d68991efc6b9f89f0a11066af2783460"
                                          "0e124",
                                          cli_signature));
    std::string upper(cli_signature);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_FALSE(verify_mailgun_signature(key, timestamp, token, upper));
    EXPECT_FALSE(verify_mailgun_signature(key, timestamp, token, cli_signature.substr(0, 63)));
    EXPECT_FALSE(verify_mailgun_signature(key, timestamp, token, ""));
}

}  // namespace
}  // namespace optgate
