// The `redis.sentinel` section: what it accepts, that the URL still gives database and
// credentials, and that every refusal names the key and its line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/settings_loader.hpp"
#include "config_test_text.hpp"

namespace optgate::test {
namespace {

using ::testing::HasSubstr;

// minimal_config with its redis section moved to the end: `redis:` on line 8, the url on
// line 9, the sentinel lines from line 10.
std::string with_sentinel(const std::string& sentinel_lines,
                          const std::string& url = "redis://:s3cret@optgate-master/2") {
    return test::without("redis") + "redis:\n  url: \"" + url + "\"\n" + sentinel_lines;
}

TEST(SettingsSentinel, WithoutTheSectionOrWithAnEmptyOneThereIsNoSentinel) {
    EXPECT_FALSE(parse(test::minimal_config).redis.sentinel);
    const settings s = parse(with_sentinel("  sentinel:\n  #  master: m\n"));
    EXPECT_FALSE(s.redis.sentinel);
    EXPECT_EQ(s.redis.host, "optgate-master");
}

TEST(SettingsSentinel, ReadsTheMasterNameAndTheAddressesInOrder) {
    const settings s = parse(with_sentinel(R"(  sentinel:
    master: optgate-master
    addresses: ["10.0.0.11:26379", "sentinel-b.internal:26380", "[::1]:26381"]
)"));
    ASSERT_TRUE(s.redis.sentinel);
    EXPECT_EQ(s.redis.sentinel->master, "optgate-master");
    ASSERT_EQ(s.redis.sentinel->addresses.size(), 3u);
    EXPECT_EQ(s.redis.sentinel->addresses[0].host, "10.0.0.11");
    EXPECT_EQ(s.redis.sentinel->addresses[0].port, 26379);
    EXPECT_EQ(s.redis.sentinel->addresses[1].host, "sentinel-b.internal");
    EXPECT_EQ(s.redis.sentinel->addresses[1].port, 26380);
    EXPECT_EQ(s.redis.sentinel->addresses[2].host, "::1");
    EXPECT_EQ(s.redis.sentinel->addresses[2].port, 26381);
    // The URL still gives the database and the master's credentials.
    EXPECT_EQ(s.redis.database, 2);
    EXPECT_EQ(s.redis.password, "s3cret");
    EXPECT_TRUE(s.redis.username.empty());
}

TEST(SettingsSentinel, TheUrlIsStillRequired) {
    const std::string text =
        test::without("redis") +
        "redis:\n  sentinel: { master: m, addresses: [\"127.0.0.1:26379\"] }\n";
    EXPECT_THAT(error_of(text), HasSubstr("config: redis.url (line 8): missing required value"));
}

TEST(SettingsSentinel, AnEmptyOrMissingMasterNameIsRefused) {
    EXPECT_EQ(error_of(with_sentinel("  sentinel:\n    master: \"\"\n"
                                     "    addresses: [\"127.0.0.1:26379\"]\n")),
              "config: redis.sentinel.master (line 11): expected the name the sentinels monitor");
    EXPECT_THAT(error_of(with_sentinel("  sentinel:\n    addresses: [\"127.0.0.1:26379\"]\n")),
                HasSubstr("redis.sentinel.master (line 10): missing required value"));
}

TEST(SettingsSentinel, NoAddressesIsRefused) {
    EXPECT_EQ(error_of(with_sentinel("  sentinel:\n    master: m\n    addresses: []\n")),
              "config: redis.sentinel.addresses (line 12): expected at least one sentinel "
              "address");
    EXPECT_THAT(error_of(with_sentinel("  sentinel:\n    master: m\n")),
                HasSubstr("redis.sentinel.addresses (line 10): missing required value"));
    EXPECT_THAT(error_of(with_sentinel("  sentinel:\n    master: m\n    addresses: a:1\n")),
                HasSubstr("redis.sentinel.addresses (line 12): expected a list"));
}

TEST(SettingsSentinel, AnAddressMustBeHostColonPort) {
    const auto address_error = [](const std::string& address) {
        return error_of(with_sentinel(
            "  sentinel:\n    master: m\n    addresses: [\"127.0.0.1:1\", \"" + address + "\"]\n"));
    };
    for (const std::string bad : {"127.0.0.1", "sentinel-a", ":26379", "a b:26379", "::1:26379",
                                  "[::1]", "[zz]:1", "redis://10.0.0.1:26379"})
        EXPECT_EQ(address_error(bad),
                  "config: redis.sentinel.addresses[1] (line 12): expected \"host:port\" or "
                  "\"[IPv6]:port\"")
            << bad;
    for (const std::string bad :
         {"10.0.0.1:0", "10.0.0.1:65536", "10.0.0.1:2637x", "host:", "[::1]:"})
        EXPECT_EQ(address_error(bad),
                  "config: redis.sentinel.addresses[1] (line 12): the port must be from 1 to "
                  "65535")
            << bad;
}

TEST(SettingsSentinel, UnknownKeysAreRefused) {
    EXPECT_EQ(error_of(with_sentinel("  sentinel:\n    master: m\n    addresses: [\"a:1\"]\n"
                                     "    password: x\n")),
              "config: redis.sentinel.password (line 13): unknown key");
}

TEST(SettingsSentinel, RefusalsNeverRepeatTheUrlPassword) {
    const std::string message =
        error_of(with_sentinel("  sentinel: { master: m, addresses: [] }\n"));
    EXPECT_THAT(message, HasSubstr("expected at least one sentinel address"));
    EXPECT_THAT(message, ::testing::Not(HasSubstr("s3cret")));
}

}  // namespace
}  // namespace optgate::test
