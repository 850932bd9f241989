// The keyed signer gives OpenSSL's one-shot HMAC of every message, whatever came before it
// (each message starts afresh under the same key), including keys longer than a block; and
// hmac_sha1 and hmac_sha256, which keep a signer per key on each thread, agree with it
// whichever keys were used before.
#include "core/hmac_signer.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <random>
#include <string>
#include <vector>

#include "core/digest.hpp"

namespace optgate {
namespace {

// What OpenSSL's one-shot HMAC() makes of it: the reference.
std::string one_shot(const EVP_MD* md, std::string_view key, std::string_view message) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(md, key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &len);
    return std::string(reinterpret_cast<char*>(out), len);
}

TEST(HmacSigner, SignsRfc4231AndRfc2202Messages) {
    hmac_signer jefe("SHA256", "Jefe");
    EXPECT_EQ(to_hex(jefe.sign("what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    hmac_signer long_key("SHA256", std::string(131, '\xaa'));
    EXPECT_EQ(to_hex(long_key.sign("Test Using Larger Than Block-Size Key - Hash Key First")),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    hmac_signer sha1("SHA1", "Jefe");
    EXPECT_EQ(to_hex(sha1.sign("what do ya want for nothing?")),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(HmacSigner, EachMessageInARowIsSignedAsIfAlone) {
    std::mt19937 rng(7);
    std::string key(32, '\0');
    for (auto& c : key) c = static_cast<char>(rng());
    hmac_signer signer("SHA256", key);
    for (int i = 0; i < 200; ++i) {
        std::string message(rng() % 300, '\0');
        for (auto& c : message) c = static_cast<char>(rng());
        ASSERT_EQ(signer.sign(message), one_shot(EVP_sha256(), key, message)) << "message " << i;
    }
    EXPECT_EQ(signer.sign(""), one_shot(EVP_sha256(), key, ""));
}

// Many keys in turn, more than each thread keeps, and both digests under one key.
TEST(HmacSigner, TheOneShotFunctionsAgreeWithOpenSslWhateverKeysCameBefore) {
    std::mt19937 rng(11);
    std::vector<std::string> keys;
    for (int k = 0; k < 12; ++k) keys.push_back("key-" + std::to_string(k));
    for (int i = 0; i < 300; ++i) {
        const auto& key = keys[rng() % keys.size()];
        const std::string message = "message " + std::to_string(i);
        ASSERT_EQ(hmac_sha1(key, message), one_shot(EVP_sha1(), key, message)) << i;
        ASSERT_EQ(hmac_sha256(key, message), one_shot(EVP_sha256(), key, message)) << i;
    }
}

}  // namespace
}  // namespace optgate
