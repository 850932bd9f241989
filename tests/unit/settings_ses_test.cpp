// providers.ses: the SNS signing certificate is read and parsed with the config, so that a
// certificate that does not load refuses the whole config (at start, and on SIGHUP, where the
// running config then stays), with the key and its line named.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "config_test_text.hpp"
#include "core/sns_signature.hpp"
#include "tests/support/sns_test_message.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificate.hpp"

namespace optgate::test {
namespace {

using ::testing::HasSubstr;

// minimal_config with providers.ses on line 10, its certificate_file on line 12.
std::string with_ses(const std::string& certificate_file) {
    return std::string(minimal_config) +
           "providers:\n"
           "  ses:\n"
           "    certificate_file: \"" +
           certificate_file +
           "\"\n"
           "    topic_arns: [\"arn:aws:sns:us-east-2:123456789012:optgate-ses\"]\n";
}

TEST(SettingsSes, LoadsTheCertificateThatVerifiesTheTopicsSignatures) {
    const testing::test_certificate key(testing::test_certificate::key_type::fixed_rsa_2048);
    const testing::temp_dir dir;
    const auto file = key.write(dir.path() / "sns.pem");
    const settings s = parse(with_ses(file.string()));
    ASSERT_TRUE(s.providers.ses);
    EXPECT_EQ(s.providers.ses->certificate_file, file);
    EXPECT_EQ(s.providers.ses->topic_arns,
              std::vector<std::string>{"arn:aws:sns:us-east-2:123456789012:optgate-ses"});
    ASSERT_TRUE(s.providers.ses->certificate);
    auto m = testing::sns_notification("arn:aws:sns:us-east-2:123456789012:optgate-ses", "1", "{}",
                                       "2026-11-22T10:00:00.000Z");
    testing::sign_sns_message(m, key, "2");
    EXPECT_EQ(verify_sns_signature(m, *s.providers.ses->certificate), sns_verdict::valid);
}

TEST(SettingsSes, AMissingOrUnreadableCertificateIsRefused) {
    const testing::temp_dir dir;
    EXPECT_THAT(error_of(with_ses((dir.path() / "absent.pem").string())),
                HasSubstr("config: providers.ses.certificate_file (line 12): cannot read "));
    EXPECT_THAT(error_of(with_ses(dir.path().string())),
                HasSubstr("providers.ses.certificate_file (line 12): cannot read"));
    std::ofstream(dir.path() / "empty.pem").flush();
    EXPECT_THAT(error_of(with_ses((dir.path() / "empty.pem").string())),
                HasSubstr("providers.ses.certificate_file (line 12): file "));
}

TEST(SettingsSes, AFileThatIsNotAnRsaCertificateIsRefused) {
    const testing::temp_dir dir;
    const auto not_pem = dir.path() / "sns.pem";
    std::ofstream(not_pem) << "<html>Access Denied</html>\n";
    EXPECT_THAT(error_of(with_ses(not_pem.string())),
                HasSubstr("providers.ses.certificate_file (line 12): " + not_pem.string() +
                          ": not a PEM X.509 certificate"));
    const auto ec = testing::test_certificate(testing::test_certificate::key_type::ec_p256)
                        .write(dir.path() / "ec.pem");
    EXPECT_THAT(error_of(with_ses(ec.string())),
                HasSubstr("providers.ses.certificate_file (line 12): " + ec.string() +
                          ": the certificate's key is not an RSA key"));
}

TEST(SettingsSes, TheCertificateIsRequired) {
    EXPECT_THAT(error_of(std::string(minimal_config) +
                         "providers: { ses: { topic_arns: [\"arn:aws:sns:us-east-2:1:t\"] } }\n"),
                HasSubstr("providers.ses.certificate_file"));
}

}  // namespace
}  // namespace optgate::test
