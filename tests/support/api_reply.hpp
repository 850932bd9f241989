// Reading the daemon's replies in tests (a header, a JSON body), and the /v1/check request a
// broadcast system sends before every send.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/daemon_process.hpp"
#include "tests/support/http_client.hpp"

namespace optgate::testing {

namespace json = boost::json;

// A response header by its lower-case name, or "" if absent.
std::string header_of(const http_result& result, const std::string& name);

// Parses a JSON text; a test failure and null if it is not JSON.
json::value parse_json(const std::string& text);

// Status, JSON content type and the body {"error":{"code":code,"message":"<non-empty>"}}.
::testing::AssertionResult is_error(const http_result& result, int status, std::string_view code);

// The value at `key`, or the string "<absent>".
json::value value_of(const json::object& o, std::string_view key);

// POST /v1/check.
http_result post_check(const daemon_process& daemon, std::string_view channel,
                       std::string_view program, const std::vector<std::string>& recipients,
                       const std::string& api_key = test_api_key);

}  // namespace optgate::testing
