// Secrets in the configuration: inline, `${ENV_VAR}` and `<key>_file`, the Redis URL that may
// carry a password, and the promise that no refusal ever repeats a secret.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "config/settings_loader.hpp"
#include "config_test_text.hpp"

namespace optgate::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string with_twilio(const std::string& fields) {
    return std::string(minimal_config) + "providers: { twilio: { " + fields + " } }\n";
}

std::string with_redis(const std::string& fields) {
    return test::with("redis", "{ " + fields + " }");
}

// Each test gets its own directory for secret files, removed afterwards.
class SettingsSecret : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = std::filesystem::temp_directory_path() /
               ("optgate-config-" + std::to_string(::getpid()) + "-" + info->name());
        std::filesystem::create_directories(dir_ / "secrets");
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    void write(const std::string& name, const std::string& content) {
        std::ofstream(dir_ / name, std::ios::binary) << content;
    }

    std::filesystem::path dir_;
};

TEST_F(SettingsSecret, ReadsInlineSecrets) {
    const settings s = parse(with_twilio("auth_token: \"inline-token\""));
    EXPECT_EQ(s.providers.twilio->auth_token, "inline-token");
}

TEST_F(SettingsSecret, ReadsAWholeValueEnvironmentVariable) {
    ::setenv("OPTGATE_TEST_TWILIO", "token-from-env", 1);
    ::setenv("OPTGATE_TEST_REDIS", "redis://:pw@10.0.0.5:6380/2", 1);
    const settings s = parse(test::with("redis", "{ url: \"${OPTGATE_TEST_REDIS}\" }") +
                             "providers: { twilio: { auth_token: \"${OPTGATE_TEST_TWILIO}\" } }\n");
    EXPECT_EQ(s.providers.twilio->auth_token, "token-from-env");
    EXPECT_EQ(s.redis.host, "10.0.0.5");
    EXPECT_EQ(s.redis.password, "pw");
    EXPECT_EQ(s.redis.database, 2);
    // Only the whole value names a variable: anything else is taken as written.
    EXPECT_EQ(
        parse(with_twilio("auth_token: \"a${OPTGATE_TEST_TWILIO}\"")).providers.twilio->auth_token,
        "a${OPTGATE_TEST_TWILIO}");
    ::unsetenv("OPTGATE_TEST_TWILIO");
    ::unsetenv("OPTGATE_TEST_REDIS");
}

TEST_F(SettingsSecret, AnUnsetOrEmptyVariableIsNamed) {
    ::unsetenv("OPTGATE_TEST_UNSET");
    EXPECT_EQ(error_of(with_twilio("auth_token: \"${OPTGATE_TEST_UNSET}\"")),
              "config: providers.twilio.auth_token (line 10): environment variable "
              "OPTGATE_TEST_UNSET is not set");
    ::setenv("OPTGATE_TEST_EMPTY", "", 1);
    EXPECT_THAT(error_of(with_twilio("auth_token: \"${OPTGATE_TEST_EMPTY}\"")),
                HasSubstr("environment variable OPTGATE_TEST_EMPTY is empty"));
    ::unsetenv("OPTGATE_TEST_EMPTY");
    EXPECT_THAT(error_of(with_twilio("auth_token: \"${NOT A NAME}\"")),
                HasSubstr("providers.twilio.auth_token (line 10): expected ${ENV_VAR}"));
    EXPECT_THAT(error_of(with_twilio("auth_token: \"\"")),
                HasSubstr("providers.twilio.auth_token (line 10): is empty"));
}

TEST_F(SettingsSecret, ReadsFilesDroppingOneTrailingNewline) {
    write("secrets/twilio", "file-token\n");
    write("secrets/postmark-password", "line\n\n");
    write("unsubscribe", "link-secret");
    write("redis-url", "redis://user:p%40ss@cache.internal/1\n");
    const settings s = parse(test::with("redis", "{ url_file: redis-url }") +
                                 "providers:\n"
                                 "  twilio: { auth_token_file: secrets/twilio }\n"
                                 "  postmark: { username: pm, password_file: " +
                                 (dir_ / "secrets/postmark-password").string() +
                                 " }\n"
                                 "unsubscribe_links: { secret_file: ./unsubscribe }\n",
                             dir_);
    EXPECT_EQ(s.providers.twilio->auth_token, "file-token");
    EXPECT_EQ(s.providers.postmark->username, "pm");
    EXPECT_EQ(s.providers.postmark->password, "line\n");
    EXPECT_EQ(s.unsubscribe_links->secret, "link-secret");
    EXPECT_EQ(s.redis.username, "user");
    EXPECT_EQ(s.redis.password, "p@ss");
    EXPECT_EQ(s.redis.host, "cache.internal");
}

TEST_F(SettingsSecret, AnUnreadableFileIsNamedWithItsPath) {
    const std::string missing = (dir_ / "secrets/absent").string();
    EXPECT_EQ(error_of(with_twilio("auth_token_file: " + missing)),
              "config: providers.twilio.auth_token_file (line 10): cannot read " + missing +
                  ": No such file or directory");
    EXPECT_THAT(error_of(with_twilio("auth_token_file: " + (dir_ / "secrets").string())),
                HasSubstr("is a directory"));
    write("empty", "\n");
    EXPECT_THAT(error_of(with_twilio("auth_token_file: " + (dir_ / "empty").string())),
                HasSubstr("providers.twilio.auth_token_file (line 10): file "));
}

TEST_F(SettingsSecret, BothFormsAtOnceAreRefused) {
    write("token", "from-file");
    EXPECT_EQ(error_of(with_twilio("auth_token: x, auth_token_file: " + (dir_ / "token").string())),
              "config: providers.twilio.auth_token_file (line 10): give auth_token or "
              "auth_token_file, not both");
}

TEST_F(SettingsSecret, LoadSettingsResolvesAgainstTheFilesDirectory) {
    write("secrets/twilio", "t\n");
    write("optgate.yaml", test::with("journal", "{ dir: journal }") +
                              "providers: { twilio: { auth_token_file: secrets/twilio } }\n");
    const settings s = load_settings(dir_ / "optgate.yaml");
    EXPECT_EQ(s.journal.dir, (dir_ / "journal").string());
    EXPECT_EQ(s.providers.twilio->auth_token, "t");
    EXPECT_THROW(load_settings(dir_ / "absent.yaml"), config_error);
    EXPECT_THROW(load_settings(dir_), config_error);
}

TEST_F(SettingsSecret, NoRefusalRepeatsTheSecret) {
    const std::string secret = "S3CRET-d0-not-print";
    write("url", "redis://:" + secret + "@host:99999/0\n");
    ::setenv("OPTGATE_TEST_SECRET_URL", ("rediss://:" + secret + "@host").c_str(), 1);
    for (const std::string& text : {
             with_redis("url: \"redis://:" + secret + "@host:0\""),
             with_redis("url: \"redis://" + secret + "@host\""),
             with_redis("url: \"redis://:" + secret + "@host/db\""),
             with_redis("url: \"redis://:" + secret + "@host?timeout=1\""),
             with_redis("url: \"http://:" + secret + "@host\""),
             with_redis("url: \"" + secret + "\""),
             with_redis("url: \"${OPTGATE_TEST_SECRET_URL}\""),
             with_redis("url_file: " + (dir_ / "url").string()),
             with_redis("url: \"redis://h\", url_file: \"" + secret + "\""),
             with_twilio("auth_token: \"" + secret + "\", auth_token_file: /nonexistent"),
             with_twilio("auth_token: [\"" + secret + "\"]"),
             with_twilio("auth_token: \"" + secret + "\", token: \"x\""),
             std::string(minimal_config) + "unsubscribe_links: { secret: { s: " + secret + " } }\n",
         }) {
        const std::string message = error_of(text);
        EXPECT_THAT(message, HasSubstr("config: ")) << text;
        EXPECT_THAT(message, Not(HasSubstr(secret))) << message;
    }
    ::unsetenv("OPTGATE_TEST_SECRET_URL");
}

struct redis_url_case {
    std::string url;
    std::string host;
    int port;
    int database;
    std::string username;
    std::string password;
};

TEST(SettingsRedisUrl, ReadsEveryForm) {
    for (const auto& c : std::vector<redis_url_case>{
             {"redis://cache", "cache", 6379, 0, "", ""},
             {"redis://127.0.0.1:6390/0", "127.0.0.1", 6390, 0, "", ""},
             {"redis://cache/7", "cache", 6379, 7, "", ""},
             {"redis://cache:6380/", "cache", 6380, 0, "", ""},
             {"redis://:pw@cache", "cache", 6379, 0, "", "pw"},
             {"redis://optgate:pw@cache:1/3", "cache", 1, 3, "optgate", "pw"},
             {"redis://u:a%3Ab%2Fc@cache", "cache", 6379, 0, "u", "a:b/c"},
             {"redis://u:p@ss@cache", "cache", 6379, 0, "u", "p@ss"},
             {"redis://[::1]:6379/1", "::1", 6379, 1, "", ""},
             {"redis://[fe80::1]", "fe80::1", 6379, 0, "", ""},
         }) {
        const settings s = parse(with_redis("url: \"" + c.url + "\", key_prefix: \"t:\""));
        EXPECT_EQ(s.redis.host, c.host) << c.url;
        EXPECT_EQ(s.redis.port, c.port) << c.url;
        EXPECT_EQ(s.redis.database, c.database) << c.url;
        EXPECT_EQ(s.redis.username, c.username) << c.url;
        EXPECT_EQ(s.redis.password, c.password) << c.url;
        EXPECT_EQ(s.redis.key_prefix, "t:");
    }
}

TEST(SettingsRedisUrl, RefusesWhatItCannotConnectTo) {
    EXPECT_EQ(error_of(with_redis("url: \"rediss://cache:6380\"")),
              "config: redis.url (line 3): TLS (rediss://) is not supported: reach Redis over a "
              "private network or a TLS tunnel, with redis://");
    for (const char* bad :
         {"http://cache", "redis://", "redis://:6379", "redis://cache:0", "redis://cache:65536",
          "redis://cache:", "redis://cache:port", "redis://cache/db", "redis://user@cache",
          "redis://u:%zz@cache", "redis://cache?db=1", "redis://::1", "redis://[::1", "redis://[x]",
          "redis://[::1]x"})
        EXPECT_THAT(error_of(with_redis(std::string("url: \"") + bad + "\"")),
                    HasSubstr("config: redis.url (line 3): "))
            << bad;
}

}  // namespace
}  // namespace optgate::test
