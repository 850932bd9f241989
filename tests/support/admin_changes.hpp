// The office's consent changes as tests make them (PUT /v1/consent/{address}) and read them
// back (the address's history), to the daemon or to its routes in process.
#pragma once

#include <boost/json/array.hpp>
#include <string>

#include "tests/support/api_reply.hpp"
#include "tests/support/http_endpoint.hpp"

namespace optgate::testing {

// PUT /v1/consent/{address_in_path} with the admin key.
http_result put_consent(const http_endpoint& daemon, const std::string& address_in_path,
                        const std::string& body);

// {"channel":"sms","program":"district", ...fields}
std::string change(const std::string& fields);

// The PUT's reply: its outcome, the record's state before it (`from`, nullptr for no record;
// for a duplicate, before its first delivery) and its request id.
void expect_outcome(const http_result& result, const std::string& outcome, const char* from,
                    const std::string& request_id);

// The address's history, newest first; a test failure and an empty array without one.
json::array history_of(const http_endpoint& daemon, const std::string& address_in_path);

// Refused or ignored, and unchanged: `address` is at its SMS programs' defaults, with no
// record and no history, and nothing is audited.
void expect_nothing_changed(const http_endpoint& daemon, const std::string& address);

}  // namespace optgate::testing
