// API keys of the broadcast and administration API: the key presented as a bearer token is
// matched by its sha256 against the configured hashes, and roles gate what it may do.
#include "core/api_key.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/digest.hpp"

namespace optgate {
namespace {

std::vector<api_key> configured_keys() {
    return {
        {"broadcast-system", to_hex(sha256("bk-7f3a9c2e")), {role::check}},
        {"district-office", to_hex(sha256("ok-41d08b6f")), {role::check, role::admin, role::audit}},
        {"auditor", to_hex(sha256("ak-c55e0912")), {role::audit}},
    };
}

TEST(ApiKey, AuthenticatesByTheSha256OfThePresentedKey) {
    const auto keys = configured_keys();
    EXPECT_EQ(authenticate(keys, "bk-7f3a9c2e"), &keys[0]);
    EXPECT_EQ(authenticate(keys, "ok-41d08b6f"), &keys[1]);
    EXPECT_EQ(authenticate(keys, "ak-c55e0912"), &keys[2]);
}

TEST(ApiKey, ConfiguredHashIsTheLowerCaseHexOfSha256) {
    // sha256("abc") spelled out (FIPS 180-2), so that a change to the hashing is noticed.
    const std::vector<api_key> keys{{"k", to_hex(sha256("abc")), {role::check}}};
    EXPECT_EQ(keys[0].sha256_hex,
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(authenticate(keys, "abc"), &keys[0]);
}

TEST(ApiKey, UnknownOrEmptyKeyIsRefused) {
    const auto keys = configured_keys();
    EXPECT_EQ(authenticate(keys, "nope"), nullptr);
    EXPECT_EQ(authenticate(keys, ""), nullptr);
    EXPECT_EQ(authenticate(keys, "BK-7F3A9C2E"), nullptr);       // keys are case-sensitive
    EXPECT_EQ(authenticate(keys, "bk-7f3a9c2e "), nullptr);      // and exact
    EXPECT_EQ(authenticate(keys, keys[0].sha256_hex), nullptr);  // the hash is not the key
    EXPECT_EQ(authenticate({}, "bk-7f3a9c2e"), nullptr);
}

TEST(ApiKey, EmptyKeyIsRefusedEvenIfItsHashIsConfigured) {
    const std::vector<api_key> keys{{"empty", to_hex(sha256("")), {role::admin}}};
    EXPECT_EQ(authenticate(keys, ""), nullptr);
}

TEST(ApiKey, HasRole) {
    const auto keys = configured_keys();
    EXPECT_TRUE(keys[0].has(role::check));
    EXPECT_FALSE(keys[0].has(role::admin));
    EXPECT_FALSE(keys[0].has(role::audit));
    EXPECT_TRUE(keys[1].has(role::check));
    EXPECT_TRUE(keys[1].has(role::admin));
    EXPECT_TRUE(keys[1].has(role::audit));
    EXPECT_FALSE(keys[2].has(role::check));
    EXPECT_TRUE(keys[2].has(role::audit));
    EXPECT_FALSE((api_key{"none", "", {}}).has(role::check));
}

TEST(ApiKey, BearerToken) {
    EXPECT_EQ(bearer_token("Bearer abc"), "abc");
    EXPECT_EQ(bearer_token("bearer abc"), "abc");
    EXPECT_EQ(bearer_token("BEARER abc"), "abc");
    EXPECT_EQ(bearer_token("BeArEr abc"), "abc");
    EXPECT_EQ(bearer_token("Bearer    abc   "), "abc");
    EXPECT_EQ(bearer_token("Bearer ok-41d08b6f"), "ok-41d08b6f");
}

TEST(ApiKey, BearerTokenRefusesOtherSchemesAndEmptyKeys) {
    for (std::string_view header : {
             std::string_view("Basic x"),
             std::string_view("Basic YWxhZGRpbjpvcGVuc2VzYW1l"),
             std::string_view("Token abc"),
             std::string_view("Bearer "),
             std::string_view("Bearer     "),
             std::string_view("Bearer"),
             std::string_view("Bearerabc"),
             std::string_view("Bearer\tabc"),
             std::string_view("Bearer\0abc", 10),
             std::string_view("Bearer:abc"),
             std::string_view(""),
             std::string_view("abc"),
         }) {
        SCOPED_TRACE(testing::PrintToString(std::string(header)));
        EXPECT_EQ(bearer_token(header), std::nullopt);
    }
}

TEST(ApiKey, RoleWireNames) {
    EXPECT_EQ(to_string(role::check), "check");
    EXPECT_EQ(to_string(role::admin), "admin");
    EXPECT_EQ(to_string(role::audit), "audit");
    EXPECT_EQ(parse_role("check"), role::check);
    EXPECT_EQ(parse_role("admin"), role::admin);
    EXPECT_EQ(parse_role("audit"), role::audit);
    EXPECT_EQ(parse_role("Admin"), std::nullopt);
    EXPECT_EQ(parse_role("root"), std::nullopt);
    EXPECT_EQ(parse_role(""), std::nullopt);
}

}  // namespace
}  // namespace optgate
