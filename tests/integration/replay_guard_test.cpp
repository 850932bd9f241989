// replay_guard against a real redis-server: a token is bound to the fingerprint of its first
// request, for its window, under the prefix; the same request again is let through, any other
// is a replay; scopes do not collide; and a Redis that cannot answer is an error.
#include <gtest/gtest.h>

#include "adapters/redis/replay_guard.hpp"
#include "tests/integration/redis_test_support.hpp"

namespace optgate::testing {
namespace {

struct bind_result {
    std::error_code ec;
    std::optional<token_use> use;
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

    bind_result bind(const std::string& scope, const std::string& token,
                     const std::string& fingerprint = "request-a",
                     std::chrono::milliseconds window = 60s) {
        auto promise = std::make_shared<std::promise<bind_result>>();
        auto future = promise->get_future();
        guard_->bind(scope, token, fingerprint, window,
                     [promise](std::error_code ec, token_use use) {
                         promise->set_value({ec, ec ? std::nullopt : std::optional(use)});
                     });
        return wait_for_result(future).value_or(
            bind_result{std::make_error_code(std::errc::timed_out), std::nullopt});
    }

    std::shared_ptr<redis_connection> connection_;
    std::unique_ptr<replay_guard> guard_;
};

TEST_F(replay_guard_test, ATokenIsBoundToItsFirstRequestForItsWindowUnderThePrefix) {
    const auto first = bind("mailgun", "token-1", "request-a", 20min);
    ASSERT_FALSE(first.ec) << first.ec.message();
    EXPECT_EQ(first.use, token_use::first);
    // The same request again (the provider's retry) is let through; any other is a replay.
    EXPECT_EQ(bind("mailgun", "token-1", "request-a", 20min).use, token_use::again);
    EXPECT_EQ(bind("mailgun", "token-1", "request-b", 20min).use, token_use::other);
    EXPECT_EQ(bind("mailgun", "token-1", "request-a", 20min).use, token_use::again);
    EXPECT_EQ(bind("mailgun", "token-2", "request-b").use, token_use::first);

    const std::string key = prefix_ + "{mailgun}:token:token-1";
    EXPECT_EQ(server().command({"GET", key}).str, "request-a");
    const auto ttl = server().command({"PTTL", key}).integer;
    EXPECT_GT(ttl, 19 * 60 * 1000);
    EXPECT_LE(ttl, 20 * 60 * 1000);
}

TEST_F(replay_guard_test, ATokenExpiresWithItsWindow) {
    ASSERT_EQ(bind("mailgun", "token-1", "request-a", 50ms).use, token_use::first);
    const std::string key = prefix_ + "{mailgun}:token:token-1";
    ASSERT_TRUE(wait_until([&] { return server().command({"EXISTS", key}).integer == 0; }, 5s));
    EXPECT_EQ(bind("mailgun", "token-1", "request-b").use, token_use::first);
}

TEST_F(replay_guard_test, ScopesAndBinaryTokensDoNotCollide) {
    EXPECT_EQ(bind("mailgun", "shared").use, token_use::first);
    EXPECT_EQ(bind("other", "shared", "request-b").use, token_use::first);
    const std::string with_nul("a\0b", 3);
    EXPECT_EQ(bind("mailgun", with_nul).use, token_use::first);
    EXPECT_EQ(bind("mailgun", "a", "request-b").use, token_use::first);
    EXPECT_EQ(bind("mailgun", with_nul, "request-b").use, token_use::other);
}

TEST_F(replay_guard_test, ARedisThatCannotAnswerIsAnErrorNotABinding) {
    redis_server own;  // stopped here, not the suite's
    connection_->stop();
    connect(own.port());
    own.stop();
    const auto refused = bind("mailgun", "token-1");
    EXPECT_TRUE(refused.ec);
    own.start();
    ASSERT_TRUE(wait_connected(*connection_));
    // Nothing was bound while Redis was away: another request may take the token.
    const auto later = bind("mailgun", "token-1", "request-b");
    EXPECT_FALSE(later.ec) << later.ec.message();
    EXPECT_EQ(later.use, token_use::first);
}

}  // namespace
}  // namespace optgate::testing
