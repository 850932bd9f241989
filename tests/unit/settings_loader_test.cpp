// The configuration loader: what it accepts, the defaults it fills, and that every refusal
// names the key and its line. Secrets given as files and variables are in
// settings_secret_test.cpp.
#include "config/settings_loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config_test_text.hpp"
#include "example_config.hpp"
#include "sns_certificate_file.hpp"

namespace optgate::test {
namespace {

using ::testing::HasSubstr;

TEST(SettingsLoader, ParsesTheSpecExample) {
    const test::sns_certificate_file sns;
    const settings s = parse(sns.in(R"(listen: "127.0.0.1:8080"
public_url: "https://optgate.example.org"   # the base URL the providers call
default_country: US
redis:
  url: "redis://127.0.0.1:6379/0"
  key_prefix: "optgate:"
journal:
  dir: "/var/lib/optgate/journal"
programs:
  district:  { default: opted_in }
  emergency: { default: opted_in }
sms:
  short_codes: { "60680": district, "54968": emergency }
  contained_opt_out: true
  replies:
    opt_out: "Saint Paul Public Schools: you will get no more texts from this number. Reply START to resubscribe."
    opt_in: "Saint Paul Public Schools: you will get texts from this number again. Reply STOP to unsubscribe."
    help: "Saint Paul Public Schools messages. Reply STOP to unsubscribe. Help: spps.org/onestop"
voice:
  hotlines: ["+18555027867"]
  programs: [district]
email:
  unsubscribe_programs: [district]
  groups: { "4101": district }
providers:
  twilio:   { auth_token: "..." }
  sendgrid: { public_key: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQc4zQOwjoMYm/pw5jZK7I6d4d+wBajLudAzIAPrzSaSHeGISGref0Jqzx3xkUTUKT+0TVKGqNuB0fP3Sa5Z0xg==" }
  mailgun:  { signing_key: "..." }
  postmark: { username: "...", password: "..." }
  ses:      { topic_arns: ["arn:aws:sns:..."], certificate_file: "/etc/optgate/sns.pem" }
unsubscribe_links:
  secret: "..."
api_keys:
  - { name: broadcast-system, sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", roles: [check] }
  - { name: district-office,  sha256: "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7", roles: [check, admin, audit] }
)"));
    EXPECT_EQ(s.listen_host, "127.0.0.1");
    EXPECT_EQ(s.listen_port, 8080);
    EXPECT_EQ(s.public_url, "https://optgate.example.org");
    EXPECT_EQ(s.redis.host, "127.0.0.1");
    EXPECT_EQ(s.redis.port, 6379);
    EXPECT_EQ(s.journal.dir, "/var/lib/optgate/journal");
    ASSERT_EQ(s.programs.size(), 2u);
    EXPECT_EQ(s.programs[0].name, "district");
    EXPECT_EQ(s.programs[1].name, "emergency");
    EXPECT_EQ(s.sms.short_codes.at("54968"), "emergency");
    EXPECT_EQ(s.sms.programs,
              (std::vector<program_purpose>{{"district", false}, {"emergency", true}}));
    EXPECT_THAT(s.sms.replies.at("en").help, HasSubstr("spps.org/onestop"));
    EXPECT_EQ(s.voice.hotlines, std::vector<std::string>{"+18555027867"});
    EXPECT_EQ(s.email.groups.at("4101"), "district");
    ASSERT_TRUE(s.providers.postmark);
    EXPECT_EQ(s.providers.postmark->password, "...");
    ASSERT_TRUE(s.providers.ses);
    EXPECT_EQ(s.providers.ses->topic_arns, std::vector<std::string>{"arn:aws:sns:..."});
    EXPECT_TRUE(s.providers.ses->certificate);
    ASSERT_TRUE(s.unsubscribe_links);
    ASSERT_EQ(s.api_keys.size(), 2u);
    EXPECT_TRUE(s.api_keys[1].has(role::audit));
    EXPECT_FALSE(s.api_keys[0].has(role::admin));
}

TEST(SettingsLoader, TheExampleFileParses) {
    const settings s = test::load_example_config();
    EXPECT_EQ(s.sms.keywords.classify("jooji").kind, keyword_kind::opt_out);
    EXPECT_EQ(s.sms.keywords.classify("jooji").language, "so");
    EXPECT_TRUE(s.providers.twilio && s.providers.sendgrid && s.providers.mailgun &&
                s.providers.postmark && s.providers.ses);
    EXPECT_EQ(s.api_keys.size(), 2u);
}

TEST(SettingsLoader, TheExampleAsShippedIsRefusedForItsPlaceholders) {
    const sns_certificate_file sns;
    const auto error = error_of(sns.in(test::example_config_text()));
    EXPECT_THAT(error, ::testing::StartsWith("config: providers.twilio.auth_token (line "));
    EXPECT_THAT(error,
                ::testing::HasSubstr("still holds the example's placeholder: put the real value"));
    // Every secret and API key hash, wherever it is.
    EXPECT_THAT(error_of(std::string(minimal_config) +
                         "unsubscribe_links: { secret: \"replace-with-32-random-bytes\" }\n"),
                ::testing::HasSubstr("unsubscribe_links.secret (line 10): still holds"));
    EXPECT_THAT(error_of(std::string(minimal_config) +
                         "api_keys:\n  - { name: a, sha256: \"replace-with-a-hash\", roles: "
                         "[check] }\n"),
                ::testing::HasSubstr("api_keys[0].sha256 (line 11): still holds"));
}

TEST(SettingsLoader, TheDevFileParsesWithItsJournalBesideTheSources) {
    const settings s = load_settings(OPTGATE_SOURCE_DIR "/config/optgate.dev.yaml");
    EXPECT_EQ(s.journal.dir,
              (std::filesystem::path(OPTGATE_SOURCE_DIR) / ".local/journal").lexically_normal());
    EXPECT_EQ(s.redis.port, 6390);
    ASSERT_TRUE(s.providers.twilio);
    EXPECT_EQ(s.providers.twilio->auth_token, "dev-twilio-auth-token");
    const api_key* dev = authenticate(s.api_keys, "dev-key");
    ASSERT_NE(dev, nullptr);
    EXPECT_EQ(dev->name, "dev");
    EXPECT_TRUE(dev->has(role::check) && dev->has(role::admin) && dev->has(role::audit));
}

TEST(SettingsLoader, FillsDefaults) {
    const settings s = parse(minimal_config);
    EXPECT_EQ(s.public_url, "https://optgate.example.org");  // trailing slash dropped
    EXPECT_EQ(s.default_country, "US");
    EXPECT_EQ(s.redis.key_prefix, "optgate:");
    EXPECT_EQ(s.journal.retention_days, 7);
    EXPECT_TRUE(s.sms.keywords.contained_opt_out());
    EXPECT_TRUE(s.sms.replies_enabled);
    EXPECT_THAT(s.sms.replies.at("en").opt_out, HasSubstr("Reply START to resubscribe"));
    EXPECT_THAT(s.sms.replies.at("en").help, HasSubstr("District messages"));
    EXPECT_THAT(s.sms.replies.at("es").opt_out, HasSubstr("Responda INICIAR"));
    EXPECT_EQ(s.sms.default_country, "US");
    EXPECT_EQ(s.opt_out_scope, opt_out_scope::program);
    EXPECT_EQ(s.sms.scope, opt_out_scope::program);
    EXPECT_EQ(s.sms.programs,
              (std::vector<program_purpose>{{"district", false}, {"emergency", true}}));
    EXPECT_EQ(s.voice.programs, std::vector<std::string>{"district"});
    EXPECT_EQ(s.email.unsubscribe_programs, std::vector<std::string>{"district"});
    EXPECT_FALSE(s.providers.twilio || s.providers.ses || s.unsubscribe_links);
    EXPECT_TRUE(s.api_keys.empty());
    EXPECT_EQ(s.limits.max_connections, 1024u);
    EXPECT_EQ(s.limits.max_check_recipients, 1'000'000u);
    EXPECT_EQ(s.limits.max_unsubscribe_links, 1'000'000u);
    EXPECT_EQ(s.log.level, "info");
    EXPECT_EQ(s.find_program("emergency")->default_state, consent_state::opted_in);
    EXPECT_EQ(s.find_program("weather"), nullptr);
}

TEST(SettingsLoader, WithoutADistrictProgramVoiceAndEmailDefaultToNone) {
    const settings s = parse(R"(listen: "0.0.0.0:80"
public_url: "http://gate.local"
redis: { url: "redis://r" }
journal: { dir: /j }
programs: { alerts: { default: opted_out } }
)");
    EXPECT_TRUE(s.voice.programs.empty());
    EXPECT_TRUE(s.email.unsubscribe_programs.empty());
    EXPECT_EQ(s.programs[0].default_state, consent_state::opted_out);
}

TEST(SettingsLoader, AnUnknownKeyIsNamedWithItsLine) {
    EXPECT_EQ(error_of(std::string(minimal_config) + "colour: blue\n"),
              "config: colour (line 10): unknown key");
    EXPECT_EQ(error_of(R"(listen: "127.0.0.1:8080"
public_url: "https://optgate.example.org"
redis:
  url: "redis://127.0.0.1:6379/0"
  pasword: "x"
)"),
              "config: redis.pasword (line 5): unknown key");
    EXPECT_EQ(error_of(std::string(minimal_config) + "providers:\n  twilio:\n    token: x\n"),
              "config: providers.twilio.token (line 12): unknown key");
    EXPECT_EQ(error_of(std::string(minimal_config) + "api_keys:\n  - { name: a, rôles: [] }\n"),
              "config: api_keys[0].rôles (line 11): unknown key");
}

TEST(SettingsLoader, AWrongTypeIsNamedWithItsLine) {
    EXPECT_EQ(error_of(test::with("listen", "[127.0.0.1]")),
              "config: listen (line 1): expected a string");
    EXPECT_EQ(error_of(std::string(minimal_config) + "sms:\n  contained_opt_out: maybe\n"),
              "config: sms.contained_opt_out (line 11): expected true or false");
    EXPECT_EQ(error_of(std::string(minimal_config) + "api_keys: { a: b }\n"),
              "config: api_keys (line 10): expected a list");
    EXPECT_EQ(error_of(std::string(minimal_config) + "limits: { max_connections: 0 }\n"),
              "config: limits.max_connections (line 10): expected an integer from 1 to 1000000");
    EXPECT_EQ(error_of(std::string(minimal_config) + "limits: { max_check_recipients: 0 }\n"),
              "config: limits.max_check_recipients (line 10): expected an integer from 1 to "
              "10000000");
    EXPECT_THAT(error_of(std::string(minimal_config) + "journal2: 1\n"), HasSubstr("journal2"));
    EXPECT_THAT(error_of(std::string(minimal_config) + "log: { level: loud }\n"),
                HasSubstr("log.level (line 10): expected trace, debug"));
    EXPECT_EQ(error_of(std::string(minimal_config) + "log: { format: xml }\n"),
              "config: log.format (line 10): expected text or json");
    EXPECT_THAT(error_of(std::string(minimal_config) + "sms: [a]\n"),
                HasSubstr("sms (line 10): expected a map"));
}

TEST(SettingsLoader, AMissingRequiredValueIsNamed) {
    EXPECT_THAT(error_of(test::without("listen")), HasSubstr("config: listen (line 1): missing"));
    EXPECT_THAT(error_of(test::without("public_url")), HasSubstr("public_url"));
    EXPECT_THAT(error_of(test::without("programs")), HasSubstr("programs"));
    EXPECT_THAT(error_of(test::with("programs", "{}")),
                HasSubstr("programs (line 7): expected at least one program"));
    EXPECT_THAT(error_of(test::with("journal", "{ retention_days: 3 }")),
                HasSubstr("journal.dir (line 5): missing required value"));
    EXPECT_THAT(error_of(test::with("redis", "{ key_prefix: p }")),
                HasSubstr("redis.url (line 3): missing required value"));
    EXPECT_THAT(error_of(""), HasSubstr("listen"));
    EXPECT_THAT(error_of(std::string(minimal_config) + "providers: { ses: { topic_arns: [] } }\n"),
                HasSubstr("providers.ses.topic_arns (line 10): expected at least one topic ARN"));
}

TEST(SettingsLoader, RefusesMalformedDocumentsAndRepeatedKeys) {
    EXPECT_THAT(error_of("listen: [1,\n  2\nx: y"), HasSubstr("config: line "));
    EXPECT_EQ(error_of(std::string(minimal_config) + "listen: \"127.0.0.1:9\"\n"),
              "config: listen (line 10): repeated key");
}

TEST(SettingsLoader, ReadsListenAndPublicUrl) {
    const settings s = parse(test::with("listen", "\"[::1]:0\""));
    EXPECT_EQ(s.listen_host, "::1");
    EXPECT_EQ(s.listen_port, 0);
    for (const char* bad : {"localhost:80", "127.0.0.1", "127.0.0.1:65536", "1.2.3:8", "[::1]"})
        EXPECT_THAT(error_of(test::with("listen", std::string("\"") + bad + "\"")),
                    HasSubstr("listen (line 1): expected \"host:port\""))
            << bad;
    EXPECT_EQ(parse(test::with("public_url", "http://h/base/")).public_url, "http://h/base");
    for (const char* bad : {"ftp://h", "https://", "https:///x", "https://h/?a=1", "h.org"})
        EXPECT_THAT(error_of(test::with("public_url", bad)),
                    HasSubstr("public_url (line 2): expected an http:// or https:// URL"))
            << bad;
}

TEST(SettingsLoader, DefaultCountryMustBeSupported) {
    EXPECT_EQ(parse(std::string(minimal_config) + "default_country: CA\n").sms.default_country,
              "CA");
    EXPECT_THAT(error_of(std::string(minimal_config) + "default_country: FR\n"),
                HasSubstr("default_country (line 10): unsupported country"));
}

TEST(SettingsLoader, ProgramNamesAndReferencesAreChecked) {
    EXPECT_THAT(error_of(test::with("programs", "{ District: {} }")),
                HasSubstr("programs.District (line 7): a program name is made of"));
    EXPECT_THAT(error_of(test::with("programs", "{ district: { default: maybe } }")),
                HasSubstr("programs.district.default (line 7): expected opted_in or opted_out"));
    EXPECT_EQ(
        error_of(std::string(minimal_config) + "sms:\n  short_codes: { \"60680\": weather }\n"),
        "config: sms.short_codes.60680 (line 11): unknown program \"weather\" (configured: "
        "district, emergency)");
    EXPECT_THAT(
        error_of(std::string(minimal_config) + "voice: { programs: [district, district] }\n"),
        HasSubstr("voice.programs[1] (line 10): repeated program"));
    EXPECT_THAT(error_of(std::string(minimal_config) + "email:\n  groups:\n    \"41\": alerts\n"),
                HasSubstr("email.groups.41 (line 12): unknown program"));
    EXPECT_THAT(error_of(std::string(minimal_config) + "email: { groups: { asm: district } }\n"),
                HasSubstr("email.groups.asm (line 10): expected a numeric group id"));
}

TEST(SettingsLoader, ReadsTheSmsSection) {
    const settings s = parse(std::string(minimal_config) + R"(sms:
  short_codes: { 60680: district, "+1 (651) 555-0100": emergency }
  contained_opt_out: false
  replies: { help: "Call 651-555-0000." }
  keywords: { opt_out: ["  halt! ", STOP], opt_in: [resume], help: [aide] }
)");
    EXPECT_EQ(s.sms.short_codes.at("60680"), "district");
    EXPECT_EQ(s.sms.short_codes.at("+16515550100"), "emergency");
    EXPECT_FALSE(s.sms.keywords.contained_opt_out());
    EXPECT_EQ(s.sms.replies.at("en").help, "Call 651-555-0000.");
    EXPECT_THAT(s.sms.replies.at("en").opt_in, HasSubstr("Reply STOP to unsubscribe"));
    for (const auto& [text, kind] :
         {std::pair{"Halt!", keyword_kind::opt_out}, std::pair{"resume", keyword_kind::opt_in},
          std::pair{"AIDE", keyword_kind::help}, std::pair{"stop", keyword_kind::opt_out}}) {
        const auto k = s.sms.keywords.classify(text);
        EXPECT_EQ(k.kind, kind) << text;
        EXPECT_EQ(k.language, "en") << text;
    }

    EXPECT_FALSE(
        parse(std::string(minimal_config) + "sms: { replies: off }\n").sms.replies_enabled);
    EXPECT_THAT(
        error_of(std::string(minimal_config) + "sms: { keywords: { opt_out: [start] } }\n"),
        HasSubstr("sms.keywords.opt_out[0] (line 10): \"START\" already means opt_in in en"));
    EXPECT_THAT(error_of(std::string(minimal_config) + "sms: { keywords: { help: [Alto] } }\n"),
                HasSubstr("sms.keywords.help[0] (line 10): \"ALTO\" already means opt_out in es"));
    EXPECT_THAT(
        error_of(std::string(minimal_config) + "sms: { short_codes: { 6o680: district } }\n"),
        HasSubstr("sms.short_codes.6o680 (line 10): expected a short code"));
}

TEST(SettingsLoader, NormalisesHotlines) {
    const settings s = parse(std::string(minimal_config) +
                             "voice: { hotlines: [\"855-502-7867\"], programs: [emergency] }\n");
    EXPECT_EQ(s.voice.hotlines, std::vector<std::string>{"+18555027867"});
    EXPECT_EQ(s.voice.programs, std::vector<std::string>{"emergency"});
    EXPECT_THAT(error_of(std::string(minimal_config) + "voice:\n  hotlines: [\"+1855\"]\n"),
                HasSubstr("voice.hotlines[0] (line 11): expected a phone number"));
}

TEST(SettingsLoader, ValidatesApiKeys) {
    const std::string hash(64, 'a');
    const auto keys = [&](const std::string& list) {
        return std::string(minimal_config) + "api_keys:\n" + list;
    };
    EXPECT_EQ(parse(keys("  - { name: a, sha256: " + hash + ", roles: [check, check] }\n"))
                  .api_keys[0]
                  .roles,
              std::vector<role>{role::check});
    EXPECT_THAT(
        error_of(keys("  - { name: a, sha256: " + std::string(64, 'A') + ", roles: [check] }\n")),
        HasSubstr("api_keys[0].sha256 (line 11): expected 64 lower-case hex digits"));
    EXPECT_THAT(error_of(keys("  - { name: a, sha256: abc, roles: [check] }\n")),
                HasSubstr("api_keys[0].sha256 (line 11)"));
    EXPECT_THAT(error_of(keys("  - { name: a, sha256: " + hash + ", roles: [root] }\n")),
                HasSubstr("api_keys[0].roles[0] (line 11): expected check, admin, audit or feed"));
    EXPECT_THAT(error_of(keys("  - { name: a, sha256: " + hash + ", roles: [] }\n")),
                HasSubstr("api_keys[0].roles (line 11): expected at least one role"));
    EXPECT_THAT(
        error_of(keys("  - { name: a, sha256: " + hash + ", roles: [check] }\n" +
                      "  - { name: a, sha256: " + std::string(64, 'b') + ", roles: [check] }\n")),
        HasSubstr("api_keys[1].name (line 12): repeated api key name"));
    EXPECT_THAT(error_of(keys("  - { name: a, roles: [check] }\n")),
                HasSubstr("api_keys[0].sha256 (line 11): missing required value"));
}

TEST(SettingsLoader, ResolvesRelativePathsAgainstTheConfigDirectory) {
    const auto journal_dir = [](const std::string& dir) {
        return parse(test::with("journal", "{ dir: \"" + dir + "\" }"), "/etc/optgate").journal.dir;
    };
    EXPECT_EQ(journal_dir("journal"), "/etc/optgate/journal");
    EXPECT_EQ(journal_dir("../journal"), "/etc/journal");
    EXPECT_EQ(journal_dir("/var/lib/optgate/journal"), "/var/lib/optgate/journal");
    const test::sns_certificate_file sns;
    const settings s = parse(std::string(minimal_config) +
                                 "providers: { ses: { topic_arns: [\"arn:aws:sns:us-east-2:1:t\"], "
                                 "certificate_file: sns.pem } }\n",
                             sns.dir());
    EXPECT_EQ(s.providers.ses->certificate_file, sns.path());
    EXPECT_THAT(error_of(std::string(minimal_config) +
                         "providers: { ses: { topic_arns: [sns], certificate_file: a } }\n"),
                HasSubstr("providers.ses.topic_arns[0] (line 10): expected an SNS topic ARN"));
}

TEST(SettingsLoader, ReadsLimitsAndLog) {
    const settings s = parse(std::string(minimal_config) +
                             "limits: { max_connections: 10, request_timeout_seconds: 5, "
                             "check_timeout_seconds: 60, max_check_recipients: 2000000, "
                             "max_unsubscribe_links: 5000 }\nlog: { level: warn, format: json }\n");
    EXPECT_EQ(s.limits.max_connections, 10u);
    EXPECT_EQ(s.limits.max_check_recipients, 2'000'000u);
    EXPECT_EQ(s.limits.max_unsubscribe_links, 5000u);
    EXPECT_EQ(s.limits.request_timeout, std::chrono::seconds(5));
    EXPECT_EQ(s.limits.check_timeout, std::chrono::seconds(60));
    EXPECT_EQ(s.log.level, "warn");
    EXPECT_TRUE(s.log.json);
    EXPECT_FALSE(parse(minimal_config).log.json);
}

}  // namespace
}  // namespace optgate::test
