// SIGHUP: what waits for a restart. (That the rest reaches the routes at once is
// tests/unit/http/live_reload_test.cpp.)
#include <gtest/gtest.h>

#include "config/settings_reload.hpp"

namespace optgate {
namespace {

settings running_settings() {
    settings s;
    s.listen_host = "127.0.0.1";
    s.listen_port = 8080;
    s.redis.host = "10.0.0.5";
    s.journal.dir = "/var/lib/optgate/journal";
    s.sms.replies["en"].opt_out = "old reply";
    s.api_keys.push_back({"office", std::string(64, 'a'), {role::admin}});
    return s;
}

TEST(SettingsReload, ListenRedisJournalAndLimitsWaitForARestart) {
    const auto running = running_settings();
    auto reloaded = running;
    reloaded.listen_host = "0.0.0.0";
    reloaded.listen_port = 9090;
    reloaded.redis.host = "10.0.0.6";
    reloaded.journal.dir = "/elsewhere";
    reloaded.limits.max_connections = 7;
    reloaded.sms.replies["en"].opt_out = "new reply";
    const auto result = apply_reload(running, reloaded);
    EXPECT_EQ(result.kept_until_restart,
              (std::vector<std::string>{"listen", "redis", "journal", "limits"}));
    EXPECT_EQ(result.next.listen_host, "127.0.0.1");
    EXPECT_EQ(result.next.listen_port, 8080);
    EXPECT_EQ(result.next.redis.host, "10.0.0.5");
    EXPECT_EQ(result.next.journal.dir, "/var/lib/optgate/journal");
    EXPECT_EQ(result.next.limits.max_connections, 1024u);
    EXPECT_EQ(result.next.sms.replies.at("en").opt_out, "new reply");  // the rest still applies
}

}  // namespace
}  // namespace optgate
