// The config of the change feed's webhooks (feed.webhooks): what a valid entry gives, and
// each refusal, naming its key: no https, no lists of what the receiver gets, a short secret,
// an unknown program, a ca_file without a certificate.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "config_test_text.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificate.hpp"

namespace optgate::test {
namespace {

using ::testing::HasSubstr;

constexpr const char* secret = "0123456789abcdef0123456789abcdef";

std::string with_webhook(const std::string& fields) {
    return std::string(minimal_config) +
           "feed:\n"
           "  webhooks:\n"
           "    - name: sis\n" +
           fields;
}

std::string valid_fields(const std::string& url = "https://sis.example.org/optgate?k=1") {
    return "      url: \"" + url + "\"\n      secret: \"" + secret +
           "\"\n"
           "      channels: [sms, email]\n"
           "      programs: [district]\n";
}

TEST(SettingsFeed, AWebhookWithItsDefaults) {
    const settings s = parse(with_webhook(valid_fields()));
    ASSERT_EQ(s.feed.webhooks.size(), 1u);
    const auto& hook = s.feed.webhooks[0];
    EXPECT_EQ(hook.name, "sis");
    EXPECT_EQ(hook.host, "sis.example.org");
    EXPECT_EQ(hook.port, "443");
    EXPECT_EQ(hook.target, "/optgate?k=1");
    EXPECT_EQ(hook.secret, secret);
    EXPECT_EQ(hook.channels, (std::vector<channel>{channel::sms, channel::email}));
    EXPECT_EQ(hook.programs, std::vector<std::string>{"district"});
    EXPECT_EQ(hook.batch_size, 100u);
    EXPECT_EQ(hook.timeout, std::chrono::seconds(10));
    EXPECT_EQ(hook.max_retry_wait, std::chrono::seconds(300));
    EXPECT_TRUE(hook.ca_file.empty());
}

TEST(SettingsFeed, APortAndAnIpv6Host) {
    const auto hook = parse(with_webhook(valid_fields("https://[::1]:8443"))).feed.webhooks[0];
    EXPECT_EQ(hook.host, "::1");
    EXPECT_EQ(hook.port, "8443");
    EXPECT_EQ(hook.target, "/");
}

TEST(SettingsFeed, EachRefusalNamesItsKey) {
    EXPECT_THAT(error_of(with_webhook(valid_fields("http://sis.example.org/in"))),
                HasSubstr("feed.webhooks[0].url (line 13): expected an https:// URL"));
    EXPECT_THAT(error_of(with_webhook(valid_fields("https://user:pw@sis.example.org/in"))),
                HasSubstr("feed.webhooks[0].url"));
    EXPECT_THAT(error_of(with_webhook(valid_fields("https://sis.example.org:0/"))),
                HasSubstr("expected a port from 1 to 65535"));
    EXPECT_THAT(error_of(with_webhook("      url: \"https://a.example\"\n      secret: \"short\"\n"
                                      "      channels: [sms]\n      programs: [district]\n")),
                HasSubstr("feed.webhooks[0].secret (line 14): expected at least 32 characters"));
    EXPECT_THAT(error_of(with_webhook("      url: \"https://a.example\"\n      secret: \"" +
                                      std::string(secret) + "\"\n      programs: [district]\n")),
                HasSubstr("channels"));
    EXPECT_THAT(error_of(with_webhook("      url: \"https://a.example\"\n      secret: \"" +
                                      std::string(secret) +
                                      "\"\n      channels: []\n      programs: [district]\n")),
                HasSubstr("expected at least one channel"));
    EXPECT_THAT(error_of(with_webhook("      url: \"https://a.example\"\n      secret: \"" +
                                      std::string(secret) +
                                      "\"\n      channels: [sms]\n      programs: [sports]\n")),
                HasSubstr("feed.webhooks[0].programs[0]"));
    EXPECT_THAT(error_of(with_webhook("      url: \"https://a.example\"\n      secret: \"" +
                                      std::string(secret) +
                                      "\"\n      channels: [sms]\n      programs: []\n")),
                HasSubstr("expected at least one program"));
    EXPECT_THAT(error_of(with_webhook(valid_fields() + "      batch_size: 5000\n")),
                HasSubstr("feed.webhooks[0].batch_size"));
    EXPECT_THAT(error_of(with_webhook(valid_fields() + "      max_retry_wait_seconds: 0\n")),
                HasSubstr("feed.webhooks[0].max_retry_wait_seconds"));
    EXPECT_THAT(error_of(with_webhook(valid_fields() + "      headers: {}\n")),
                HasSubstr("headers"));
    std::string second = valid_fields();
    second.replace(second.find(secret), 32, "fedcba9876543210fedcba9876543210");
    EXPECT_THAT(error_of(with_webhook(valid_fields() + "    - name: sis\n" + second)),
                HasSubstr("feed.webhooks[1] (line 17): another webhook has this name"));
    EXPECT_THAT(error_of(with_webhook(valid_fields() + "    - name: lms\n" + valid_fields())),
                HasSubstr("feed.webhooks[1].secret (line 19): another webhook has this secret"));
    EXPECT_THAT(error_of(with_webhook(valid_fields()) + "unsubscribe_links:\n  secret: \"" +
                         secret + "\"\n"),
                HasSubstr("each webhook needs its own"));
    EXPECT_THAT(
        error_of(with_webhook(valid_fields())
                     .replace(with_webhook(valid_fields()).find("name: sis"), 9, "name: SIS")),
        HasSubstr("a webhook name is"));
}

TEST(SettingsFeed, ACaFileMustHoldACertificate) {
    testing::temp_dir dir("feed-config");
    const auto good = testing::test_certificate(testing::test_certificate::key_type::ec_p256)
                          .write(dir.path() / "ca.pem");
    const auto hook =
        parse(with_webhook(valid_fields() + "      ca_file: \"" + good.string() + "\"\n"))
            .feed.webhooks[0];
    EXPECT_EQ(hook.ca_file, good.string());
    std::ofstream(dir.path() / "empty.pem") << "not a certificate\n";
    EXPECT_THAT(error_of(with_webhook(valid_fields() + "      ca_file: \"" +
                                      (dir.path() / "empty.pem").string() + "\"\n")),
                HasSubstr("no PEM certificate in"));
    EXPECT_THAT(error_of(with_webhook(valid_fields() + "      ca_file: \"" +
                                      (dir.path() / "missing.pem").string() + "\"\n")),
                HasSubstr("feed.webhooks[0].ca_file"));
    EXPECT_THAT(
        error_of(with_webhook(valid_fields() + "      ca_file: \"" + dir.path().string() + "\"\n")),
        HasSubstr("feed.webhooks[0].ca_file"));
}

}  // namespace
}  // namespace optgate::test
