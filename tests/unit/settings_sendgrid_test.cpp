// `providers.sendgrid.public_key`: parsed once when the config loads, so that the running
// daemon verifies with the very key configured, and a key that does not parse is refused at
// start (and on reload) with the name of the key that gave it, never its value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/settings_loader.hpp"
#include "config_test_text.hpp"
#include "tests/support/p256_test_key.hpp"

namespace optgate::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The sendgrid line is line 11 of the result.
std::string with_sendgrid(const std::string& fields) {
    return std::string(test::minimal_config) + "providers:\n  sendgrid: { " + fields + " }\n";
}

TEST(SettingsSendgrid, TheConfiguredKeyVerifiesItsOwnSignaturesOnly) {
    const testing::p256_test_key signer, other;
    const settings s = parse(with_sendgrid("public_key: \"" + signer.public_key_base64() + "\""));
    ASSERT_TRUE(s.providers.sendgrid);
    const auto& key = s.providers.sendgrid->verification_key;
    EXPECT_TRUE(key.verify("1800000000", "[]", signer.sign("1800000000", "[]")));
    EXPECT_FALSE(key.verify("1800000000", "[]", other.sign("1800000000", "[]")));
}

TEST(SettingsSendgrid, AKeyThatDoesNotParseIsRefusedByName) {
    const std::string truncated = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...";
    const std::string error = error_of(with_sendgrid("public_key: \"" + truncated + "\""));
    EXPECT_THAT(error, HasSubstr("config: providers.sendgrid.public_key (line 11): expected "
                                 "SendGrid's verification key"));
    EXPECT_THAT(error, Not(HasSubstr(truncated)));
    const std::string p256 = testing::p256_test_key().public_key_base64();
    EXPECT_THAT(error_of(with_sendgrid("public_key: \"" + p256.substr(0, 40) + "\"")),
                HasSubstr("providers.sendgrid.public_key (line 11)"));
    EXPECT_THAT(error_of(with_sendgrid("")), HasSubstr("providers.sendgrid"));
}

TEST(SettingsSendgrid, AKeyFileThatDoesNotHoldAKeyIsRefusedByName) {
    const auto dir = std::filesystem::path(::testing::TempDir()) / "optgate-settings-sendgrid";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "sendgrid.pem") << "-----BEGIN PUBLIC KEY-----\n";
    EXPECT_THAT(error_of(with_sendgrid("public_key_file: " + (dir / "sendgrid.pem").string())),
                HasSubstr("providers.sendgrid.public_key_file (line 11): expected SendGrid's"));
    const testing::p256_test_key signer;
    std::ofstream(dir / "sendgrid.key") << signer.public_key_base64() << "\n";
    const settings s = parse(with_sendgrid("public_key_file: " + (dir / "sendgrid.key").string()));
    EXPECT_TRUE(s.providers.sendgrid->verification_key.verify("1", "x", signer.sign("1", "x")));
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace optgate::test
