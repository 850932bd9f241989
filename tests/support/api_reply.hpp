// Reading the daemon's replies in tests (a header, a JSON body, a check's result, the audit, an
// address's records), and the /v1/check request a broadcast system sends before every send.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/timestamp.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_endpoint.hpp"

namespace optgate::testing {

namespace json = boost::json;

// A response header by its lower-case name, or "" if absent.
std::string header_of(const http_result& result, const std::string& name);

// Parses a JSON text; a test failure and null if it is not JSON.
json::value parse_json(const std::string& text);

// Status, JSON content type and the body {"error":{"code":code,"message":"<non-empty>"}}.
::testing::AssertionResult is_error(const http_result& result, int status, std::string_view code);

// A webhook's 200 answer {"status":status} ("journaled", "ignored", ...).
void expect_webhook_status(const http_result& result, std::string_view status);

// The value at `key`, or the string "<absent>".
json::value value_of(const json::object& o, std::string_view key);

// POST /v1/check.
http_result post_check(const http_endpoint& daemon, std::string_view channel,
                       std::string_view program, const std::vector<std::string>& recipients,
                       const std::string& api_key = test_api_key);

// The result for one recipient of a 200 check; an empty object and a test failure otherwise.
json::object check_one(const http_endpoint& daemon, const std::string& recipient,
                       std::string_view program = "district", std::string_view channel = "sms");

// GET /v1/audit as NDJSON, one object per line; a test failure unless it answers 200.
std::vector<json::object> audit_entries(const http_endpoint& daemon);

// GET /v1/consent/{address_in_path}; a test failure and an empty object unless 200.
json::object consent_of(const http_endpoint& daemon, const std::string& address_in_path);

// An email unsubscribe as every email source records it: district email to `address` is denied
// (opted_out) by `source` since a time in [since_earliest, since_latest] (the exact text of the
// time when they are equal), emergency email still goes by default, and the audit holds exactly
// one applied change of the address's district email to opted_out by `source`. Returns that
// entry for the source's own fields (reference, dedupe key, keyword); an empty object and a
// test failure unless there is exactly one.
json::object expect_email_unsubscribed(const http_endpoint& daemon, const std::string& address,
                                       std::string_view source, epoch_ms since_earliest,
                                       epoch_ms since_latest);
inline json::object expect_email_unsubscribed(const http_endpoint& daemon,
                                              const std::string& address, std::string_view source,
                                              epoch_ms since) {
    return expect_email_unsubscribed(daemon, address, source, since, since);
}

// An email unsubscribe whose provider stated `stated`, a time ahead of optgate's clock, sent
// between `sent_after` and `answered_before`: recorded as expect_email_unsubscribed says, and
// dated by its receipt (SPEC rule 2): the audit entry's event_time is its received_time, its
// stated_time the provider's time, and the check's since that receipt. Returns the entry.
json::object expect_email_unsubscribed_at_receipt(const http_endpoint& daemon,
                                                  const std::string& address,
                                                  std::string_view source, epoch_ms stated,
                                                  epoch_ms sent_after, epoch_ms answered_before);

// `address` may still be emailed for `program`, by default (no record).
void expect_email_default(const http_endpoint& daemon, const std::string& address,
                          std::string_view program = "district");

// Refused or ignored, and unchanged: each address's email is at its default in both programs,
// and nothing is audited.
void expect_email_unchanged(const http_endpoint& daemon, const std::vector<std::string>& addresses);

// Every name of the object, sorted: to assert that a result carries no other field.
std::vector<std::string> keys_of(const json::object& o);

// The string at `key`, or "<absent>" / "<not a string>" to show in a failed expectation.
std::string text_of(const json::object& o, std::string_view key);

}  // namespace optgate::testing
