// SIGHUP reloads the configuration (keys, replies, keywords, providers) without dropping
// connections; a config that does not load is refused and the running one stays; a request
// in flight keeps the config it started with, however often it is replaced.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <thread>

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

// What a check of `recipients` must answer: those at `denied` opted out, every other allowed.
::testing::AssertionResult answers_correctly(const http_result& result,
                                             const std::vector<std::string>& recipients,
                                             const std::vector<std::size_t>& denied) {
    if (result.status != 200)
        return ::testing::AssertionFailure() << result.status << " " << result.body.substr(0, 300);
    boost::system::error_code ec;
    const auto body = json::parse(result.body, ec);
    const auto* results =
        !ec && body.is_object() ? body.as_object().if_contains("results") : nullptr;
    if (!results || !results->is_array() || results->as_array().size() != recipients.size())
        return ::testing::AssertionFailure()
               << "not " << recipients.size() << " results: " << result.body.substr(0, 300);
    std::size_t next_denied = 0;
    for (std::size_t i = 0; i < recipients.size(); ++i) {
        const auto& r = results->as_array()[i].as_object();
        const bool expect_denied = next_denied < denied.size() && denied[next_denied] == i;
        if (expect_denied) ++next_denied;
        const char* reason = expect_denied ? "opted_out" : "default";
        if (text_of(r, "address") != recipients[i] || text_of(r, "reason") != reason ||
            value_of(r, "allowed") != json::value(!expect_denied))
            return ::testing::AssertionFailure()
                   << "result " << i << " is " << json::serialize(r) << ", expected " << reason;
    }
    return ::testing::AssertionSuccess();
}

TEST_F(Reload, ChecksInFlightAnswerCorrectlyWhileProgramsAreReloadedAgainAndAgain) {
    // A check holds its program while it waits for Redis; a SIGHUP meanwhile replaces the
    // config and frees the old one. Every check must still answer from the program it
    // started with (run under AddressSanitizer, a read of the freed config fails it).
    const auto daemon = start_daemon();
    std::vector<std::string> recipients;
    for (unsigned i = 0; i < 5000; ++i) {
        char number[16];
        std::snprintf(number, sizeof number, "+1651555%04u", i);
        recipients.emplace_back(number);
    }
    const std::vector<std::size_t> denied{0, 2500, 4999};
    for (unsigned n = 0; n < denied.size(); ++n)
        ASSERT_EQ(
            send_sms(*daemon, recipients[denied[n]], district_code, "STOP", message_sid(n)).status,
            200);
    // The programs change on every reload (district keeps its default): the running
    // config's program list is a new allocation each time, and the last one is freed.
    const auto original = default_test_config(redis().url(), key_prefix());
    auto more_programs = original;
    const std::string programs = "programs:\n";
    more_programs.insert(more_programs.find(programs) + programs.size(),
                         "  sports: { default: opted_out }\n  arts: { default: opted_out }\n");

    std::atomic<bool> reloading{true};
    std::atomic<int> checks{0}, wrong{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c)
        clients.emplace_back([&] {
            while (reloading) {
                const auto result = post_check(*daemon, "sms", "district", recipients);
                ++checks;
                if (const auto correct = answers_correctly(result, recipients, denied); !correct) {
                    if (wrong++ == 0) ADD_FAILURE() << correct.message();
                }
            }
        });
    // At least 40 reloads, on until 8 checks have answered across them (a sanitized build
    // answers a 5,000-recipient check slower than 40 reloads take), ending on the original.
    constexpr int reloads = 40;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const auto more_to_do = [&](int done) {
        return done < reloads || done % 2 == 1 ||
               (checks < 8 && std::chrono::steady_clock::now() < deadline);
    };
    int done = 0;
    for (; more_to_do(done); ++done) {
        daemon->reload(done % 2 == 0 ? more_programs : original);
        const auto reloaded = [&] {
            std::size_t count = 0;
            const auto log = daemon->log_text();
            for (auto pos = log.find("reloaded"); pos != std::string::npos;
                 pos = log.find("reloaded", pos + 1))
                ++count;
            return count > std::size_t(done);
        };
        if (!wait_until(reloaded, std::chrono::seconds(10))) break;
    }
    reloading = false;
    for (auto& t : clients) t.join();
    EXPECT_GE(done, reloads) << "a reload was not logged\n" << daemon->log_text().substr(0, 4000);
    EXPECT_EQ(wrong, 0) << "of " << checks << " checks";
    EXPECT_GE(checks, 8);
    // The last config (the original programs) is the one that runs now.
    EXPECT_TRUE(
        is_error(post_check(*daemon, "sms", "sports", {recipients[1]}), 400, "malformed_request"));
}

}  // namespace
}  // namespace optgate::testing
