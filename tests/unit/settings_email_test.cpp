// The `email:` section: an email unsubscribe always stops at least one configured program.
// A list that is empty or names an unknown program, or a provider configured while the list
// defaults to a `district` that does not exist, refuses the config with the key and its line,
// so that no family's unsubscribe is answered 200 and changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config_test_text.hpp"
#include "sns_certificate_file.hpp"
#include "tests/support/p256_test_key.hpp"

namespace optgate::test {
namespace {

using ::testing::HasSubstr;

// minimal_config with an email section from line 10.
std::string with_email(const std::string& lines) {
    return std::string(minimal_config) + "email:\n" + lines;
}

// Lines 1 to 5 have no `district` program: `alerts` and `emergency` (line 5); a test appends
// from line 6.
constexpr std::string_view without_district = R"(listen: "127.0.0.1:8080"
public_url: "https://optgate.example.org"
redis: { url: "redis://127.0.0.1:6379/0" }
journal: { dir: /j }
programs: { alerts: {}, emergency: {} }
)";

// The four email providers, each as one `providers:` entry on its own line.
struct email_provider {
    std::string name;
    std::string entry;
};

std::vector<email_provider> email_providers(const sns_certificate_file& sns) {
    const std::string sendgrid_key = testing::p256_test_key().public_key_base64();
    return {
        {"sendgrid", "  sendgrid: { public_key: \"" + sendgrid_key + "\" }\n"},
        {"mailgun", "  mailgun: { signing_key: \"a-mailgun-signing-key\" }\n"},
        {"postmark", "  postmark: { username: postmark, password: \"a-long-password\" }\n"},
        {"ses", "  ses: { topic_arns: [\"arn:aws:sns:us-east-2:1:t\"], certificate_file: \"" +
                    sns.path().string() + "\" }\n"},
    };
}

TEST(SettingsEmail, AnEmptyListIsRefusedWhateverTheProviders) {
    EXPECT_EQ(error_of(with_email("  unsubscribe_programs: []\n")),
              "config: email.unsubscribe_programs (line 11): an email unsubscribe must stop at "
              "least one program: expected a list of the programs it opts out of");
    // Every item commented out is an empty list too.
    EXPECT_THAT(error_of(with_email("  unsubscribe_programs:\n  # - district\n")),
                HasSubstr("email.unsubscribe_programs (line 11): an email unsubscribe must stop"));
    EXPECT_THAT(error_of(std::string(without_district) + "email: { unsubscribe_programs: [] }\n"),
                HasSubstr("email.unsubscribe_programs (line 6): an email unsubscribe must stop"));
}

TEST(SettingsEmail, AnUnknownProgramIsRefused) {
    EXPECT_EQ(error_of(with_email("  unsubscribe_programs: [district, weather]\n")),
              "config: email.unsubscribe_programs[1] (line 11): unknown program \"weather\" "
              "(configured: district, emergency)");
    EXPECT_THAT(error_of(with_email("  unsubscribe_programs: [district, district]\n")),
                HasSubstr("email.unsubscribe_programs[1] (line 11): repeated program"));
    EXPECT_EQ(error_of(with_email("  groups:\n    \"4101\": district\n    \"4102\": weather\n")),
              "config: email.groups.4102 (line 13): unknown program \"weather\" (configured: "
              "district, emergency)");
}

TEST(SettingsEmail, WithoutADistrictProgramEveryEmailProviderNeedsTheList) {
    const sns_certificate_file sns;
    for (const auto& provider : email_providers(sns)) {
        const std::string providers = "providers:\n" + provider.entry;  // lines 6 and 7
        EXPECT_EQ(error_of(std::string(without_district) + providers),
                  "config: email.unsubscribe_programs (line 7): missing required value: there is "
                  "no program named district to default to, so every unsubscribe from "
                  "providers." +
                      provider.name +
                      " would change nothing; list the programs it opts out of (configured: "
                      "alerts, emergency)")
            << provider.name;
        // With an `email:` section, the error points at it (line 8).
        EXPECT_THAT(error_of(std::string(without_district) + providers +
                             "email:\n  groups: { \"4101\": alerts }\n"),
                    HasSubstr("config: email.unsubscribe_programs (line 8): missing required"))
            << provider.name;
        // Named, the programs are what the provider's unsubscribes stop.
        const settings s = parse(std::string(without_district) + providers +
                                 "email: { unsubscribe_programs: [alerts] }\n");
        EXPECT_EQ(s.email.unsubscribe_programs, std::vector<std::string>{"alerts"})
            << provider.name;
    }
}

TEST(SettingsEmail, WithoutAnEmailProviderTheDefaultMayBeNone) {
    // Nothing can unsubscribe by email: an SMS-only district names no email programs.
    const settings s =
        parse(std::string(without_district) + "providers: { twilio: { auth_token: t } }\n");
    EXPECT_TRUE(s.email.unsubscribe_programs.empty());
    // optgate's own links name their program in the token: they do not need the list.
    EXPECT_TRUE(parse(std::string(without_district) + "unsubscribe_links: { secret: s }\n")
                    .email.unsubscribe_programs.empty());
}

TEST(SettingsEmail, TheDefaultIsDistrictAndGroupsMapToConfiguredPrograms) {
    const settings s = parse(with_email("  groups: { \"4101\": district, \"4102\": emergency }\n"));
    EXPECT_EQ(s.email.unsubscribe_programs, std::vector<std::string>{"district"});
    EXPECT_EQ(s.email.groups.at("4102"), "emergency");
    EXPECT_THAT(error_of(with_email("  groups: { \"\": district }\n")),
                HasSubstr("email.groups. (line 11): expected a numeric group id"));
}

}  // namespace
}  // namespace optgate::test
