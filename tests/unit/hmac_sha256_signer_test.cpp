// The keyed signer gives the one-shot HMAC-SHA256 of every message, whatever came before it
// (each message starts afresh under the same key), including keys longer than a block.
#include "core/hmac_sha256_signer.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/digest.hpp"

namespace optgate {
namespace {

TEST(HmacSha256Signer, SignsRfc4231Messages) {
    hmac_sha256_signer jefe("Jefe");
    EXPECT_EQ(to_hex(jefe.sign("what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    hmac_sha256_signer long_key(std::string(131, '\xaa'));
    EXPECT_EQ(to_hex(long_key.sign("Test Using Larger Than Block-Size Key - Hash Key First")),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256Signer, EachMessageInARowIsSignedAsIfAlone) {
    std::mt19937 rng(7);
    std::string key(32, '\0');
    for (auto& c : key) c = static_cast<char>(rng());
    hmac_sha256_signer signer(key);
    for (int i = 0; i < 200; ++i) {
        std::string message(rng() % 300, '\0');
        for (auto& c : message) c = static_cast<char>(rng());
        ASSERT_EQ(signer.sign(message), hmac_sha256(key, message)) << "message " << i;
    }
    EXPECT_EQ(signer.sign(""), hmac_sha256(key, ""));
}

}  // namespace
}  // namespace optgate
