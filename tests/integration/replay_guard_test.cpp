// replay_guard against a real redis-server: a token is claimed once, for its window, under
// the prefix; a freed token can be claimed again; scopes do not collide; and a Redis that
// cannot answer is an error, never a claim.
#include <gtest/gtest.h>

#include "adapters/redis/replay_guard.hpp"
#include "tests/integration/redis_test_support.hpp"

namespace optgate::testing {
namespace {

struct claim_result {
    std::error_code ec;
    bool claimed = false;
};

class replay_guard_test : public redis_suite {
  protected:
    void SetUp() override { connect(server().port()); }
    void TearDown() override {
        if (connection_) connection_->stop();
        io_.join();
    }

    void connect(std::uint16_t port) {
        connection_ = make_connection(io_.executor(), port);
        ASSERT_TRUE(wait_connected(*connection_)) << "no connection to the test redis";
        guard_ = std::make_unique<replay_guard>(connection_, prefix_);
    }

    claim_result claim(const std::string& scope, const std::string& token,
                       std::chrono::milliseconds window = 60s) {
        auto promise = std::make_shared<std::promise<claim_result>>();
        auto future = promise->get_future();
        guard_->claim(scope, token, window, [promise](std::error_code ec, bool claimed) {
            promise->set_value({ec, claimed});
        });
        return wait_for_result(future).value_or(
            claim_result{std::make_error_code(std::errc::timed_out)});
    }

    std::error_code release(const std::string& scope, const std::string& token) {
        auto promise = std::make_shared<std::promise<std::error_code>>();
        auto future = promise->get_future();
        guard_->release(scope, token, [promise](std::error_code ec) { promise->set_value(ec); });
        return wait_for_result(future).value_or(std::make_error_code(std::errc::timed_out));
    }

    std::shared_ptr<redis_connection> connection_;
    std::unique_ptr<replay_guard> guard_;
};

TEST_F(replay_guard_test, ATokenIsClaimedOnceForItsWindowUnderThePrefix) {
    const auto first = claim("mailgun", "token-1", 20min);
    ASSERT_FALSE(first.ec) << first.ec.message();
    EXPECT_TRUE(first.claimed);
    const auto again = claim("mailgun", "token-1", 20min);
    ASSERT_FALSE(again.ec) << again.ec.message();
    EXPECT_FALSE(again.claimed);
    EXPECT_TRUE(claim("mailgun", "token-2").claimed);

    const std::string key = prefix_ + "{mailgun}:token:token-1";
    EXPECT_EQ(server().command({"GET", key}).str, "1");
    const auto ttl = server().command({"PTTL", key}).integer;
    EXPECT_GT(ttl, 19 * 60 * 1000);
    EXPECT_LE(ttl, 20 * 60 * 1000);
}

TEST_F(replay_guard_test, AReleasedTokenCanBeClaimedAgain) {
    ASSERT_TRUE(claim("mailgun", "token-1").claimed);
    EXPECT_FALSE(release("mailgun", "token-1"));
    EXPECT_EQ(server().command({"EXISTS", prefix_ + "{mailgun}:token:token-1"}).integer, 0);
    EXPECT_TRUE(claim("mailgun", "token-1").claimed);
    // Releasing a token nobody holds is harmless.
    EXPECT_FALSE(release("mailgun", "never-claimed"));
}

TEST_F(replay_guard_test, ATokenExpiresWithItsWindow) {
    ASSERT_TRUE(claim("mailgun", "token-1", 50ms).claimed);
    const std::string key = prefix_ + "{mailgun}:token:token-1";
    ASSERT_TRUE(wait_until([&] { return server().command({"EXISTS", key}).integer == 0; }, 5s));
    EXPECT_TRUE(claim("mailgun", "token-1").claimed);
}

TEST_F(replay_guard_test, ScopesAndBinaryTokensDoNotCollide) {
    EXPECT_TRUE(claim("mailgun", "shared").claimed);
    EXPECT_TRUE(claim("other", "shared").claimed);
    const std::string with_nul("a\0b", 3);
    EXPECT_TRUE(claim("mailgun", with_nul).claimed);
    EXPECT_TRUE(claim("mailgun", "a").claimed);
    EXPECT_FALSE(claim("mailgun", with_nul).claimed);
}

TEST_F(replay_guard_test, ARedisThatCannotAnswerIsAnErrorNotAClaim) {
    redis_server own;  // stopped here, not the suite's
    connection_->stop();
    connect(own.port());
    own.stop();
    const auto refused = claim("mailgun", "token-1");
    EXPECT_TRUE(refused.ec);
    EXPECT_FALSE(refused.claimed);
    own.start();
    ASSERT_TRUE(wait_connected(*connection_));
    // Nothing was claimed while Redis was away.
    const auto later = claim("mailgun", "token-1");
    EXPECT_FALSE(later.ec) << later.ec.message();
    EXPECT_TRUE(later.claimed);
}

}  // namespace
}  // namespace optgate::testing
