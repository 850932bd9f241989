// What the end-to-end suites share: one redis-server per suite, and per test a key prefix
// and a daemon of its own; the requests the tests speak in (signed SMS, checks, audit).
#pragma once

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/timestamp.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sms_webhook.hpp"

namespace optgate::testing {

namespace json = boost::json;

class e2e_test : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { redis_ = std::make_unique<redis_server>(); }
    static void TearDownTestSuite() { redis_.reset(); }

    // "e2e:<suite>.<test>:": no two tests of a suite share keys in the suite's Redis.
    static std::string key_prefix();
    static redis_server& redis() { return *redis_; }

    // A daemon on the suite's Redis with this test's prefix, ready (Redis connected);
    // the arguments are those of default_test_config.
    static std::unique_ptr<daemon_process> start_daemon(const std::string& extra_yaml = {},
                                                        const std::string& extra_providers = {});

  private:
    inline static std::unique_ptr<redis_server> redis_;
};

// The wall clock, as the daemon reads it for receipt times.
epoch_ms now_ms();

}  // namespace optgate::testing
