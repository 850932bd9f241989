// Digests, MACs and base64 against their published test vectors (RFC 2202, RFC 4231,
// FIPS 180-2, RFC 4648), and the constant-time comparison callers authenticate with.
#include "core/digest.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace optgate {
namespace {

std::string repeat(char c, std::size_t n) {
    return std::string(n, c);
}

std::string bytes_1_to_25() {
    std::string s;
    for (int i = 1; i <= 25; ++i) s.push_back(char(i));
    return s;
}

struct mac_case {
    std::string key;
    std::string message;
    std::string hex;
};

TEST(Digest, HmacSha1Rfc2202) {
    const std::vector<mac_case> cases{
        {repeat('\x0b', 20), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"},
        {"Jefe", "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
        {repeat('\xaa', 20), repeat('\xdd', 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
        {bytes_1_to_25(), repeat('\xcd', 50), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
        {repeat('\x0c', 20), "Test With Truncation", "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
        {repeat('\xaa', 80), "Test Using Larger Than Block-Size Key - Hash Key First",
         "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
        {repeat('\xaa', 80),
         "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
         "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
        {"", "", "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d"},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        SCOPED_TRACE("case " + std::to_string(i + 1));
        const std::string mac = hmac_sha1(cases[i].key, cases[i].message);
        EXPECT_EQ(mac.size(), 20u);
        EXPECT_EQ(to_hex(mac), cases[i].hex);
    }
}

TEST(Digest, HmacSha256Rfc4231) {
    const std::vector<mac_case> cases{
        {repeat('\x0b', 20), "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"Jefe", "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {repeat('\xaa', 20), repeat('\xdd', 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {bytes_1_to_25(), repeat('\xcd', 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {repeat('\xaa', 131), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {repeat('\xaa', 131),
         "This is a test using a larger than block-size key and a larger than block-size data. "
         "The key needs to be hashed before being used by the HMAC algorithm.",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
        {"", "", "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        SCOPED_TRACE("case " + std::to_string(i + 1));
        const std::string mac = hmac_sha256(cases[i].key, cases[i].message);
        EXPECT_EQ(mac.size(), 32u);
        EXPECT_EQ(to_hex(mac), cases[i].hex);
    }
}

TEST(Digest, Sha256KnownVectors) {
    EXPECT_EQ(to_hex(sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(to_hex(sha256("")),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256("abc").size(), 32u);
}

TEST(Digest, ToHexIsLowerCaseTwoDigitsPerByte) {
    EXPECT_EQ(to_hex(""), "");
    EXPECT_EQ(to_hex(std::string("\x00\xff\x10\xab", 4)), "00ff10ab");
}

struct base64_case {
    std::string raw;
    std::string standard;
    std::string url;
};

TEST(Digest, Base64Rfc4648Vectors) {
    const std::vector<base64_case> cases{
        {"", "", ""},
        {"f", "Zg==", "Zg"},
        {"fo", "Zm8=", "Zm8"},
        {"foo", "Zm9v", "Zm9v"},
        {"foob", "Zm9vYg==", "Zm9vYg"},
        {"fooba", "Zm9vYmE=", "Zm9vYmE"},
        {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
        // The two symbols where the alphabets differ.
        {"\xfb\xff", "+/8=", "-_8"},
        {"\xfb\xef\xbe", "++++", "----"},
        {"\xff\xff\xff", "////", "____"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.standard);
        EXPECT_EQ(base64_encode(c.raw), c.standard);
        EXPECT_EQ(base64url_encode(c.raw), c.url);
        EXPECT_EQ(base64_decode(c.standard), c.raw);
        EXPECT_EQ(base64url_decode(c.url), c.raw);
    }
}

TEST(Digest, Base64RoundTripsAnyBytes) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(char(i));
    std::vector<std::string> inputs{all};
    std::mt19937 rng(4648);
    for (std::size_t n = 0; n <= 64; ++n) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s.push_back(char(rng() & 0xff));
        inputs.push_back(s);
    }
    for (const auto& raw : inputs) {
        SCOPED_TRACE(raw.size());
        EXPECT_EQ(base64_decode(base64_encode(raw)), raw);
        EXPECT_EQ(base64url_decode(base64url_encode(raw)), raw);
        EXPECT_EQ(base64_encode(raw).size(), (raw.size() + 2) / 3 * 4);
        EXPECT_EQ(base64url_encode(raw).find_first_of("+/="), std::string::npos);
    }
}

TEST(Digest, InvalidBase64IsRejected) {
    const std::vector<std::string> invalid{
        "Zg=",          // length not a multiple of 4
        "Zg",           // unpadded
        "Z===",         // a lone symbol carries no whole byte
        "Zm9v!A==",     // a character outside the alphabet
        "Zm 9v",        // a space
        "Zm9v\n",       // a newline
        "-_8=",         // the URL alphabet
        "Zg==Zg==",     // padding in the middle
        "=Zg=",         // padding first
        "Zm9vYg=\xc3",  // a non-ASCII byte
    };
    for (const auto& t : invalid) {
        SCOPED_TRACE(testing::PrintToString(t));
        EXPECT_EQ(base64_decode(t), std::nullopt);
    }
    const std::vector<std::string> invalid_url{
        "+/8",      // the standard alphabet
        "Zg==",     // padding
        "Z",        // a lone symbol carries no whole byte
        "Zm9vY",    // a lone symbol after whole groups
        "Zm9v Yg",  // a space
    };
    for (const auto& t : invalid_url) {
        SCOPED_TRACE(testing::PrintToString(t));
        EXPECT_EQ(base64url_decode(t), std::nullopt);
    }
}

TEST(Digest, ConstantTimeEqual) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "Abc"));
    EXPECT_FALSE(constant_time_equal("abc", "ab"));
    EXPECT_FALSE(constant_time_equal("ab", "abc"));
    EXPECT_FALSE(constant_time_equal("", "a"));
    EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace optgate
