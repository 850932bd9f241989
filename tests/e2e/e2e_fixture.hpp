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
#include "tests/support/daemon_process.hpp"
#include "tests/support/redis_server.hpp"

namespace optgate::testing {

namespace json = boost::json;

inline constexpr const char* sms_path = "/webhooks/twilio/sms";
inline constexpr const char* district_code = "60680";
inline constexpr const char* emergency_code = "54968";
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

    // A daemon on the suite's Redis with this test's prefix, ready (Redis connected).
    static std::unique_ptr<daemon_process> start_daemon(const std::string& extra_yaml = {});

  private:
    inline static std::unique_ptr<redis_server> redis_;
};

// The wall clock, as the daemon reads it for receipt times.
epoch_ms now_ms();

// A MessageSid in Twilio's form ("SM" and 32 hex digits), distinct for each n.
std::string message_sid(unsigned n);

form_fields sms_fields(const std::string& from, const std::string& to, const std::string& body,
                       const std::string& sid);

// A correctly signed inbound SMS.
http_result send_sms(const daemon_process& daemon, const std::string& from, const std::string& to,
                     const std::string& body, const std::string& sid);

// A response header by its lower-case name, or "" if absent.
std::string header_of(const http_result& result, const std::string& name);

// Parses a JSON text; a test failure and null if it is not JSON.
json::value parse_json(const std::string& text);

// Status, JSON content type and the body {"error":{"code":code,"message":"<non-empty>"}}.
::testing::AssertionResult is_error(const http_result& result, int status, std::string_view code);

// POST /v1/check.
http_result post_check(const daemon_process& daemon, std::string_view channel,
                       std::string_view program, const std::vector<std::string>& recipients,
                       const std::string& api_key = test_api_key);

// The result for one recipient of a 200 check; an empty object and a test failure otherwise.
json::object check_one(const daemon_process& daemon, const std::string& recipient,
                       std::string_view program = "district", std::string_view channel = "sms");

// GET /v1/audit as NDJSON, one object per line; a test failure unless it answers 200.
std::vector<json::object> audit_entries(const daemon_process& daemon);

// GET /v1/consent/{address_in_path}; a test failure and an empty object unless 200.
json::object consent_of(const daemon_process& daemon, const std::string& address_in_path);

// Every name of the object, sorted: to assert that a result carries no other field.
std::vector<std::string> keys_of(const json::object& o);

// The value at `key`, or the string "<absent>".
json::value value_of(const json::object& o, std::string_view key);

// The string at `key`, or "<absent>" / "<not a string>" to show in a failed expectation.
std::string text_of(const json::object& o, std::string_view key);

}  // namespace optgate::testing
