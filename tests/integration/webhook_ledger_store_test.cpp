// The webhooks' ledger against a real Redis: a lease is taken by one instance at a time, and
// given up (a clean stop) only by the instance that holds it.
#include <gtest/gtest.h>

#include "adapters/redis/webhook_ledger_store.hpp"
#include "tests/integration/redis_test_support.hpp"

namespace optgate::testing {
namespace {

using namespace std::chrono_literals;

class redis_webhook_ledger_test : public redis_suite {
  protected:
    void SetUp() override {
        connection_ = make_connection(io_.executor(), server().port());
        ASSERT_TRUE(wait_connected(*connection_)) << "no connection to the test redis";
        ledger_ = std::make_unique<webhook_ledger_store>(connection_, prefix_);
    }
    void TearDown() override {
        if (connection_) connection_->stop();
        io_.join();
    }

    // Whether `instance` holds the lease after its claim.
    bool claim(const std::string& instance) {
        auto held = std::make_shared<std::promise<bool>>();
        auto future = held->get_future();
        ledger_->claim("sis", instance, "fingerprint", 15s,
                       [held](std::error_code ec, bool h, const webhook_state&) {
                           EXPECT_FALSE(ec) << ec.message();
                           held->set_value(h);
                       });
        return wait_for_result(future).value_or(false);
    }
    // Whether the release gave up a lease `instance` held.
    bool release(const std::string& instance) {
        auto released = std::make_shared<std::promise<bool>>();
        auto future = released->get_future();
        ledger_->release("sis", instance, [released](std::error_code ec, bool r) {
            EXPECT_FALSE(ec) << ec.message();
            released->set_value(r);
        });
        return wait_for_result(future).value_or(false);
    }
    std::string lease_holder() const {
        return server().command({"GET", keys_.webhook_lease("sis")}).str;
    }

    std::shared_ptr<redis_connection> connection_;
    std::unique_ptr<webhook_ledger_store> ledger_;
};

TEST_F(redis_webhook_ledger_test, OnlyTheHolderGivesTheLeaseUpAndThenAnotherTakesIt) {
    ASSERT_TRUE(claim("first:1:aaaa"));
    EXPECT_FALSE(claim("second:2:bbbb"));
    EXPECT_FALSE(release("second:2:bbbb"));  // not its lease: untouched
    EXPECT_EQ(lease_holder(), "first:1:aaaa");
    EXPECT_TRUE(release("first:1:aaaa"));
    EXPECT_TRUE(lease_holder().empty());
    EXPECT_FALSE(release("first:1:aaaa"));  // once only
    EXPECT_TRUE(claim("second:2:bbbb"));
    EXPECT_EQ(lease_holder(), "second:2:bbbb");
}

}  // namespace
}  // namespace optgate::testing
