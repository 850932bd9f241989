// SIGHUP reloads the configuration (keys, replies, keywords, providers) without dropping
// connections; a config that does not load is refused and the running one stays.
#include <gtest/gtest.h>

#include "core/digest.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/raw_connection.hpp"

namespace optgate::testing {
namespace {

constexpr const char* new_key = "key-added-by-reload";
constexpr const char* new_reply = "Reloaded district: no more texts.";

class Reload : public e2e_test {
  protected:
    std::string config_with_new_key_and_reply() const {
        auto yaml = default_test_config(redis().url(), key_prefix());
        const std::string old_reply = opt_out_reply;
        yaml.replace(yaml.find(old_reply), old_reply.size(), new_reply);
        const std::string keys = "api_keys:\n";
        yaml.insert(
            yaml.find(keys) + keys.size(),
            "  - { name: added, sha256: \"" + to_hex(sha256(new_key)) + "\", roles: [admin] }\n");
        return yaml;
    }
};

TEST_F(Reload, NewKeysAndRepliesApplyWithoutDroppingConnections) {
    const auto daemon = start_daemon();
    const auto consent = api_call("GET", "/v1/consent/%2B16515550100", new_key);
    EXPECT_EQ(daemon->request(consent).status, 401);

    raw_connection kept_open(daemon->port());  // opened before the reload, kept alive across it
    ASSERT_TRUE(kept_open.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_FALSE(kept_open.read_until("\"ok\"", std::chrono::seconds(5)).bytes.empty());

    daemon->reload(config_with_new_key_and_reply());
    EXPECT_TRUE(wait_until([&] { return daemon->request(consent).status == 200; },
                           std::chrono::seconds(10)))
        << daemon->log_text();
    EXPECT_EQ(send_sms(*daemon, "+16515550100", district_code, "STOP", message_sid(1)).body,
              twiml_message(new_reply));
    // The keys the new config still lists keep working.
    EXPECT_EQ(daemon->request(api_call("GET", "/v1/consent/%2B16515550100", test_api_key)).status,
              200);

    ASSERT_TRUE(kept_open.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto again = kept_open.read_until("\"ok\"", std::chrono::seconds(5));
    EXPECT_FALSE(again.closed) << "the reload dropped a connection";
    EXPECT_NE(again.bytes.find("200 OK"), std::string::npos);
}

TEST_F(Reload, ABadConfigIsRefusedAndTheRunningOneStays) {
    const auto daemon = start_daemon();
    daemon->reload(default_test_config(redis().url(), key_prefix()) + "unknown_option: 1\n");
    EXPECT_TRUE(wait_until([&] { return daemon->log_text().find("refused") != std::string::npos; },
                           std::chrono::seconds(10)));
    EXPECT_NE(daemon->log_text().find("unknown_option"), std::string::npos);
    EXPECT_EQ(send_sms(*daemon, "+16515550100", district_code, "STOP", message_sid(1)).body,
              twiml_message(opt_out_reply));
    EXPECT_EQ(daemon->request(api_call("GET", "/readyz", "")).status, 200);
}

TEST_F(Reload, WhereItListensAndItsRedisWaitForARestart) {
    const auto daemon = start_daemon();
    auto yaml = default_test_config(redis().url(), key_prefix());
    const std::string journal = "journal: { dir: \"{journal_dir}\" }";
    yaml.replace(yaml.find(journal), journal.size(),
                 "journal: { dir: \"{journal_dir}\", retention_days: 3 }");
    daemon->reload(yaml);
    EXPECT_TRUE(wait_until(
        [&] {
            return daemon->log_text().find(
                       "journal changed; it takes effect on the next restart") != std::string::npos;
        },
        std::chrono::seconds(10)))
        << daemon->log_text();
    EXPECT_EQ(daemon->request(api_call("GET", "/readyz", "")).status, 200);
}

}  // namespace
}  // namespace optgate::testing
