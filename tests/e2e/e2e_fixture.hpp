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

// The replies default_test_config configures.
inline constexpr const char* opt_out_reply =
    "Test district: no more texts. Reply START to resubscribe.";
inline constexpr const char* opt_in_reply =
    "Test district: texts again. Reply STOP to unsubscribe.";
inline constexpr const char* help_reply = "Test district messages. Reply STOP to unsubscribe.";

// The TwiML bodies the daemon answers Twilio with.
std::string twiml_message(std::string_view reply);
std::string twiml_empty();

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

// The result for one recipient of a 200 check; an empty object and a test failure otherwise.
json::object check_one(const daemon_process& daemon, const std::string& recipient,
                       std::string_view program = "district", std::string_view channel = "sms");

// GET /v1/audit as NDJSON, one object per line; a test failure unless it answers 200.
std::vector<json::object> audit_entries(const daemon_process& daemon);

// GET /v1/consent/{address_in_path}; a test failure and an empty object unless 200.
json::object consent_of(const daemon_process& daemon, const std::string& address_in_path);

// An email unsubscribe as every email source records it: district email to `address` is denied
// (opted_out) by `source` since a time in [since_earliest, since_latest] (the exact text of the
// time when they are equal), emergency email still goes by default, and the audit holds exactly
// one applied change of the address's district email to opted_out by `source`. Returns that
// entry for the source's own fields (reference, dedupe key, keyword); an empty object and a
// test failure unless there is exactly one.
json::object expect_email_unsubscribed(const daemon_process& daemon, const std::string& address,
                                       std::string_view source, epoch_ms since_earliest,
                                       epoch_ms since_latest);
inline json::object expect_email_unsubscribed(const daemon_process& daemon,
                                              const std::string& address, std::string_view source,
                                              epoch_ms since) {
    return expect_email_unsubscribed(daemon, address, source, since, since);
}

// An email unsubscribe whose provider stated `stated`, a time ahead of optgate's clock, sent
// between `sent_after` and `answered_before`: recorded as expect_email_unsubscribed says, and
// dated by its receipt (SPEC rule 2): the audit entry's event_time is its received_time, its
// stated_time the provider's time, and the check's since that receipt. Returns the entry.
json::object expect_email_unsubscribed_at_receipt(const daemon_process& daemon,
                                                  const std::string& address,
                                                  std::string_view source, epoch_ms stated,
                                                  epoch_ms sent_after, epoch_ms answered_before);

// Every name of the object, sorted: to assert that a result carries no other field.
std::vector<std::string> keys_of(const json::object& o);

// The string at `key`, or "<absent>" / "<not a string>" to show in a failed expectation.
std::string text_of(const json::object& o, std::string_view key);

}  // namespace optgate::testing
